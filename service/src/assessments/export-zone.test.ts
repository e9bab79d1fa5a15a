import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestUser, startTestService, TEST_ADMIN_PASSWORD, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { criticalPayment } from '../testing/fixtures.ts';
import { ManualClock } from '../clock.ts';
import { Assessment, AssessmentResponse } from '../../../shared/src/assessments.ts';
import { bankZoneHeader, isoInBankZone, zoneOffsetAt } from '../../../shared/src/bank-time.ts';

after(stopTestPostgres);

/**
 * Exports say their zone (issue 11 §4, README "Dates and time zones"): every time column's header
 * names the bank's zone and every value is ISO 8601 with that zone's offset — the same wall-clock
 * time the screens show in EAT, not UTC without a word.
 */
describe('the bank time zone helpers', () => {
  it('write ISO 8601 with the offset of the zone at that instant', () => {
    assert.equal(isoInBankZone('2026-11-20T21:30:00Z'), '2026-11-21T00:30:00+03:00');
    assert.equal(isoInBankZone(new Date('2026-11-20T21:30:00.999Z')), '2026-11-21T00:30:00+03:00');
    assert.equal(bankZoneHeader(), 'EAT UTC+03:00');
    // Other zones, across daylight-saving changes (the helper is not tied to Nairobi's fixed offset).
    assert.equal(isoInBankZone('2026-04-04T16:45:00Z', 'Australia/Adelaide'), '2026-04-05T02:15:00+09:30');
    assert.equal(isoInBankZone('2026-03-29T00:30:00Z', 'Europe/London'), '2026-03-29T00:30:00+00:00');
    assert.equal(isoInBankZone('2026-03-29T01:30:00Z', 'Europe/London'), '2026-03-29T02:30:00+01:00');
    assert.equal(zoneOffsetAt(Date.parse('2026-07-01T12:00:00Z'), 'America/New_York'), -240);
    assert.equal(isoInBankZone(''), '');
    assert.equal(isoInBankZone('not a date'), '');
  });
});

for (const dialect of DIALECTS) {
  describe(`exports name their time zone on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let admin: string;
    let auditor: string;
    let assessment: Assessment;

    before(async () => {
      // 21:30 UTC is already the next day in Nairobi: a UTC export would show the wrong date.
      svc = await startTestService(dialect, { clock: new ManualClock('2026-11-20T21:30:00Z') });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      await addTestUser(svc, 'grace.auditor', 'AUDITOR');
      auditor = (await svc.login('grace.auditor', TEST_USER_PASSWORD)).token;
      const client = await svc.request('POST', '/api/v1/api-clients', {
        token: admin,
        body: { name: 'Core payment engine', role: 'PAYMENT_ENGINE', tenantIds: ['WEKEZA-KE'] },
      });
      const apiKey = (client.body as { apiKey: string }).apiKey;
      const scored = await svc.request('POST', '/api/v1/fraud-risk/assessments', {
        headers: { 'x-api-key': apiKey },
        body: criticalPayment(),
      });
      assert.equal(scored.status, 201, JSON.stringify(scored.body));
      const id = AssessmentResponse.parse(scored.body).assessmentId;
      assessment = Assessment.parse((await svc.request('GET', `/api/v1/fraud-risk/assessments/${id}`, { token: admin })).body);
    });
    after(async () => {
      await svc?.stop();
    });

    it('assessments CSV: the created_at header names EAT and the value carries +03:00', async () => {
      const csv = await svc.request('GET', '/api/v1/fraud-risk/assessments/export.csv', { token: admin });
      assert.equal(csv.status, 200);
      const [header, ...rows] = String(csv.body).trim().split('\r\n');
      const columns = header!.split(',');
      const at = columns.indexOf('created_at (EAT UTC+03:00)');
      assert.ok(at >= 0, `a time column names its zone: ${header}`);
      assert.ok(!columns.includes('created_at'), 'no time column without its zone');
      const row = rows.find((r) => r.startsWith(assessment.assessmentId));
      assert.ok(row, 'the assessment is exported');
      const value = row.split(',')[at]!;
      assert.match(value, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/);
      assert.equal(Date.parse(value), Math.floor(Date.parse(assessment.createdAt) / 1000) * 1000, 'the same instant');
      assert.equal(value, isoInBankZone(assessment.createdAt));
    });

    it('cases CSV and XLSX: every time header names EAT; CSV values carry +03:00, XLSX cells show EAT wall-clock time', async () => {
      assert.ok(assessment.caseId, 'the critical payment opened a case');
      const csv = await fetch(`${svc.url}/api/v1/cases/export.csv?state=ALL`, { headers: { authorization: `Bearer ${auditor}` } });
      assert.equal(csv.status, 200);
      const [header, ...rows] = (await csv.text()).trim().split('\r\n');
      const columns = header!.split(',');
      for (const name of ['SLA due', 'Opened', 'Closed']) assert.ok(columns.includes(`${name} (${bankZoneHeader()})`), `${name} names its zone: ${header}`);
      assert.ok(!columns.some((c) => /\(UTC\)/.test(c)), 'nothing left in bare UTC');
      const opened = rows[0]!.split(',')[columns.indexOf(`Opened (${bankZoneHeader()})`)]!;
      assert.match(opened, /^2026-11-21T00:\d{2}:\d{2}\+03:00$/, 'opened just after midnight in Nairobi');

      const xlsx = await fetch(`${svc.url}/api/v1/cases/export.xlsx?state=ALL`, { headers: { authorization: `Bearer ${auditor}` } });
      assert.equal(xlsx.status, 200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await xlsx.arrayBuffer());
      const sheet = workbook.getWorksheet('Cases')!;
      const headers = (sheet.getRow(1).values as unknown[]).map(String);
      const column = headers.indexOf(`Opened (${bankZoneHeader()})`);
      assert.ok(column > 0, `the XLSX header names its zone: ${headers.join(' | ')}`);
      const cell = sheet.getRow(2).getCell(column).value;
      assert.ok(cell instanceof Date);
      // A spreadsheet shows the cell as written: the bank's wall-clock time.
      assert.equal(cell.toISOString().slice(0, 16), opened.slice(0, 16));
    });
  });
}
