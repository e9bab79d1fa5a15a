import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, startTestService, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { ManualClock } from '../clock.ts';
import { SYSTEM_ACTOR } from '../commands/bus.ts';
import { createUser } from '../users/users.ts';
import { ImportCommitResult, ImportPreview, RiskOverview } from '../../../shared/src/risk-reports.ts';
import { Risk } from '../../../shared/src/risk-register.ts';

after(stopTestPostgres);

const NOW = '2026-11-20T12:00:00.000Z';
const KE = 'WEKEZA-KE';
const UG = 'WEKEZA-UG';
const b64 = (content: string | Buffer) => Buffer.from(content).toString('base64');
const DAY = 86_400_000;

/** The same file Excel writes in a decimal-comma locale: BOM, semicolons, trailing spaces, CRLF. */
function excelCsv(lines: string[]): string {
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

async function xlsxOf(header: string[], rows: Array<Array<string | number | Date | null>>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

for (const dialect of DIALECTS) {
  describe(`risk register import, export, board report and overview on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let clock: ManualClock;
    let tokens: Record<string, string>;
    let ids: Record<string, string>;
    let manager: string;
    const count = async (table: 'risks' | 'controls' | 'kris', tenantId = KE) =>
      Number(
        (
          await svc.service.context.db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .where('tenant_id', '=', tenantId)
            .where('deleted_at', 'is', null)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const audits = async (command: string) =>
      Number(
        (
          await svc.service.context.db.kysely
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .where('command', '=', command)
            .executeTakeFirstOrThrow()
        ).n,
      );
    /** Records among `ids` that have an audit row written by `command` (the row's own create). */
    const auditedBy = async (command: string, ids: string[]) =>
      new Set(
        (
          await svc.service.context.db.kysely.selectFrom('audit_log').select('entity_id').where('command', '=', command).where('entity_id', 'in', ids).execute()
        ).map((a) => a.entity_id),
      ).size;
    const preview = async (body: Record<string, unknown>, token = manager) => {
      const res = await svc.request('POST', '/api/v1/risk-imports/preview', { token, body });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return ImportPreview.parse(res.body);
    };
    const commit = async (p: ImportPreview, token = manager) => {
      const res = await svc.request('POST', `/api/v1/risk-imports/${p.previewId}/commit`, { token, body: { tenantId: p.tenantId } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return ImportCommitResult.parse(res.body);
    };
    const download = async (url: string, token = manager) => {
      const res = await fetch(`${svc.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200, `${url}: ${res.status} ${await res.clone().text()}`);
      return { type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
    };

    before(async () => {
      clock = new ManualClock(NOW);
      svc = await startTestService(dialect, { clock });
      ({ tokens, ids } = await addTestTeam(svc, [
        ['faith.wambui', 'RISK_MANAGER'],
        ['wanjiru.njoroge', 'COMPLIANCE_OFFICER'],
        ['david.kiprop', 'EXECUTIVE'],
        ['grace.mwangi', 'RISK_OFFICER', [UG]],
      ]));
      manager = tokens['faith.wambui']!;
      // Two people share a display name: an import must ask for the username.
      for (const username of ['john.kamau', 'john.kamau2']) {
        await svc.service.context.bus.execute(
          createUser,
          { username, displayName: 'John Kamau', role: 'RISK_OFFICER', tenantIds: [KE], password: TEST_USER_PASSWORD, passwordChangeRequired: false },
          SYSTEM_ACTOR,
        );
      }
    });
    after(async () => svc?.stop());

    it('names every bad row and column in the preview, and a commit of it imports nothing', async () => {
      const file = excelCsv([
        'Title ;Category;Business unit;Owner;Description',
        'Card-not-present fraud rises ;fraud;Retail banking ;Faith Wambui  ;Losses grow with e-commerce',
        'Weather damages branch;Weather;Operations;faith.wambui;',
        'Teller cash shortage;operational;Branches;nobody.here;',
        ';compliance;Compliance;faith.wambui;no title',
        'Sanctions backlog;COMPLIANCE;Compliance;John Kamau;',
      ]);
      const p = await preview({ tenantId: KE, kind: 'risks', format: 'csv', contentBase64: b64(file), fileName: 'risks.csv' });
      assert.deepEqual(p.counts, { total: 5, valid: 1, invalid: 4, duplicate: 0 });
      assert.equal(p.canCommit, false);
      const problem = (row: number) => p.errors.filter((e) => e.row === row).map((e) => `${e.column}: ${e.message}`);
      assert.deepEqual(problem(2), []);
      assert.equal(p.rows[0]!.values.Title, 'Card-not-present fraud rises', 'trailing spaces trimmed');
      assert.equal(p.rows[0]!.values.Owner, 'Faith Wambui (faith.wambui)', 'owner found by display name');
      assert.equal(p.rows[0]!.values.Category, 'FRAUD');
      assert.match(problem(3).join(), /^Category: "Weather" is not one of Credit, Operational/);
      assert.match(problem(4).join(), /^Owner: no user has the username or display name "nobody.here"/);
      assert.equal(problem(5)[0]?.split(':')[0], 'Title');
      assert.match(problem(6).join(), /^Owner: 2 users are named "John Kamau": use the username \(john\.kamau, john\.kamau2\)/);

      const res = await svc.request('POST', `/api/v1/risk-imports/${p.previewId}/commit`, { token: manager, body: { tenantId: KE } });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      const fields = (res.body as { error: { fields: Array<{ path: string }> } }).error.fields.map((f) => f.path);
      assert.deepEqual(fields, [
        'params.previewId.rows[3].Category',
        'params.previewId.rows[4].Owner',
        'params.previewId.rows[5].Title',
        'params.previewId.rows[6].Owner',
      ]);
      assert.equal(await count('risks'), 0);
      assert.equal(await audits('risk.create'), 0);
      assert.equal(await audits('risk-import.preview'), 1);
    });

    it('refuses import to callers without risk:configure and previews of another tenant', async () => {
      const body = { tenantId: KE, kind: 'risks', format: 'csv', contentBase64: b64('Title\r\nx\r\n') };
      for (const user of ['wanjiru.njoroge', 'david.kiprop']) {
        assert.equal((await svc.request('POST', '/api/v1/risk-imports/preview', { token: tokens[user]!, body })).status, 403);
      }
      const p = await preview({
        tenantId: KE,
        kind: 'risks',
        format: 'csv',
        contentBase64: b64('Title;Category;Business unit;Owner\nSome risk;fraud;Retail;faith.wambui\n'),
      });
      const other = await svc.request('POST', `/api/v1/risk-imports/${p.previewId}/commit`, { token: manager, body: { tenantId: UG } });
      assert.equal(other.status, 404, 'a preview is committed only into the tenant it was made for');
      const broken = await svc.request('POST', '/api/v1/risk-imports/preview', {
        token: manager,
        body: { tenantId: KE, kind: 'risks', format: 'xlsx', contentBase64: b64('not a workbook') },
      });
      assert.equal(broken.status, 400);
      assert.match(JSON.stringify(broken.body), /body\.contentBase64.*not an \.xlsx workbook/);
    });

    it('commits a good file through the create commands in one go (audited), and a second commit finds only duplicates', async () => {
      const file = excelCsv([
        'Title;Category;Business unit;Owner;Causes;Consequences',
        'Card-not-present fraud rises;Fraud;Retail banking;Faith Wambui;New e-commerce merchants;Chargebacks',
        'Liquidity coverage falls below 100%;liquidity;Treasury;faith.wambui;Deposit run;Regulatory breach',
        'Sanctions screening backlog;compliance;Compliance;john.kamau;Staff shortage;Fines',
      ]);
      const p = await preview({ tenantId: KE, kind: 'risks', format: 'csv', contentBase64: b64(file) });
      assert.deepEqual(p.counts, { total: 3, valid: 3, invalid: 0, duplicate: 0 });
      assert.equal(p.canCommit, true);
      const done = await commit(p);
      assert.deepEqual(
        done.created.map((c) => [c.row, c.reference]),
        [
          [2, 'RSK-0001'],
          [3, 'RSK-0002'],
          [4, 'RSK-0003'],
        ],
      );
      assert.equal(await count('risks'), 3);
      assert.equal(await audits('risk.create'), 3, 'one audited risk.create per row');
      assert.equal(
        await auditedBy(
          'risk.create',
          done.created.map((c) => c.id),
        ),
        3,
      );
      assert.equal(await audits('risk-import.commit'), 1);
      const risk = Risk.parse(((await svc.request('GET', `/api/v1/risks/${done.created[2]!.id}`, { token: manager })).body as { risk: unknown }).risk);
      assert.equal(risk.ownerName, 'John Kamau');
      assert.equal(risk.businessUnit, 'Compliance');

      const again = await commit(p);
      assert.deepEqual(again.created, []);
      assert.equal(again.skippedDuplicates, 3);
      assert.equal(await count('risks'), 3);
    });

    it('imports controls from XLSX linked to risks by reference, and KRIs from a decimal-comma CSV', async () => {
      const xlsx = await xlsxOf(
        ['Name', 'Type', 'Frequency', 'Owner', 'Description', 'Risks'],
        [
          ['3-D Secure on card payments', 'preventive', 'Semi-annual', 'faith.wambui', 'Step-up for e-commerce', 'RSK-0001'],
          ['Daily LCR monitoring', 'Detective', 'daily', 'Faith Wambui', null, 'rsk-0002; RSK-0001'],
        ],
      );
      const controls = await preview({ tenantId: KE, kind: 'controls', format: 'xlsx', contentBase64: b64(xlsx) });
      assert.equal(controls.canCommit, true, JSON.stringify(controls.errors));
      const made = await commit(controls);
      assert.equal(made.created.length, 2);
      const lcr = (await svc.request('GET', `/api/v1/controls/${made.created[1]!.id}`, { token: manager })).body as {
        linkedRisks: Array<{ reference: string }>;
        frequency: string;
      };
      assert.deepEqual(lcr.linkedRisks.map((r) => r.reference).sort(), ['RSK-0001', 'RSK-0002']);
      assert.equal(
        await auditedBy(
          'control.create',
          made.created.map((c) => c.id),
        ),
        2,
      );

      const kris = excelCsv([
        'Name;Unit;Direction;Warning threshold;Critical threshold;Frequency;Owner;Risks',
        'Transaction failure rate;%;Higher is worse;2,5;4;daily;faith.wambui;RSK-0001',
        'Liquidity coverage ratio;%;higher-is-better;120;100;Weekly;;RSK-0002',
        'Broken thresholds;%;Higher is worse;5;4;daily;;',
      ]);
      const bad = await preview({ tenantId: KE, kind: 'kris', format: 'csv', contentBase64: b64(kris) });
      assert.deepEqual(
        bad.errors.map((e) => [e.row, e.column]),
        [[4, 'Critical threshold']],
      );
      assert.match(bad.errors[0]!.message, /must be above the warning threshold/);
      const good = await preview({ tenantId: KE, kind: 'kris', format: 'csv', contentBase64: b64(kris.split('\r\n').slice(0, 3).join('\r\n')) });
      assert.equal(good.rows[0]!.values['Warning threshold'], 2.5, 'a decimal comma in a semicolon file');
      const kriMade = await commit(good);
      assert.equal(kriMade.created.length, 2);
      assert.equal(
        await auditedBy(
          'kri.create',
          kriMade.created.map((c) => c.id),
        ),
        2,
      );
    });

    it('exports risks, controls and KRIs as CSV and XLSX that preview back as the same rows (duplicates here, valid once gone)', async () => {
      const csv = await download('/api/v1/risks/export?format=csv');
      assert.match(csv.type, /^text\/csv/);
      const text = csv.bytes.toString('utf8');
      assert.match(text, /^Reference,Tenant,Title,Category,Status,Business unit,Owner,Owner name,/);
      assert.match(text, /RSK-0003,WEKEZA-KE,Sanctions screening backlog,COMPLIANCE,IDENTIFIED,Compliance,john\.kamau,John Kamau,/);
      for (const [kind, format] of [
        ['risks', 'csv'],
        ['risks', 'xlsx'],
        ['controls', 'xlsx'],
        ['kris', 'csv'],
      ] as const) {
        const file = await download(`/api/v1/${kind}/export?format=${format}`);
        const back = await preview({ tenantId: KE, kind, format, contentBase64: b64(file.bytes) });
        assert.equal(back.errors.length, 0, `${kind} ${format}: ${JSON.stringify(back.errors)}`);
        assert.equal(back.counts.duplicate, await count(kind), `${kind} ${format}: every exported row is a duplicate of itself`);
        assert.deepEqual(
          back.rows.map((r) => r.duplicateOf),
          back.rows.map((r) => r.values.Reference),
        );
      }
      // Delete one risk: the same export previews it as a new, valid row with its values intact.
      const xlsx = await download('/api/v1/risks/export?format=xlsx');
      const risk3 = (await svc.request('GET', '/api/v1/risks?q=Sanctions', { token: manager })).body as { items: Array<{ id: string; version: number }> };
      const del = await svc.request('DELETE', `/api/v1/risks/${risk3.items[0]!.id}?expectedVersion=${risk3.items[0]!.version}`, { token: manager });
      assert.ok(del.status < 300, JSON.stringify(del.body));
      const back = await preview({ tenantId: KE, kind: 'risks', format: 'xlsx', contentBase64: b64(xlsx.bytes) });
      const row = back.rows.find((r) => r.values.Reference === 'RSK-0003')!;
      assert.equal(row.status, 'VALID');
      assert.equal(row.values.Title, 'Sanctions screening backlog');
      assert.equal(row.values.Owner, 'John Kamau (john.kamau)');
      const readded = await commit(back);
      assert.deepEqual(
        readded.created.map((c) => c.row),
        [4],
      );
    });

    it('answers the overview with the numbers of the data made through the API, for the caller’s tenants only', async () => {
      const risks = ((await svc.request('GET', '/api/v1/risks?pageSize=50', { token: manager })).body as { items: Risk[] }).items;
      const byTitle = new Map(risks.map((r) => [r.title, r]));
      const assess = async (title: string, likelihood: number, impact: number) => {
        const r = byTitle.get(title)!;
        const current = Risk.parse(((await svc.request('GET', `/api/v1/risks/${r.id}`, { token: manager })).body as { risk: unknown }).risk);
        const res = await svc.request('POST', `/api/v1/risks/${r.id}/assessments`, {
          token: manager,
          body: { inherentLikelihood: likelihood, inherentImpact: impact, note: 'Quarterly review', expectedVersion: current.version },
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
      };
      // Two weeks ago a risk was recorded and assessed low; this week it and the imported three are assessed.
      clock.set(new Date(Date.parse(NOW) - 14 * DAY));
      const outage = await svc.request('POST', '/api/v1/risks', {
        token: manager,
        body: { tenantId: KE, title: 'Core banking outage at month-end', category: 'OPERATIONAL', businessUnit: 'IT', ownerId: ids['faith.wambui'] },
      });
      assert.equal(outage.status, 201, JSON.stringify(outage.body));
      byTitle.set('Core banking outage at month-end', Risk.parse(outage.body));
      await assess('Core banking outage at month-end', 2, 2);
      clock.set(NOW);
      await assess('Core banking outage at month-end', 5, 4);
      await assess('Card-not-present fraud rises', 3, 4);
      await assess('Liquidity coverage falls below 100%', 4, 5);
      await assess('Sanctions screening backlog', 3, 3);
      // A passed test of the preventive control on the card risk lowers its residual likelihood.
      const controls = ((await svc.request('GET', '/api/v1/controls?q=3-D', { token: manager })).body as { items: Array<{ id: string }> }).items;
      const tested = await svc.request('POST', `/api/v1/controls/${controls[0]!.id}/tests`, {
        token: manager,
        body: { result: 'PASS', notes: 'Sampled 25 e-commerce payments: all stepped up' },
      });
      assert.equal(tested.status, 201, JSON.stringify(tested.body));
      const fresh = ((await svc.request('GET', '/api/v1/risks?pageSize=50', { token: manager })).body as { items: Risk[] }).items;
      const card = fresh.find((r) => r.title.startsWith('Card'))!;
      assert.ok(card.residual!.likelihood < card.inherent!.likelihood, 'the control works on the card risk');

      const kris = ((await svc.request('GET', '/api/v1/kris', { token: manager })).body as { kris: Array<{ id: string; name: string }> }).kris;
      const failure = kris.find((k) => k.name === 'Transaction failure rate')!;
      const measured = await svc.request('POST', `/api/v1/kris/${failure.id}/measurements`, { token: manager, body: { value: 4.2 } });
      assert.equal(measured.status, 201, JSON.stringify(measured.body));
      const event = (title: string, occurredAt: string, financialImpact: number | null) =>
        svc.request('POST', '/api/v1/risk-events', {
          token: manager,
          body: {
            tenantId: KE,
            riskId: byTitle.get('Card-not-present fraud rises')!.id,
            type: financialImpact ? 'LOSS' : 'NEAR_MISS',
            severity: 'HIGH',
            title,
            occurredAt,
            ...(financialImpact ? { financialImpact, currency: 'KES' } : {}),
          },
        });
      for (const [title, at, amount] of [
        ['ATM cash-out ring', '2026-11-02T08:00:00.000Z', 2_400_000],
        ['Card testing burst', '2026-11-18T09:30:00.000Z', 150_000.5],
        ['Phishing near miss', '2026-11-19T10:00:00.000Z', null],
        ['Old loss outside the period', '2026-06-01T10:00:00.000Z', 999],
      ] as const) {
        const res = await event(title, at, amount);
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }

      const from = '2026-10-26T00:00:00.000Z';
      const res = await svc.request('GET', `/api/v1/risk-overview?from=${from}&to=${NOW}`, { token: tokens['david.kiprop']! });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const o = RiskOverview.parse(res.body);
      assert.equal(o.totals.openRisks, fresh.length);
      assert.equal(o.totals.openRisks, 4);
      for (const r of fresh) {
        assert.ok(r.residual && r.inherent);
        assert.ok(o.heatMap.residual[r.residual.likelihood - 1]![r.residual.impact - 1]! >= 1, `${r.reference} in its residual cell`);
        assert.ok(o.heatMap.inherent[r.inherent.likelihood - 1]![r.inherent.impact - 1]! >= 1);
      }
      assert.equal(
        o.heatMap.residual.flat().reduce((a, b) => a + b, 0),
        4,
      );
      const expectedTop = [...fresh].sort((a, b) => b.residual!.score - a.residual!.score || b.inherent!.score - a.inherent!.score).map((r) => r.reference);
      assert.deepEqual(
        o.topRisks.map((r) => r.reference),
        expectedTop,
      );
      assert.deepEqual(
        o.krisInBreach.map((k) => [k.name, k.status, k.lastValue]),
        [['Transaction failure rate', 'CRITICAL', 4.2]],
      );
      const kriEvents = 1; // the breach opened a KRI_BREACH event now
      assert.equal(o.totals.events, 3 + kriEvents);
      assert.deepEqual(o.totals.losses, [{ currency: 'KES', amount: 2_550_000.5 }]);
      assert.deepEqual(
        o.trend.map((w) => w.weekStart.slice(0, 10)),
        ['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16'],
      );
      const count = (w: { counts: Record<string, number> }) => Object.values(w.counts).reduce((a, b) => a + b, 0);
      assert.deepEqual(o.trend.map(count), [0, 1, 1, 4], 'one risk assessed two weeks ago, four by now');
      const lastWeek = o.trend.at(-1)!.counts;
      assert.deepEqual(
        lastWeek,
        Object.fromEntries(o.totals.byResidualLevel.filter((l) => l.count > 0).map((l) => [l.key, l.count])),
        'the week ending now agrees with the current residual levels (the control test included)',
      );
      for (const r of fresh) assert.ok((lastWeek[r.residual!.level.key] ?? 0) >= 1);
      assert.equal(o.trend[1]!.counts[fresh.find((r) => r.title.startsWith('Core'))!.residual!.level.key] ?? 0, 0, 'the old, lower score then');
      assert.equal(
        o.eventsByWeek.reduce((a, w) => a + w.events, 0),
        o.totals.events,
      );
      assert.equal(o.notableEvents[0]!.title, 'ATM cash-out ring');

      const other = RiskOverview.parse((await svc.request('GET', '/api/v1/risk-overview', { token: tokens['grace.mwangi']! })).body);
      assert.equal(other.totals.openRisks, 0, 'a caller of another tenant counts none of these');
      assert.deepEqual(other.topRisks, []);
      assert.equal(other.totals.events, 0);
    });

    it('renders the board report as a real PDF with the top risk in it', async () => {
      const pdf = await download(`/api/v1/risk-reports/board.pdf?from=2026-10-26T00:00:00.000Z&to=${NOW}`, tokens['david.kiprop']!);
      assert.equal(pdf.type, 'application/pdf');
      assert.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
      const dir = mkdtempSync(path.join(tmpdir(), `board-${dialect}-`));
      const file = path.join(dir, 'board.pdf');
      writeFileSync(file, pdf.bytes);
      const info = execFileSync('pdfinfo', [file]).toString();
      const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
      assert.ok(pages >= 1 && pages <= 3, info);
      execFileSync('pdftoppm', ['-png', '-r', '60', file, path.join(dir, 'page')]);
      assert.equal(readdirSync(dir).filter((f) => f.endsWith('.png')).length, pages);
      const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
      assert.match(text, /Board risk report/);
      assert.match(text, /26 Oct 2026 – 20 Nov 2026/);
      const overview = RiskOverview.parse((await svc.request('GET', `/api/v1/risk-overview?from=2026-10-26T00:00:00.000Z&to=${NOW}`, { token: manager })).body);
      assert.ok(text.includes(overview.topRisks[0]!.reference), 'the top risk is in the report');
      assert.ok(text.includes('Transaction failure rate'), 'the KRI in breach is in the report');
      assert.ok(text.includes('ATM cash-out ring'));
      assert.match(text, /KES 2,550,000\.5/);
      process.stdout.write(`# board report pages: ${pages}, images in ${dir}\n`);
    });
  });
}
