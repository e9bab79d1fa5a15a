import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../testing/service.ts';
import { ManualClock } from '../clock.ts';
import { ApiErrorBody } from '../../../shared/src/api.ts';
import { Assessment } from '../../../shared/src/assessments.ts';
import { Pacs008AssessmentResult } from '../../../shared/src/decision-engine-api.ts';
import { samplePayment } from '../testing/fixtures.ts';
import { parseXml, readPacs008Xml } from './iso20022-xml.ts';
import { pacs002VersionFor, transactionStatusOf } from './iso20022-pacs002.ts';

/**
 * Real public pacs.008 messages (service/test-data/iso20022/README.md says where each comes from)
 * sent as banks send them, over HTTP, on SQLite and PostgreSQL; each answer is a pacs.002 that is
 * parsed back and checked against the message and the stored assessments.
 */

after(stopTestPostgres);

const DATA = fileURLToPath(new URL('../../test-data/iso20022/', import.meta.url));
const ASSESSMENTS = '/api/v1/fraud-risk/assessments';
const PACS008 = `${ASSESSMENTS}/iso20022/pacs.008`;
const NOW = '2026-12-01T09:00:00.000Z';

interface Sample {
  file: string;
  /** The pacs.008 version the message declares ("08"), or null when it names none. */
  version: string | null;
  transactions: number;
}
/** Every sample that must be accepted (201), XML ones answered with a pacs.002. */
const ACCEPTED: Sample[] = [
  { file: 'swift-cbpr-p.2.1.1-pacs.008-AtoB.xml', version: '12', transactions: 1 },
  { file: 'swift-cbpr-c.52.1.a-pacs.008-CtoD.xml', version: '12', transactions: 1 },
  { file: 'swift-cbpr-c.53.5-pacs.008-AtoB-SGD.xml', version: '08', transactions: 1 },
  { file: 'swift-cbpr-p.2.3.1.a-pacs.008-AtoD-cover.xml', version: '12', transactions: 1 },
  { file: 'swift-cbpr-c.106.2.1.a-pacs.008-CtoD-RON.xml', version: '08', transactions: 1 },
  { file: 'swift-hvps-c.29.1.2-pacs.008-BtoC-RON.xml', version: '12', transactions: 1 },
  { file: 'currencycloud-pacs.008.001.08-ns2-AED.xml', version: '08', transactions: 1 },
  { file: 'centiglobe-pacs.008.001.09-RequestPayload-Doc-no-accounts.xml', version: '09', transactions: 1 },
  { file: 'nexus-pacs.008.001.08-SGD.xml', version: '08', transactions: 1 },
  { file: 'mbanq-fedwire-pacs.008.001.08-urn2.xml', version: '08', transactions: 1 },
  { file: 'qdl-pacs.008.001.12-ns0.xml', version: '12', transactions: 1 },
  { file: 'paymentcomponents-sepa-pacs.008.001.02.xml', version: '02', transactions: 1 },
];

const read = (file: string) => fs.readFileSync(path.join(DATA, file), 'utf8');
const child = (el: ReturnType<typeof parseXml>, name: string) => el.children.find((c) => c.local === name);
const children = (el: ReturnType<typeof parseXml>, name: string) => el.children.filter((c) => c.local === name);
const text = (el: ReturnType<typeof parseXml> | undefined, ...names: string[]) => {
  let at = el;
  for (const n of names) at = at ? child(at, n) : undefined;
  return at?.text.trim();
};

for (const dialect of DIALECTS) {
  describe(`ISO 20022 pacs.008 as banks send it, on ${dialect}`, { timeout: 600_000 }, () => {
    let svc: TestService;
    let apiKey: string;
    let adminToken: string;
    const tenants = ['WEKEZA-KE', ...ACCEPTED.map((_s, i) => `ISO-${i}`), 'ISO-JSON', 'ISO-EDGE'];

    before(async () => {
      svc = await startTestService(dialect, { clock: new ManualClock(NOW) });
      adminToken = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      const client = await svc.request('POST', '/api/v1/api-clients', {
        token: adminToken,
        body: { name: 'SWIFT gateway', role: 'PAYMENT_ENGINE', tenantIds: tenants },
      });
      assert.equal(client.status, 201, JSON.stringify(client.body));
      apiKey = (client.body as { apiKey: string }).apiKey;
    });
    after(async () => svc.stop());

    const postXml = (url: string, xml: string, type = 'application/xml') =>
      svc.request('POST', url, { rawBody: xml, headers: { 'x-api-key': apiKey, 'content-type': type } });

    it('accepts every real sample as sent and answers each with a pacs.002 that quotes it', async () => {
      const failures: string[] = [];
      for (const [i, sample] of ACCEPTED.entries()) {
        const xml = read(sample.file);
        const { body: sent, source } = readPacs008Xml(xml);
        // Both endpoints and both XML media types take the same message.
        const url = `${i % 2 === 0 ? ASSESSMENTS : PACS008}?tenantId=ISO-${i}`;
        const res = await postXml(url, xml, i % 3 === 0 ? 'text/xml; charset=utf-8' : 'application/xml');
        if (res.status !== 201) {
          failures.push(`${sample.file}: ${res.status} ${JSON.stringify(res.body)}`);
          continue;
        }
        assert.match(res.headers.get('content-type') ?? '', /^application\/xml/, sample.file);
        assert.equal(source.version, sample.version, sample.file);
        const report = parseXml(String(res.body));
        const expectedVersion = pacs002VersionFor(sample.version);
        assert.equal(report.local, 'Document');
        assert.equal(report.uri, `urn:iso:std:iso:20022:tech:xsd:pacs.002.001.${expectedVersion}`, sample.file);
        const rpt = child(report, 'FIToFIPmtStsRpt')!;
        assert.ok(rpt, `${sample.file}: FIToFIPmtStsRpt`);
        assert.equal(text(rpt, 'GrpHdr', 'CreDtTm'), NOW, 'the injected clock');
        assert.ok((text(rpt, 'GrpHdr', 'MsgId') ?? '').length <= 35);
        const header = sent.Document.FIToFICstmrCdtTrf as { GrpHdr: { MsgId: string }; CdtTrfTxInf: Array<{ PmtId: Record<string, string> }> };
        assert.equal(text(rpt, 'OrgnlGrpInfAndSts', 'OrgnlMsgId'), header.GrpHdr.MsgId, sample.file);
        assert.equal(text(rpt, 'OrgnlGrpInfAndSts', 'OrgnlMsgNmId'), `pacs.008.001.${sample.version}`, sample.file);
        const statuses = children(rpt, 'TxInfAndSts');
        assert.equal(statuses.length, sample.transactions, sample.file);
        for (const [k, status] of statuses.entries()) {
          const ids = header.CdtTrfTxInf[k]!.PmtId;
          assert.equal(text(status, 'OrgnlEndToEndId'), ids.EndToEndId, sample.file);
          assert.equal(text(status, 'OrgnlInstrId'), ids.InstrId, sample.file);
          assert.equal(text(status, 'OrgnlTxId'), ids.TxId, sample.file);
          if (Number(expectedVersion) >= 9) assert.equal(text(status, 'OrgnlUETR'), ids.UETR, sample.file);
          const assessmentId = text(status, 'StsId')!;
          assert.match(assessmentId, /^FRA-\d{8}-[0-9A-F]{16}$/, sample.file);
          const addtl = children(child(status, 'StsRsnInf')!, 'AddtlInf').map((a) => a.text);
          assert.ok(addtl[0]?.includes(assessmentId), `${sample.file}: the assessment id in AddtlInf`);
          assert.ok(
            addtl.every((a) => a.length <= 105),
            'AddtlInf is Max105Text',
          );
          // The status is the stored decision's.
          const stored = await svc.request('GET', `${ASSESSMENTS}/${assessmentId}`, { token: adminToken });
          assert.equal(stored.status, 200, sample.file);
          const assessment = Assessment.parse(stored.body);
          const expected = transactionStatusOf({ ...assessment, assessmentId, configurationId: null, configurationVersion: null, processingTimeMs: null });
          assert.equal(text(status, 'TxSts'), expected.status, sample.file);
          if (expected.reason) assert.equal(text(status, 'StsRsnInf', 'Rsn', 'Cd'), expected.reason);
          assert.equal(assessment.payment.tenantId, `ISO-${i}`);
          assert.ok(addtl[0]?.includes(`decision ${assessment.decision}`), sample.file);
        }
        // The same message again is a repeat: 200, the same assessments.
        const again = await postXml(url, xml);
        assert.equal(again.status, 200, sample.file);
        assert.deepEqual(
          children(child(parseXml(String(again.body)), 'FIToFIPmtStsRpt')!, 'TxInfAndSts').map((s) => text(s, 'StsId')),
          statuses.map((s) => text(s, 'StsId')),
        );
      }
      assert.deepEqual(failures, [], 'every sample is accepted');
    });

    it("keeps Tazama's JSON rendering working (Id.Othr as a list, amounts as Amt.Amt)", async () => {
      const res = await svc.request('POST', `${PACS008}?tenantId=ISO-JSON`, {
        body: JSON.parse(read('tazama-pacs.008.001.10.json')),
        headers: { 'x-api-key': apiKey },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const answer = Pacs008AssessmentResult.parse(res.body);
      assert.equal(answer.messageId, 'cabb-32c3-4ecf-944e-654855c80c38');
      assert.equal(answer.assessments.length, 1);
      const stored = Assessment.parse((await svc.request('GET', `${ASSESSMENTS}/${answer.assessments[0]!.assessmentId}`, { token: adminToken })).body);
      assert.equal(stored.payment.debtorAccount, '+01-710694778');
      assert.equal(stored.payment.creditorAccount, '+07-197368463');
      assert.equal(stored.payment.amount, 31020.89);
    });

    it('assesses a message without accounts, and the rules that need one say "not evaluated"', async () => {
      const xml = read('centiglobe-pacs.008.001.09-RequestPayload-Doc-no-accounts.xml')
        .replace('TBEXO12345</Doc:EndToEndId>', 'TBEXO12346</Doc:EndToEndId>')
        .replace('df4309a2', 'df4309a3');
      const res = await postXml(`${PACS008}?tenantId=ISO-EDGE`, xml);
      assert.equal(res.status, 201, String(res.body));
      const id = text(child(child(parseXml(String(res.body)), 'FIToFIPmtStsRpt')!, 'TxInfAndSts'), 'StsId');
      const assessment = Assessment.parse((await svc.request('GET', `${ASSESSMENTS}/${id}`, { token: adminToken })).body);
      assert.equal(assessment.payment.debtorAccount, undefined);
      assert.equal(assessment.payment.creditorAccount, undefined);
      const factor = (ruleId: string) => assessment.riskFactors.find((f) => f.ruleId === ruleId);
      for (const ruleId of ['account.new', 'frequency.account-day']) {
        assert.equal(factor(ruleId)?.outcome, 'NOT_EVALUATED', ruleId);
        assert.equal(factor(ruleId)?.explanation, 'Not evaluated: no debtor account');
        assert.equal(factor(ruleId)?.contribution, 0);
      }
      // The rules that do not need an account ran as usual.
      assert.ok(['HIT', 'NO_HIT'].includes(factor('frequency.customer-week')?.outcome ?? ''));
    });

    it('accepts an empty <Cdtr/> and a native payment without accounts', async () => {
      const xml = read('nexus-pacs.008.001.08-SGD.xml')
        .replace(/<Cdtr>[\s\S]*?<\/Cdtr>/, '<Cdtr/>')
        .replace('MSG20260204-001', 'MSG20260204-EMPTY')
        .replace('91398cbd-0838-453f-b2c7-536e829f2b8e', '91398cbd-0838-453f-b2c7-536e829f2b8f');
      const res = await postXml(`${ASSESSMENTS}?tenantId=ISO-EDGE`, xml);
      assert.equal(res.status, 201, String(res.body));
      const { debtorAccount: _d, creditorAccount: _c, ...payment } = samplePayment({ transactionReference: 'NO-ACCOUNTS-1' });
      const native = await svc.request('POST', ASSESSMENTS, { body: payment, headers: { 'x-api-key': apiKey } });
      assert.equal(native.status, 201, JSON.stringify(native.body));
    });

    it('answers a multi-transaction message with one TxInfAndSts per transaction, in order', async () => {
      // No real multi-transaction pacs.008 is public (README): the real SEPA sample's transaction, three times.
      const xml = read('paymentcomponents-sepa-pacs.008.001.02.xml');
      const tx = /<CdtTrfTxInf>[\s\S]*<\/CdtTrfTxInf>/.exec(xml)![0];
      const three = [1, 2, 3].map((n) => tx.replaceAll('tx-id-1234', `tx-id-123${n}`).replace('89.67', `${n}0.00`)).join('\n');
      const multi = xml
        .replace(tx, three)
        .replace('<NbOfTxs>1</NbOfTxs>', '<NbOfTxs>3</NbOfTxs>')
        .replace('<MsgId>20210113155624246</MsgId>', '<MsgId>MULTI-3</MsgId>');
      const res = await postXml(`${PACS008}?tenantId=ISO-EDGE`, multi, 'text/xml');
      assert.equal(res.status, 201, String(res.body));
      const report = child(parseXml(String(res.body)), 'FIToFIPmtStsRpt')!;
      assert.equal(parseXml(String(res.body)).uri, 'urn:iso:std:iso:20022:tech:xsd:pacs.002.001.03');
      assert.equal(text(report, 'OrgnlGrpInfAndSts', 'OrgnlNbOfTxs'), '3');
      const statuses = children(report, 'TxInfAndSts');
      assert.deepEqual(
        statuses.map((st) => text(st, 'OrgnlTxId')),
        ['tx-id-1231', 'tx-id-1232', 'tx-id-1233'],
      );
      assert.equal(new Set(statuses.map((st) => text(st, 'StsId'))).size, 3, 'three assessments');
      for (const st of statuses) assert.ok(['ACCP', 'RJCT', 'PDNG'].includes(text(st, 'TxSts') ?? ''));
    });

    it('names ISO elements, never native fields, in the errors of an XML message', async () => {
      // The prowide sample says CtrlSum 10000 for one transaction of 5000: refused, at CtrlSum.
      const prowide = await postXml(`${PACS008}?tenantId=ISO-EDGE`, read('prowide-pacs.008.001.07-message-no-accounts.xml'));
      assert.equal(prowide.status, 400);
      const prowideFields = ApiErrorBody.parse(prowide.body).error.fields ?? [];
      assert.deepEqual(
        prowideFields.map((f) => f.path),
        ['Document.FIToFICstmrCdtTrf.GrpHdr.CtrlSum'],
      );
      const noAmount = read('swift-cbpr-p.2.1.1-pacs.008-AtoB.xml').replace(/<IntrBkSttlmAmt[^>]*>[^<]*<\/IntrBkSttlmAmt>/, '');
      const res = await postXml(`${ASSESSMENTS}?tenantId=ISO-EDGE`, noAmount);
      assert.equal(res.status, 400);
      const fields = ApiErrorBody.parse(res.body).error.fields ?? [];
      assert.ok(
        fields.some((f) => f.path === 'Document.FIToFICstmrCdtTrf.CdtTrfTxInf[0].IntrBkSttlmAmt'),
        JSON.stringify(fields),
      );
      const badCurrency = read('swift-cbpr-p.2.1.1-pacs.008-AtoB.xml').replace('Ccy="EUR"', 'Ccy="euro"');
      const currency = ApiErrorBody.parse((await postXml(`${ASSESSMENTS}?tenantId=ISO-EDGE`, badCurrency)).body).error.fields ?? [];
      assert.deepEqual(
        currency.map((f) => f.path),
        ['Document.FIToFICstmrCdtTrf.CdtTrfTxInf[0].IntrBkSttlmAmt.Ccy'],
      );
      // XTS is ISO 4217's code for testing: a currency no rate table holds.
      const noRate = await postXml(`${ASSESSMENTS}?tenantId=ISO-EDGE`, read('swift-cbpr-p.2.1.1-pacs.008-AtoB.xml').replace('Ccy="EUR"', 'Ccy="XTS"'));
      assert.equal(noRate.status, 400, String(noRate.body));
      const rate = ApiErrorBody.parse(noRate.body).error.fields ?? [];
      assert.ok(rate.length > 0 && rate.every((f) => f.path.startsWith('Document.FIToFICstmrCdtTrf.CdtTrfTxInf[0].')), JSON.stringify(rate));
      for (const f of [...prowideFields, ...fields, ...currency, ...rate]) {
        assert.ok(!f.path.startsWith('body.'), f.path);
        assert.ok(!/^(amount|currency|debtorAccount|transactionReference)$/.test(f.path), f.path);
      }
      const wrongVersion = read('nexus-pacs.008.001.08-SGD.xml').replace('pacs.008.001.08', 'pacs.008.001.14');
      const version = await postXml(`${ASSESSMENTS}?tenantId=ISO-EDGE`, wrongVersion);
      assert.equal(version.status, 400);
      assert.match(JSON.stringify(version.body), /pacs\.008\.001\.14 is not supported/);
    });

    it('documents the XML request and answer media types in OpenAPI', async () => {
      const doc = (await svc.request('GET', '/api/v1/openapi.json', { token: adminToken })).body as {
        paths: Record<
          string,
          { post: { requestBody: { content: Record<string, unknown> }; responses: Record<string, { content?: Record<string, unknown> }> } }
        >;
      };
      for (const url of [ASSESSMENTS, PACS008]) {
        const post = doc.paths[url]!.post;
        assert.deepEqual(Object.keys(post.requestBody.content).sort(), ['application/json', 'application/xml', 'text/xml'], url);
        assert.deepEqual(Object.keys(post.responses['201']!.content ?? {}).sort(), ['application/json', 'application/xml'], url);
      }
    });

    it('says where malformed XML breaks, and refuses XML where an operation does not take it', async () => {
      const broken = '<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">\n  <FIToFICstmrCdtTrf>\n</Document>';
      const res = await postXml(ASSESSMENTS, broken);
      assert.equal(res.status, 400);
      const error = ApiErrorBody.parse(res.body).error;
      assert.match(error.message, /line 4/);
      const login = await svc.request('POST', '/api/v1/auth/login', { rawBody: '<login/>', headers: { 'content-type': 'application/xml' } });
      assert.equal(login.status, 415);
    });
  });
}
