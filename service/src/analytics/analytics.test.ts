import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, startTestService, TEST_TENANT, type TestService } from '../testing/service.ts';
import { ManualClock } from '../clock.ts';
import { SYSTEM_ACTOR } from '../commands/bus.ts';
import { toJson } from '../db/database.ts';
import { parseCsv } from '../risk-reports/sheets.ts';
import { DashboardOverview, FalsePositiveTrend, PivotResult, RulePerformance, TeamPerformance, type DrillTarget } from '../../../shared/src/analytics.ts';
import { insertCustomers, insertHistory, type HistoryAssessment, type HistoryCase } from './history-fixture.ts';
import { rollUpDashboards } from './rollups.ts';

after(stopTestPostgres);

// Friday 2026-11-20, 15:00 in Nairobi. "Today" began at 2026-11-19T21:00Z.
const NOW = '2026-11-20T12:00:00.000Z';
const UG = 'WEKEZA-UG';
const CONFIG = randomUUID();
const QUEUE = randomUUID();
const ANALYST_A = { id: randomUUID(), name: 'Amina Otieno' };
const ANALYST_B = { id: randomUUID(), name: 'Brian Kamau' };

function item(over: Partial<HistoryAssessment> & Pick<HistoryAssessment, 'createdAt'>): HistoryAssessment {
  return {
    tenantId: TEST_TENANT,
    channel: 'MOBILE',
    paymentType: 'MOBILE_MONEY',
    amountKes: 1000,
    engineDecision: 'APPROVE',
    riskLevel: 'LOW',
    customerRef: 'CIF-A',
    creditorAccount: 'MERCH-1',
    ruleHits: [],
    evaluatedRules: [],
    configurationId: CONFIG,
    configurationVersion: '1.0.0',
    ...over,
  };
}
const closed = (createdAt: string, closedAt: string, slaDueAt: string, outcome: 'APPROVED' | 'BLOCKED', by: { id: string; name: string }): HistoryCase => ({
  state: 'CLOSED',
  outcome,
  createdAt,
  closedAt,
  slaDueAt,
  queue: 'Fraud review',
  queueId: QUEUE,
  decidedBy: by,
});

/**
 * The hand-counted fixture (comments give each row's part in the figures):
 * #1..#4 today (KE), #5 today (UG: never counted for a KE caller), #6 yesterday before 15:00
 * (the "today" comparison period), #7 yesterday after 15:00 (in the two-day range only).
 */
const FIXTURE: HistoryAssessment[] = [
  item({ createdAt: '2026-11-20T06:00:00.000Z', evaluatedRules: ['R1', 'R2'] }),
  item({
    createdAt: '2026-11-20T07:30:00.000Z',
    channel: 'WEB',
    paymentType: 'RTGS',
    amountKes: 500_000,
    engineDecision: 'MANUAL_REVIEW',
    riskLevel: 'HIGH',
    customerRef: 'CIF-B',
    creditorAccount: 'MERCH-2',
    ruleHits: ['R1'],
    evaluatedRules: ['R2'],
    case: closed('2026-11-20T07:30:00.000Z', '2026-11-20T10:00:00.000Z', '2026-11-20T11:00:00.000Z', 'BLOCKED', ANALYST_A),
  }),
  item({
    createdAt: '2026-11-20T08:00:00.000Z',
    amountKes: 2000,
    engineDecision: 'HOLD',
    riskLevel: 'MEDIUM',
    ruleHits: ['R1', 'R2'],
    case: closed('2026-11-20T08:00:00.000Z', '2026-11-20T11:30:00.000Z', '2026-11-20T11:00:00.000Z', 'APPROVED', ANALYST_A),
  }),
  item({
    createdAt: '2026-11-20T09:00:00.000Z',
    channel: 'AGENT',
    amountKes: 250_000,
    engineDecision: 'REJECT',
    riskLevel: 'CRITICAL',
    customerRef: 'CIF-B',
    creditorAccount: 'MERCH-3',
    ruleHits: ['R2'],
    evaluatedRules: ['R1'],
    case: {
      state: 'NEW',
      outcome: null,
      createdAt: '2026-11-20T09:00:00.000Z',
      closedAt: null,
      slaDueAt: '2026-11-20T10:00:00.000Z',
      queue: 'Fraud review',
      queueId: QUEUE,
    },
  }),
  item({ createdAt: '2026-11-20T08:00:00.000Z', tenantId: UG, amountKes: 99_999, engineDecision: 'ESCALATE', riskLevel: 'CRITICAL', ruleHits: ['R1'] }),
  item({ createdAt: '2026-11-19T05:00:00.000Z', amountKes: 3000, evaluatedRules: ['R1', 'R2'] }),
  item({
    createdAt: '2026-11-19T13:00:00.000Z',
    engineDecision: 'MANUAL_REVIEW',
    riskLevel: 'HIGH',
    customerRef: 'CIF-B',
    ruleHits: ['R1'],
    evaluatedRules: ['R2'],
    case: closed('2026-11-19T13:00:00.000Z', '2026-11-19T14:00:00.000Z', '2026-11-19T15:00:00.000Z', 'APPROVED', ANALYST_B),
  }),
];

for (const dialect of DIALECTS) {
  describe(`Dashboards and analytics on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let clock: ManualClock;
    let ke: string;
    let ug: string;
    const get = async (url: string, token = ke) => {
      const res = await svc.request('GET', url, { token });
      assert.equal(res.status, 200, `${url}: ${JSON.stringify(res.body)}`);
      return res.body;
    };
    /** The list a drill target opens, through the list's own query: its total. */
    const drillTotal = async (drill: DrillTarget, token = ke) => {
      const base = drill.screen === 'assessments' ? '/api/v1/fraud-risk/assessments' : drill.screen === 'cases' ? '/api/v1/cases' : '/api/v1/alerts';
      const body = (await get(`${base}?${new URLSearchParams({ ...drill.filters, pageSize: '1' })}`, token)) as { total: number };
      return body.total;
    };

    before(async () => {
      clock = new ManualClock(NOW);
      svc = await startTestService(dialect, { clock });
      ({
        tokens: { 'faith.wambui': ke, 'ug.manager': ug } = {} as Record<string, string>,
      } = await addTestTeam(svc, [
        ['faith.wambui', 'RISK_MANAGER', [TEST_TENANT]],
        ['ug.manager', 'RISK_MANAGER', [UG]],
      ]));
      const db = svc.service.context.db;
      await insertCustomers(
        db,
        [
          { customerRef: 'CIF-A', county: 'Nairobi' },
          { customerRef: 'CIF-B', county: 'Mombasa' },
        ],
        NOW,
      );
      await insertHistory(db, FIXTURE);
      // Alerts as stored: HIGH today (KE), CRITICAL today (UG), MEDIUM yesterday morning (KE, the comparison period).
      const alert = (tenantId: string, severity: string, at: string, n: number) => ({
        id: randomUUID(),
        reference: `ALT-9${String(n).padStart(5, '0')}`,
        tenant_id: tenantId,
        pattern: 'STRUCTURING',
        severity,
        title: 'Payments just below the reporting threshold',
        entity_type: 'CUSTOMER',
        entity_id: 'CIF-A',
        dedup_key: `STRUCTURING|CUSTOMER|CIF-A|${n}`,
        evidence: toJson({ payments: [], customers: ['CIF-A'], rules: [], figures: {}, explanation: [] }),
        status: 'OPEN',
        occurrences: 1,
        detected_at: at,
        first_seen_at: at,
        last_seen_at: at,
        assignee_id: null,
        acknowledged_by: null,
        acknowledged_at: null,
        resolved_by: null,
        resolved_at: null,
        resolution: null,
        resolution_note: null,
        case_id: null,
        escalation_level: 0,
        next_escalation_at: null,
        created_at: at,
        updated_at: at,
        version: 1,
      });
      await db.kysely
        .insertInto('alerts')
        .values([
          alert(TEST_TENANT, 'HIGH', '2026-11-20T09:30:00.000Z', 1),
          alert(UG, 'CRITICAL', '2026-11-20T09:30:00.000Z', 2),
          alert(TEST_TENANT, 'MEDIUM', '2026-11-19T07:00:00.000Z', 3),
        ])
        .execute();
      // A four-eyes approver sent one of analyst A's decisions back (an overturn), today.
      await db.kysely
        .insertInto('audit_log')
        .values({
          id: randomUUID(),
          occurred_at: '2026-11-20T11:45:00.000Z',
          actor_id: randomUUID(),
          actor_name: 'Faith Wambui',
          actor_role: 'RISK_MANAGER',
          command: 'case.approval',
          entity_type: 'case',
          entity_id: randomUUID(),
          before: toJson({ state: 'AWAITING_APPROVAL' }),
          after: toJson({ state: 'IN_PROGRESS', rejectedRequest: { requestedById: ANALYST_A.id, requestedByName: ANALYST_A.name } }),
          request_id: null,
          tenant_id: TEST_TENANT,
        })
        .execute();
    });
    after(() => svc?.stop());

    it('overview today: KPIs with the previous period, breakdowns, hourly series, drills that reproduce each figure', async () => {
      const o = DashboardOverview.parse(await get('/api/v1/dashboard/overview?range=today'));
      assert.equal(o.range.from, '2026-11-19T21:00:00.000Z');
      assert.equal(o.range.previousFrom, '2026-11-18T21:00:00.000Z');
      assert.equal(o.range.previousTo, '2026-11-19T12:00:00.000Z');
      const kpi = (key: string) => o.kpis.find((k) => k.key === key)!;
      assert.deepEqual([kpi('assessments').value, kpi('assessments').previous], [4, 1]);
      assert.deepEqual([kpi('valueKes').value, kpi('valueKes').previous], [753_000, 3000]);
      assert.deepEqual([kpi('flagged').value, kpi('flagged').previous], [3, 0]);
      assert.equal(kpi('flaggedRate').value, 75);
      assert.deepEqual([kpi('casesOpened').value, kpi('casesOpened').previous], [3, 0]);
      assert.equal(kpi('confirmedFraud').value, 1);
      assert.equal(kpi('blockedValueKes').value, 500_000);
      assert.equal(kpi('falsePositives').value, 1);
      assert.deepEqual([kpi('openCases').value, kpi('openCases').previous], [1, null]);
      assert.equal(kpi('overdueCases').value, 1);
      assert.deepEqual([kpi('alerts').value, kpi('alerts').previous], [1, 1]);
      assert.deepEqual(
        o.alertsBySeverity.map((r) => [r.key, r.value, r.previous]),
        [
          ['LOW', 0, 0],
          ['MEDIUM', 0, 1],
          ['HIGH', 1, 0],
          ['CRITICAL', 0, 0],
        ],
      );
      assert.equal(await drillTotal(o.alertsBySeverity.find((r) => r.key === 'HIGH')!.drill), 1);
      for (const key of ['assessments', 'flagged', 'casesOpened', 'confirmedFraud', 'falsePositives', 'openCases', 'overdueCases', 'alerts']) {
        assert.equal(await drillTotal(kpi(key).drill!), kpi(key).value, `drill of ${key}`);
      }
      const decisions = Object.fromEntries(o.byDecision.map((r) => [r.key, r.value]));
      assert.deepEqual(decisions, { APPROVE: 1, REJECT: 1, MANUAL_REVIEW: 1, HOLD: 1, ESCALATE: 0 });
      assert.equal(o.byDecision.find((r) => r.key === 'APPROVE')?.previous, 1);
      for (const row of [...o.byDecision, ...o.byRiskLevel, ...o.byChannel]) assert.equal(await drillTotal(row.drill), row.value, `drill of ${row.key}`);
      assert.equal(o.series.length, 15);
      const nine = o.series.find((s) => s.at === '2026-11-20T06:00:00.000Z')!;
      assert.deepEqual([nine.total, nine.flagged], [1, 0]);
      const eight = o.series.find((s) => s.at === '2026-11-20T05:00:00.000Z')!;
      assert.equal(eight.previousTotal, 1, "yesterday's 08:00 payment lines up with today's 08:00 bucket");
      assert.equal(await drillTotal(o.series.find((s) => s.at === '2026-11-20T08:00:00.000Z')!.drill), 1);
    });

    it('counts only the caller’s tenants', async () => {
      const o = DashboardOverview.parse(await get('/api/v1/dashboard/overview?range=today', ug));
      const kpi = (key: string) => o.kpis.find((k) => k.key === key)!;
      assert.deepEqual([kpi('assessments').value, kpi('valueKes').value, kpi('casesOpened').value], [1, 99_999, 0]);
      assert.equal(await drillTotal(kpi('assessments').drill!, ug), 1);
      const p = PivotResult.parse(await get(`/api/v1/analytics/pivot?from=2026-11-19&to=2026-11-20&dimension=rule&tenantId=${TEST_TENANT}`, ug));
      assert.deepEqual(p.rows, [], 'another tenant named in the query is not widened into');
    });

    const pivotOf = async (dimension: string) => PivotResult.parse(await get(`/api/v1/analytics/pivot?from=2026-11-19&to=2026-11-20&dimension=${dimension}`));
    const byKey = (p: PivotResult) => Object.fromEntries(p.rows.map((r) => [r.key, r.count]));

    it('pivots by county, rule, merchant, hour, weekday and day; each row drills to exactly its rows', async () => {
      assert.deepEqual(byKey(await pivotOf('county')), { Nairobi: 3, Mombasa: 3 });
      const rule = await pivotOf('rule');
      assert.deepEqual(byKey(rule), { R1: 3, R2: 2 });
      const r1 = rule.rows.find((r) => r.key === 'R1')!;
      assert.deepEqual([r1.flagged, r1.confirmedFraud, r1.falsePositive], [3, 1, 2]);
      assert.deepEqual(byKey(await pivotOf('merchant')), { 'MERCH-1': 4, 'MERCH-2': 1, 'MERCH-3': 1 });
      assert.deepEqual(byKey(await pivotOf('hour')), { '8': 1, '9': 1, '10': 1, '11': 1, '12': 1, '16': 1 });
      assert.deepEqual(byKey(await pivotOf('weekday')), { '4': 2, '5': 4 });
      assert.deepEqual(byKey(await pivotOf('day')), { '2026-11-19': 2, '2026-11-20': 4 });
      assert.deepEqual(byKey(await pivotOf('channel')), { MOBILE: 4, WEB: 1, AGENT: 1 });
      for (const dimension of ['county', 'rule', 'merchant', 'hour', 'weekday', 'day', 'channel', 'paymentType']) {
        for (const row of (await pivotOf(dimension)).rows) assert.equal(await drillTotal(row.drill), row.count, `${dimension} ${row.key}`);
      }
    });

    it('rule performance per rule and per configuration version', async () => {
      const r = RulePerformance.parse(await get('/api/v1/analytics/rule-performance?from=2026-11-19&to=2026-11-20'));
      const r1 = r.byRule.find((x) => x.ruleId === 'R1')!;
      assert.deepEqual([r1.evaluated, r1.hits, r1.truePositive, r1.falsePositive, r1.closed], [6, 3, 1, 2, 3]);
      assert.equal(r1.hitRate, 0.5);
      assert.equal(r1.precision, 1 / 3);
      const r2 = r.byRule.find((x) => x.ruleId === 'R2')!;
      assert.deepEqual([r2.evaluated, r2.hits, r2.truePositive, r2.falsePositive, r2.precision], [6, 2, 0, 1, 0]);
      assert.equal(r2.ruleName, 'Rule R2');
      const v = r.byVersion.find((x) => x.ruleId === 'R1')!;
      assert.deepEqual([v.configurationId, v.configurationVersion, v.hits], [CONFIG, '1.0.0', 3]);
    });

    it('team performance: decisions, active hours, SLA, overturns; queues with backlog and drill', async () => {
      const t = TeamPerformance.parse(await get('/api/v1/analytics/team-performance?from=2026-11-19&to=2026-11-20'));
      const a = t.analysts.find((x) => x.userId === ANALYST_A.id)!;
      assert.deepEqual([a.decided, a.activeHours, a.casesPerHour, a.slaMet, a.slaAdherence, a.overturned, a.overturnRate], [2, 2, 1, 1, 0.5, 1, 0.5]);
      assert.equal(a.medianHandleMinutes, 180);
      const b = t.analysts.find((x) => x.userId === ANALYST_B.id)!;
      assert.deepEqual([b.decided, b.slaAdherence, b.overturned], [1, 1, 0]);
      const q = t.queues.find((x) => x.queue === 'Fraud review')!;
      assert.deepEqual([q.opened, q.closed, q.backlog, q.overdue], [4, 3, 1, 1]);
      assert.equal(q.slaAdherence, 2 / 3);
      assert.equal(q.medianAgeHours, 3);
      assert.equal(await drillTotal(q.drill), 1);
    });

    it('false-positive trend per day and per week', async () => {
      const d = FalsePositiveTrend.parse(await get('/api/v1/analytics/false-positive-trend?from=2026-11-19&to=2026-11-20&interval=day'));
      assert.deepEqual(d.points, [
        { bucket: '2026-11-19', closed: 1, falsePositive: 1, rate: 1 },
        { bucket: '2026-11-20', closed: 2, falsePositive: 1, rate: 0.5 },
      ]);
      const w = FalsePositiveTrend.parse(await get('/api/v1/analytics/false-positive-trend?from=2026-11-10&to=2026-11-20&interval=week'));
      assert.deepEqual(w.points, [
        { bucket: '2026-11-09', closed: 0, falsePositive: 0, rate: null },
        { bucket: '2026-11-16', closed: 3, falsePositive: 2, rate: 2 / 3 },
      ]);
    });

    it('rolls up closed days idempotently; figures from the rollup equal the live ones and follow late case outcomes', async () => {
      const live = await Promise.all(['county', 'rule', 'hour', 'day'].map(pivotOf));
      const liveRules = RulePerformance.parse(await get('/api/v1/analytics/rule-performance?from=2026-11-19&to=2026-11-20'));
      const bus = svc.service.context.bus;
      const first = await bus.execute(rollUpDashboards, {}, SYSTEM_ACTOR, { at: new Date(NOW) });
      assert.ok(first.days.includes('2026-11-19') && !first.days.includes('2026-11-20'), `rolled ${first.days.join(', ')}`);
      await bus.execute(rollUpDashboards, {}, SYSTEM_ACTOR, { at: new Date(NOW) });
      const rolled = await Promise.all(['county', 'rule', 'hour', 'day'].map(pivotOf));
      for (const [i, p] of rolled.entries()) {
        assert.equal(p.preAggregated, true);
        assert.deepEqual(p.rows, live[i]!.rows);
      }
      assert.deepEqual(RulePerformance.parse(await get('/api/v1/analytics/rule-performance?from=2026-11-19&to=2026-11-20')), liveRules);
      // Yesterday's first payment gets a case closed as confirmed fraud today: the next run recomputes its day.
      const db = svc.service.context.db.kysely;
      const [late] = await insertHistory(svc.service.context.db, [
        item({
          createdAt: '2026-11-19T06:00:00.000Z',
          ruleHits: ['R1'],
          case: closed('2026-11-19T06:00:00.000Z', '2026-11-20T11:50:00.000Z', '2026-11-20T12:00:00.000Z', 'BLOCKED', ANALYST_B),
        }),
      ]);
      assert.ok(late);
      clock.set('2026-11-20T12:05:00.000Z');
      const second = await bus.execute(rollUpDashboards, {}, SYSTEM_ACTOR, { at: new Date('2026-11-20T12:05:00.000Z') });
      assert.ok(second.days.includes('2026-11-19'));
      const after = PivotResult.parse(await get('/api/v1/analytics/pivot?from=2026-11-19&to=2026-11-19&dimension=rule'));
      assert.equal(after.preAggregated, true);
      assert.deepEqual(
        after.rows.map((r) => [r.key, r.count, r.confirmedFraud]),
        [['R1', 2, 1]],
      );
      const stored = await db
        .selectFrom('dashboard_daily_rollups')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('day', '=', '2026-11-19')
        .where('dimension', '=', 'day')
        .executeTakeFirstOrThrow();
      assert.equal(Number(stored.n), 1, 'one row per tenant and key, not one per run');
      // A payment written late onto an older day that is already rolled up (no case closed, not one
      // of the recent days): the day's count no longer matches its rollup, so it is recomputed.
      const dayPivot = '/api/v1/analytics/pivot?from=2026-11-16&to=2026-11-16&dimension=day';
      await insertHistory(svc.service.context.db, [item({ createdAt: '2026-11-16T09:00:00.000Z', ruleHits: [] })]);
      const third = await bus.execute(rollUpDashboards, {}, SYSTEM_ACTOR, { at: new Date('2026-11-20T12:10:00.000Z') });
      assert.ok(third.days.includes('2026-11-16'), `rolled ${third.days.join(', ')}`);
      const once = PivotResult.parse(await get(dayPivot));
      assert.equal(once.preAggregated, true);
      const countOnce = once.rows.reduce((sum, r) => sum + r.count, 0);
      const unchanged = await bus.execute(rollUpDashboards, {}, SYSTEM_ACTOR, { at: new Date('2026-11-20T12:15:00.000Z') });
      assert.ok(!unchanged.days.includes('2026-11-16'), 'an unchanged day is not recomputed');
      await insertHistory(svc.service.context.db, [item({ createdAt: '2026-11-16T10:00:00.000Z', ruleHits: [] })]);
      const fourth = await bus.execute(rollUpDashboards, {}, SYSTEM_ACTOR, { at: new Date('2026-11-20T12:20:00.000Z') });
      assert.ok(fourth.days.includes('2026-11-16'), `rolled ${fourth.days.join(', ')}`);
      const twice = PivotResult.parse(await get(dayPivot));
      assert.equal(
        twice.rows.reduce((sum, r) => sum + r.count, 0),
        countOnce + 1,
      );
    });

    it('exports CSV, XLSX and PDF of both dashboards', async () => {
      const csv = await svc.request('GET', '/api/v1/dashboards/overview/export?format=csv&range=today', { token: ke });
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
      const table = parseCsv(String(csv.body));
      assert.ok(
        table.rows.some((r) => r[0] === 'Payments screened' && r[2] === '4' && r[3] === '2'),
        JSON.stringify(table.rows.slice(0, 5)),
      );
      const xlsx = await fetch(`${svc.url}/api/v1/dashboards/deep-dive/export?format=xlsx&range=custom&from=2026-11-19&to=2026-11-20`, {
        headers: { authorization: `Bearer ${ke}`, host: new URL(svc.url).host },
      });
      assert.equal(xlsx.status, 200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
      const county = workbook.getWorksheet('By county')!;
      const counties = new Map<string, number>();
      county.eachRow((row, n) => {
        if (n > 1) counties.set(String(row.getCell(1).value), Number(row.getCell(3).value));
      });
      // The rollup test added a late payment of a Nairobi customer on the 19th.
      assert.deepEqual(Object.fromEntries(counties), { Nairobi: 4, Mombasa: 3 });
      assert.ok(workbook.getWorksheet('Rule performance'));
      const pdf = await fetch(`${svc.url}/api/v1/dashboards/overview/export?format=pdf&range=7d`, {
        headers: { authorization: `Bearer ${ke}`, host: new URL(svc.url).host },
      });
      assert.equal(pdf.status, 200);
      const bytes = Buffer.from(await pdf.arrayBuffer());
      assert.equal(bytes.subarray(0, 4).toString(), '%PDF');
      if (existsSync('/usr/bin/pdftotext')) {
        const file = path.join(mkdtempSync(path.join(tmpdir(), 'dash-pdf-')), 'overview.pdf');
        writeFileSync(file, bytes);
        const text = execFileSync('/usr/bin/pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
        assert.match(text, /Overview/);
        assert.match(text, /Payments screened/);
        assert.match(text, /Engine decisions/);
      }
      const bad = await svc.request('GET', '/api/v1/dashboards/overview/export?format=pdf&range=custom&from=2026-11', { token: ke });
      assert.equal(bad.status, 400);
    });
  });
}
