import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, startTestService, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { ManualClock } from '../clock.ts';
import {
  ControlTestRecorded,
  Control,
  DEFAULT_RISK_MATRIX,
  Risk,
  RiskAssessment,
  RiskDetail,
  RiskMatrixVersion,
  RiskPage,
  scoreOn,
} from '../../../shared/src/risk-register.ts';

after(stopTestPostgres);

const NOW = '2026-11-20T12:00:00.000Z';
const DAY = 86_400_000;
const TENANT = 'WEKEZA-KE';
const OTHER = 'OTHER-BANK';
const fieldsOf = (body: unknown) => ((body as { error: { fields?: Array<{ path: string }> } }).error.fields ?? []).map((f) => f.path);

for (const dialect of DIALECTS) {
  describe(`risk register on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let clock: ManualClock;
    let ids: Record<string, string>;
    let tokens: Record<string, string>;
    before(async () => {
      clock = new ManualClock(NOW);
      svc = await startTestService(dialect, { clock });
      ({ ids, tokens } = await addTestTeam(svc, [
        ['ruth.mutua', 'RISK_OFFICER', [TENANT]],
        ['faith.wambui', 'RISK_MANAGER'],
        ['otto.other', 'RISK_OFFICER', [OTHER]],
        ['grace.achieng', 'AUDITOR'],
      ]));
    });
    after(async () => svc?.stop());

    const officer = () => tokens['ruth.mutua']!;
    const call = async (method: string, path: string, body?: unknown, token = officer(), status = 200) => {
      const res = await svc.request(method, path, { token, ...(body === undefined ? {} : { body }) });
      assert.equal(res.status, status, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const newRisk = async (title: string, extra: Record<string, unknown> = {}) =>
      Risk.parse(
        await call(
          'POST',
          '/api/v1/risks',
          { tenantId: TENANT, title, category: 'OPERATIONAL', businessUnit: 'Payments', ownerId: ids['ruth.mutua'], description: 'd', ...extra },
          officer(),
          201,
        ),
      );
    const assess = async (risk: { id: string; version: number }, l: number, i: number) =>
      RiskAssessment.parse(
        await call(
          'POST',
          `/api/v1/risks/${risk.id}/assessments`,
          { inherentLikelihood: l, inherentImpact: i, expectedVersion: risk.version, note: 'workshop' },
          officer(),
          201,
        ),
      );
    const detail = async (id: string) => RiskDetail.parse(await call('GET', `/api/v1/risks/${id}`));
    const newControl = async (name: string, type: string, riskIds: string[]) =>
      Control.parse(
        await call('POST', '/api/v1/controls', { tenantId: TENANT, name, type, ownerId: ids['ruth.mutua'], frequency: 'MONTHLY', riskIds }, officer(), 201),
      );
    const test = async (controlId: string, result: string, extra: Record<string, unknown> = {}) =>
      ControlTestRecorded.parse(await call('POST', `/api/v1/controls/${controlId}/tests`, { result, notes: `tested: ${result}`, ...extra }, officer(), 201));

    it('seeds the default 5×5 matrix at start through an audited command', async () => {
      const matrix = RiskMatrixVersion.parse(await call('GET', '/api/v1/risk-matrix'));
      assert.equal(matrix.versionNumber, 1);
      assert.deepEqual(matrix.definition, DEFAULT_RISK_MATRIX);
      assert.deepEqual(
        matrix.definition.levels.map((l) => [l.key, l.reviewDays]),
        [
          ['LOW', 360],
          ['MEDIUM', 180],
          ['HIGH', 90],
          ['CRITICAL', 30],
        ],
      );
      const audit = await svc.service.context.db.kysely.selectFrom('audit_log').select('command').where('entity_id', '=', matrix.id).execute();
      assert.deepEqual(
        audit.map((a) => a.command),
        ['risk-matrix.seed-default'],
      );
    });

    it('identifies and assesses a risk: reference, owner name, levels with colours, next review from the level cadence', async () => {
      const risk = await newRisk('Card fraud losses on ATM network');
      assert.match(risk.reference, /^RSK-\d{4}$/);
      assert.equal(risk.status, 'IDENTIFIED');
      assert.equal(risk.ownerName, 'Ruth Mutua');
      assert.equal(risk.inherent, null);
      const assessment = await assess(risk, 4, 5);
      assert.deepEqual(assessment.inherent, {
        likelihood: 4,
        impact: 5,
        score: 20,
        level: { key: 'CRITICAL', name: 'Critical', colour: '#c62828', reviewDays: 30 },
      });
      assert.deepEqual(assessment.residual, assessment.inherent, 'no controls: residual = inherent');
      const after = (await detail(risk.id)).risk;
      assert.equal(after.status, 'ASSESSED');
      assert.equal(after.residual?.level.colour, '#c62828');
      assert.equal(after.nextReviewAt, new Date(Date.parse(NOW) + 30 * DAY).toISOString());
      assert.equal(after.reviewOverdue, false);
      assert.ok(after.residualExplanation?.lines.some((l) => l.includes('No linked controls')));
    });

    it('derives the residual from linked controls; a FAIL test on a preventive control raises it and the explanation names the control', async () => {
      const risk = await newRisk('Unauthorised RTGS transfers');
      await assess(risk, 4, 5);
      const dual = await newControl('Dual authorisation of RTGS', 'PREVENTIVE', [risk.id]);
      assert.equal(dual.effectiveness, 'NOT_TESTED');
      assert.equal((await detail(risk.id)).risk.residual?.score, 20, 'an untested control reduces nothing');

      const pdf = Buffer.from('%PDF-1.4\n% test evidence\n').toString('base64');
      const passed = await test(dual.id, 'PASS', { evidence: { fileName: 'walkthrough.pdf', contentType: 'application/pdf', contentBase64: pdf } });
      assert.equal(passed.control.effectiveness, 'EFFECTIVE');
      assert.equal(passed.test.evidence?.fileName, 'walkthrough.pdf');
      let now = (await detail(risk.id)).risk;
      assert.deepEqual([now.residual?.likelihood, now.residual?.impact, now.residual?.score], [3, 5, 15]);
      assert.equal(now.residual?.level.key, 'HIGH');

      const monitor = await newControl('Transaction monitoring alerts', 'DETECTIVE', []);
      await call('POST', `/api/v1/risks/${risk.id}/controls`, { controlId: monitor.id });
      await test(monitor.id, 'PARTIAL');
      now = (await detail(risk.id)).risk;
      assert.equal(now.residual?.impact, 5, 'half a step rounds down to none');
      assert.equal(now.controlCount, 2);

      await test(dual.id, 'FAIL');
      now = (await detail(risk.id)).risk;
      assert.deepEqual([now.residual?.likelihood, now.residual?.score], [4, 20], 'the failed preventive control no longer lowers likelihood');
      assert.equal(now.residual?.level.key, 'CRITICAL');
      const line = now.residualExplanation?.lines.find((l) => l.includes(dual.reference));
      assert.ok(line?.includes('ineffective'), `explanation names ${dual.reference}: ${JSON.stringify(now.residualExplanation?.lines)}`);
      assert.equal(now.residualExplanation?.controls.find((c) => c.controlId === dual.id)?.effectiveness, 'INEFFECTIVE');

      const tests = await call('GET', `/api/v1/controls/${dual.id}/tests`);
      assert.deepEqual(
        (tests as Array<{ result: string }>).map((t) => t.result),
        ['FAIL', 'PASS'],
      );
      const file = await svc.request('GET', `/api/v1/controls/${dual.id}/tests/${passed.test.id}/evidence`, { token: officer() });
      assert.equal(file.status, 200);
      assert.equal(file.headers.get('x-content-type-options'), 'nosniff');

      await svc.request('DELETE', `/api/v1/risks/${risk.id}/controls/${monitor.id}`, { token: officer() });
      assert.equal((await detail(risk.id)).risk.controlCount, 1);
    });

    it('freezes the matrix into each assessment: editing the matrix leaves old scores and levels reproducible', async () => {
      const risk = await newRisk('Core banking outage');
      const first = await assess(risk, 3, 4);
      assert.equal(first.residual.level.key, 'HIGH');
      const current = RiskMatrixVersion.parse(await call('GET', '/api/v1/risk-matrix'));
      const edited = structuredClone(current.definition);
      edited.cells[2]![3] = 3; // likelihood 3 × impact 4 becomes Critical
      edited.levels[2]!.colour = '#ff0000';
      const bad = await svc.request('PUT', '/api/v1/risk-matrix', {
        token: tokens['faith.wambui'],
        body: { definition: { ...edited, cells: edited.cells.slice(1) }, note: 'broken', expectedVersionNumber: current.versionNumber },
      });
      assert.equal(bad.status, 400);
      assert.ok(fieldsOf(bad.body).includes('body.definition.cells'), JSON.stringify(bad.body));
      const refused = await svc.request('PUT', '/api/v1/risk-matrix', { token: officer(), body: { definition: edited, note: 'x', expectedVersionNumber: 1 } });
      assert.equal(refused.status, 403, 'risk officers do not configure the matrix');
      const v2 = RiskMatrixVersion.parse(
        await call(
          'PUT',
          '/api/v1/risk-matrix',
          { definition: edited, note: '3×4 is critical', expectedVersionNumber: current.versionNumber },
          tokens['faith.wambui'],
        ),
      );
      assert.equal(v2.versionNumber, current.versionNumber + 1);
      const stale = await svc.request('PUT', '/api/v1/risk-matrix', {
        token: tokens['faith.wambui'],
        body: { definition: edited, note: 'again', expectedVersionNumber: current.versionNumber },
      });
      assert.equal(stale.status, 409);

      const [old] = (await call('GET', `/api/v1/risks/${risk.id}/assessments`)) as unknown[];
      const frozen = RiskAssessment.parse(old);
      assert.equal(frozen.matrixVersionNumber, current.versionNumber);
      assert.deepEqual(frozen.residual.level, { key: 'HIGH', name: 'High', colour: '#ef6c00', reviewDays: 90 });
      assert.deepEqual(scoreOn(frozen.matrix, 3, 4), frozen.inherent, 'reproducible from the frozen matrix');
      assert.equal((await detail(risk.id)).risk.residual?.level.key, 'HIGH', 'the risk keeps the level of the matrix it was assessed on');

      clock.advance(60_000);
      const again = await assess((await detail(risk.id)).risk, 3, 4);
      assert.equal(again.matrixVersionNumber, v2.versionNumber);
      assert.deepEqual(again.residual.level, { key: 'CRITICAL', name: 'Critical', colour: '#c62828', reviewDays: 30 });
      const history = ((await call('GET', `/api/v1/risks/${risk.id}/assessments`)) as unknown[]).map((a) => RiskAssessment.parse(a));
      assert.deepEqual(
        history.map((a) => [a.matrixVersionNumber, a.residual.level.key]),
        [
          [v2.versionNumber, 'CRITICAL'],
          [current.versionNumber, 'HIGH'],
        ],
      );
    });

    it('moves a risk along identified → assessed → treated → monitored → closed, refuses other moves, and reopens', async () => {
      const risk = await newRisk('Regulatory reporting delays', { category: 'COMPLIANCE' });
      const move = (status: string, version: number, note = '') =>
        svc.request('POST', `/api/v1/risks/${risk.id}/status`, { token: officer(), body: { status, version, note, expectedVersion: version } });
      assert.equal((await move('TREATED', 1)).status, 409, 'IDENTIFIED cannot jump to TREATED');
      assert.equal((await move('ASSESSED', 1)).status, 409, 'no assessment yet');
      await assess(risk, 2, 3);
      let r = (await detail(risk.id)).risk;
      assert.deepEqual(r.allowedTransitions, ['TREATED', 'MONITORED', 'CLOSED']);
      assert.equal((await move('TREATED', r.version)).status, 409, 'no treatment plan yet');
      await call(
        'POST',
        `/api/v1/risks/${risk.id}/treatments`,
        { strategy: 'MITIGATE', title: 'Automate the returns', ownerId: ids['ruth.mutua'], dueDate: '2026-12-31' },
        officer(),
        201,
      );
      assert.equal((await move('TREATED', r.version)).status, 200);
      r = (await detail(risk.id)).risk;
      assert.equal((await move('MONITORED', r.version)).status, 200);
      r = (await detail(risk.id)).risk;
      const noNote = await move('CLOSED', r.version);
      assert.equal(noNote.status, 400);
      assert.deepEqual(fieldsOf(noNote.body), ['body.note']);
      assert.equal((await move('CLOSED', r.version, 'process retired')).status, 200);
      r = (await detail(risk.id)).risk;
      assert.equal(r.status, 'CLOSED');
      assert.equal(r.nextReviewAt, null);
      const closedAssess = await svc.request('POST', `/api/v1/risks/${risk.id}/assessments`, {
        token: officer(),
        body: { inherentLikelihood: 1, inherentImpact: 1, expectedVersion: r.version },
      });
      assert.equal(closedAssess.status, 409);
      assert.equal((await move('ASSESSED', r.version, 'back in scope')).status, 200);
      assert.equal((await detail(risk.id)).risk.status, 'ASSESSED');
    });

    it("keeps other tenants' risks out: 404 on records, 403 naming another tenant, nothing in lists", async () => {
      const risk = await newRisk('Branch cash shortfall');
      const other = tokens['otto.other']!;
      for (const [method, path, body] of [
        ['GET', `/api/v1/risks/${risk.id}`, undefined],
        ['PUT', `/api/v1/risks/${risk.id}`, { title: 'xxx', category: 'FRAUD', businessUnit: 'x', ownerId: ids['otto.other'], expectedVersion: 1 }],
        ['POST', `/api/v1/risks/${risk.id}/assessments`, { inherentLikelihood: 1, inherentImpact: 1, expectedVersion: 1 }],
        ['GET', `/api/v1/risks/${risk.id}/assessments`, undefined],
      ] as const) {
        const res = await svc.request(method, path, { token: other, ...(body ? { body } : {}) });
        assert.equal(res.status, 404, `${method} ${path}: ${JSON.stringify(res.body)}`);
      }
      const create = await svc.request('POST', '/api/v1/risks', {
        token: other,
        body: { tenantId: TENANT, title: 'sneaky', category: 'FRAUD', businessUnit: 'x', ownerId: ids['otto.other'] },
      });
      assert.equal(create.status, 403);
      const page = RiskPage.parse(await call('GET', '/api/v1/risks?status=ALL', undefined, other));
      assert.equal(page.total, 0);
      assert.deepEqual(page.heatMap, { inherent: [], residual: [] });
      const auditor = await svc.request('POST', '/api/v1/risks', {
        token: tokens['grace.achieng'],
        body: { tenantId: TENANT, title: 'read only', category: 'FRAUD', businessUnit: 'x', ownerId: ids['ruth.mutua'] },
      });
      assert.equal(auditor.status, 403);
    });

    it('answers 400 naming the fields and 409 on a stale version', async () => {
      const bad = await svc.request('POST', '/api/v1/risks', {
        token: officer(),
        body: { tenantId: TENANT, category: 'WEATHER', businessUnit: '', ownerId: 'x' },
      });
      assert.equal(bad.status, 400);
      for (const field of ['body.title', 'body.category', 'body.businessUnit', 'body.ownerId'])
        assert.ok(fieldsOf(bad.body).includes(field), `${field} in ${JSON.stringify(bad.body)}`);
      const foreignOwner = await svc.request('POST', '/api/v1/risks', {
        token: officer(),
        body: { tenantId: TENANT, title: 'Owner elsewhere', category: 'FRAUD', businessUnit: 'Cards', ownerId: ids['otto.other'] },
      });
      assert.equal(foreignOwner.status, 400);
      assert.deepEqual(fieldsOf(foreignOwner.body), ['body.ownerId']);
      const risk = await newRisk('Stale edits');
      const offGrid = await svc.request('POST', `/api/v1/risks/${risk.id}/assessments`, {
        token: officer(),
        body: { inherentLikelihood: 7, inherentImpact: 2, expectedVersion: risk.version },
      });
      assert.equal(offGrid.status, 400);
      assert.deepEqual(fieldsOf(offGrid.body), ['body.inherentLikelihood']);
      const edit = { title: 'Stale edits (renamed)', category: 'OPERATIONAL', businessUnit: 'Payments', ownerId: ids['ruth.mutua'] };
      await call('PUT', `/api/v1/risks/${risk.id}`, { ...edit, expectedVersion: risk.version });
      const stale = await svc.request('PUT', `/api/v1/risks/${risk.id}`, { token: officer(), body: { ...edit, expectedVersion: risk.version } });
      assert.equal(stale.status, 409);
      const control = await newControl('Stale control', 'CORRECTIVE', []);
      const staleControl = await svc.request('PUT', `/api/v1/controls/${control.id}`, {
        token: officer(),
        body: { name: 'x y z', type: 'CORRECTIVE', ownerId: ids['ruth.mutua'], frequency: 'MONTHLY', expectedVersion: control.version + 1 },
      });
      assert.equal(staleControl.status, 409);
    });

    it('counts risks per heat-map cell for inherent and residual, and a clicked cell filters the items', async () => {
      const page = RiskPage.parse(await call('GET', '/api/v1/risks?pageSize=500'));
      const residualTotal = page.heatMap.residual.reduce((n, c) => n + c.count, 0);
      assert.equal(residualTotal, page.items.filter((r) => r.residual).length);
      const cell = page.heatMap.residual.find((c) => c.count > 0)!;
      const clicked = RiskPage.parse(await call('GET', `/api/v1/risks?likelihood=${cell.likelihood}&impact=${cell.impact}&basis=residual`));
      assert.equal(clicked.total, cell.count);
      assert.ok(clicked.items.every((r) => r.residual?.likelihood === cell.likelihood && r.residual.impact === cell.impact));
      assert.deepEqual(clicked.heatMap, page.heatMap, 'the map stays whole when a cell is clicked');
      const half = await svc.request('GET', '/api/v1/risks?likelihood=2', { token: officer() });
      assert.equal(half.status, 400);
      assert.deepEqual(fieldsOf(half.body), ['query.impact']);
    });

    it('flags overdue reviews, tests and treatments as the clock moves', async () => {
      const risk = await newRisk('Late reviews');
      await assess(risk, 5, 5);
      const control = await newControl('Monthly reconciliation', 'DETECTIVE', [risk.id]);
      assert.equal(control.testOverdue, false);
      await call(
        'POST',
        `/api/v1/risks/${risk.id}/treatments`,
        { strategy: 'MITIGATE', title: 'Staff the review desk', ownerId: ids['ruth.mutua'], dueDate: '2026-12-01' },
        officer(),
        201,
      );
      assert.equal((await detail(risk.id)).treatments[0]?.overdue, false);
      clock.advance(31 * DAY);
      // Sessions expire with the clock too: sign in again.
      tokens['ruth.mutua'] = (await svc.login('ruth.mutua', TEST_USER_PASSWORD)).token;
      const r = (await detail(risk.id)).risk;
      assert.equal(r.reviewOverdue, true, 'critical risks are reviewed every 30 days');
      assert.equal((await detail(risk.id)).treatments[0]?.overdue, true, 'a plan past its due date');
      const overdue = RiskPage.parse(await call('GET', '/api/v1/risks?reviewOverdue=true&pageSize=500'));
      assert.ok(overdue.items.some((x) => x.id === risk.id));
      assert.ok(overdue.items.every((x) => x.reviewOverdue));
      const c = Control.parse(await call('GET', `/api/v1/controls/${control.id}`));
      assert.equal(c.testOverdue, true, 'a monthly control untested for 31 days');
      const controls = (await call('GET', '/api/v1/controls?testOverdue=true&pageSize=500')) as { items: Array<{ id: string }> };
      assert.ok(controls.items.some((x) => x.id === control.id));
      const tested = await test(control.id, 'PASS');
      assert.equal(tested.control.testOverdue, false);
      await assess((await detail(risk.id)).risk, 5, 5);
      assert.equal((await detail(risk.id)).risk.reviewOverdue, false, 'a new assessment restarts the review cadence');
    });
  });
}
