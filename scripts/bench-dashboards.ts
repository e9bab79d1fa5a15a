/**
 * npm run bench:dashboards — every dashboard query over a year of history (issue 15), on SQLite
 * and on PostgreSQL, through the real HTTP API (authentication, validation, query, JSON). The
 * baseline measured in the same run is GET /health on the same service (an HTTP round trip) and a
 * trivial authenticated query (GET /api/v1/dashboard/overview's little sibling: the case queue
 * counts are not trivial, so GET /api/v1/auth/me is used).
 *
 * History (BENCH_DAYS × BENCH_PER_DAY assessments, default 365 × 2,000, about 8 % with a case,
 * most of them closed by one of six analysts) is written straight into the tables in bulk, then
 * the daily rollup job catches up over every closed day (its time is reported too).
 */
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { DIALECTS, stopTestPostgres } from '../service/src/testing/databases.ts';
import { addTestUser, startTestService, TEST_TENANT, TEST_USER_PASSWORD } from '../service/src/testing/service.ts';
import { ManualClock } from '../service/src/clock.ts';
import { SYSTEM_ACTOR } from '../service/src/commands/bus.ts';
import { mulberry32 } from '../service/src/util/prng.ts';
import { insertCustomers, insertHistory, type HistoryAssessment } from '../service/src/analytics/history-fixture.ts';
import { rollUpDashboards } from '../service/src/analytics/rollups.ts';
import { addDays, bankDayOf } from '../service/src/analytics/range.ts';

const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const PER_DAY = Number(process.env.BENCH_PER_DAY ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
/** BENCH_DIALECTS=postgres (or sqlite) measures one database only. */
const ONLY = process.env.BENCH_DIALECTS?.split(',').map((d) => d.trim());
const NOW = '2026-11-20T12:00:00.000Z';
const TENANTS = [TEST_TENANT, 'WEKEZA-UG'];
const COUNTIES = ['Nairobi', 'Mombasa', 'Kisumu', 'Nakuru', 'Uasin Gishu', 'Kiambu', 'Machakos', 'Kakamega', 'Meru', 'Nyeri', 'Kilifi', 'Garissa'];
const CHANNELS = ['MOBILE', 'MOBILE', 'MOBILE', 'USSD', 'WEB', 'ATM', 'BRANCH', 'AGENT'];
const TYPES = ['MOBILE_MONEY', 'MOBILE_MONEY', 'EFT', 'RTGS', 'PESALINK', 'SWIFT_TRANSFER'];
const RULES = Array.from({ length: 20 }, (_, i) => `RULE-${String(i + 1).padStart(2, '0')}`);
const CONFIGS = [
  [randomUUID(), '1.0.0'],
  [randomUUID(), '1.1.0'],
  [randomUUID(), '2.0.0'],
] as const;

function stats(ms: number[]): { p50: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length / 2)]!, p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]! };
}

function* history(analysts: Array<{ id: string; name: string }>): Generator<HistoryAssessment> {
  const random = mulberry32(20_261_120);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const end = Date.parse(NOW);
  const start = end - DAYS * 86_400_000;
  for (let i = 0; i < DAYS * PER_DAY; i++) {
    const at = start + Math.floor((i / (DAYS * PER_DAY)) * (end - start)) + Math.floor(random() * 60_000);
    const risky = random();
    const level = risky > 0.97 ? 'CRITICAL' : risky > 0.92 ? 'HIGH' : risky > 0.8 ? 'MEDIUM' : 'LOW';
    const decision = level === 'CRITICAL' ? pick(['REJECT', 'ESCALATE']) : level === 'HIGH' ? pick(['MANUAL_REVIEW', 'HOLD']) : 'APPROVE';
    const evaluated = Array.from({ length: 6 }, () => pick(RULES)).filter((r, k, all) => all.indexOf(r) === k);
    const hits = level === 'LOW' ? [] : evaluated.filter(() => random() < 0.4);
    const [configurationId, configurationVersion] = at < end - 200 * 86_400_000 ? CONFIGS[0] : at < end - 60 * 86_400_000 ? CONFIGS[1] : CONFIGS[2];
    const createdAt = new Date(at).toISOString();
    const opensCase = decision !== 'APPROVE';
    const closedAfter = Math.floor(random() * 6 * 3_600_000);
    const isClosed = opensCase && at + closedAfter < end;
    yield {
      tenantId: random() < 0.8 ? TENANTS[0]! : TENANTS[1]!,
      createdAt,
      channel: pick(CHANNELS),
      paymentType: pick(TYPES),
      amountKes: Math.round(random() * random() * 2_000_000),
      engineDecision: decision,
      riskLevel: level,
      customerRef: `CIF-${Math.floor(random() * 5000)}`,
      creditorAccount: `MERCH-${Math.floor(random() * random() * 3000)}`,
      ruleHits: hits,
      evaluatedRules: evaluated.filter((r) => !hits.includes(r)),
      configurationId,
      configurationVersion,
      case: opensCase
        ? {
            state: isClosed ? 'CLOSED' : 'NEW',
            outcome: isClosed ? (random() < 0.3 ? 'BLOCKED' : 'APPROVED') : null,
            createdAt,
            closedAt: isClosed ? new Date(at + closedAfter).toISOString() : null,
            slaDueAt: new Date(at + 4 * 3_600_000).toISOString(),
            queue: level === 'CRITICAL' ? 'Priority review' : 'General review',
            queueId: null,
            decidedBy: isClosed ? pick(analysts) : undefined,
          }
        : undefined,
    };
  }
}

const table: string[] = [];
for (const dialect of DIALECTS.filter((d) => !ONLY || ONLY.includes(d))) {
  const clock = new ManualClock(NOW);
  const svc = await startTestService(dialect, { clock });
  await addTestUser(svc, 'bench.manager', 'RISK_MANAGER', []);
  const token = (await svc.login('bench.manager', TEST_USER_PASSWORD)).token;
  const db = svc.service.context.db;
  const analysts = Array.from({ length: 6 }, (_, i) => ({ id: randomUUID(), name: `Analyst ${i + 1}` }));
  const t0 = performance.now();
  await insertCustomers(
    db,
    Array.from({ length: 5000 }, (_, i) => ({ customerRef: `CIF-${i}`, county: COUNTIES[i % COUNTIES.length]! })),
    NOW,
  );
  let batch: HistoryAssessment[] = [];
  let written = 0;
  for (const item of history(analysts)) {
    batch.push(item);
    if (batch.length === 4000) {
      await insertHistory(db, batch, 250);
      written += batch.length;
      batch = [];
      if (written % 100_000 === 0) console.log(`  ${dialect}: ${written.toLocaleString('en-GB')} assessments written`);
    }
  }
  if (batch.length) await insertHistory(db, batch, 250);
  await sql.raw(dialect === 'postgres' ? 'vacuum analyze' : 'analyze').execute(db.kysely);
  const fillS = (performance.now() - t0) / 1000;
  const r0 = performance.now();
  const rolled = await svc.service.context.bus.execute(rollUpDashboards, { maxDays: DAYS + 5 }, SYSTEM_ACTOR, { at: new Date(NOW) });
  const rollS = (performance.now() - r0) / 1000;
  const d1 = performance.now();
  await svc.service.context.bus.execute(rollUpDashboards, { maxDays: 7 }, SYSTEM_ACTOR, { at: new Date(NOW) });
  const steadyMs = performance.now() - d1;
  console.log(
    `\n== ${dialect}: ${(DAYS * PER_DAY).toLocaleString('en-GB')} assessments over ${DAYS} days written in ${fillS.toFixed(0)} s; ` +
      `rollup of ${rolled.days.length} days in ${rollS.toFixed(1)} s (${rolled.rows.toLocaleString('en-GB')} rows); a steady-state run (last days + late outcomes) ${steadyMs.toFixed(0)} ms ==`,
  );
  const today = bankDayOf(new Date(NOW));
  const yearAgo = addDays(today, -(DAYS - 1));
  const monthAgo = addDays(today, -29);
  const year = `from=${yearAgo}&to=${today}`;
  const month = `from=${monthAgo}&to=${today}`;
  const api = `${svc.url}/api/v1`;
  const scenarios: Array<[string, string]> = [
    ['baseline: GET /health', `${svc.url}/health`],
    ['baseline: GET /auth/me (trivial query)', `${api}/auth/me`],
    ['overview today', `${api}/dashboard/overview?range=today`],
    ['overview 7 d', `${api}/dashboard/overview?range=7d`],
    ['overview 30 d', `${api}/dashboard/overview?range=30d`],
    [`overview custom ${DAYS} d`, `${api}/dashboard/overview?range=custom&${year}`],
    ['summary (issue 1 overview, today)', `${api}/dashboard/summary`],
    ...(['channel', 'paymentType', 'county', 'merchant', 'rule', 'hour', 'weekday', 'day'] as const).map((d): [string, string] => [
      `pivot ${d}, ${DAYS} d`,
      `${api}/analytics/pivot?${year}&dimension=${d}`,
    ]),
    ['pivot rule, 30 d', `${api}/analytics/pivot?${month}&dimension=rule`],
    [`rule performance, ${DAYS} d`, `${api}/analytics/rule-performance?${year}`],
    ['team performance, 30 d', `${api}/analytics/team-performance?${month}`],
    [`team performance, ${DAYS} d`, `${api}/analytics/team-performance?${year}`],
    [`false-positive trend weekly, ${DAYS} d`, `${api}/analytics/false-positive-trend?${year}&interval=week`],
    ['export overview 30 d, CSV', `${api}/dashboards/overview/export?format=csv&range=30d`],
    ['export deep dive 30 d, XLSX', `${api}/dashboards/deep-dive/export?format=xlsx&range=30d`],
    ['export deep dive 30 d, PDF', `${api}/dashboards/deep-dive/export?format=pdf&range=30d`],
  ];
  console.log(`${'query'.padEnd(44)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}  × baseline p50`);
  let baseline = 0;
  for (const [label, url] of scenarios) {
    const once = async () => {
      const s = performance.now();
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${label}: HTTP ${res.status}`);
      return performance.now() - s;
    };
    await once();
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) ms.push(await once());
    const s = stats(ms);
    if (label.startsWith('baseline: GET /auth')) baseline = s.p50;
    const line = `${label.padEnd(44)} ${s.p50.toFixed(1).padStart(8)} ${s.p95.toFixed(1).padStart(8)}  ${baseline ? `${(s.p50 / baseline).toFixed(1)}×` : ''}`;
    console.log(line);
    table.push(`${dialect.padEnd(8)} ${line}`);
  }
  await svc.stop();
}
await stopTestPostgres();
console.log(`\nSummary (${RUNS} runs each after one warm-up; ${(DAYS * PER_DAY).toLocaleString('en-GB')} assessments):\n${table.join('\n')}`);
