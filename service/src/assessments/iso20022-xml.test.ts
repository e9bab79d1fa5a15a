import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../errors.ts';
import type { AssessmentResponse } from '../../../shared/src/assessments.ts';
import { mapPacs008 } from './iso20022.ts';
import { parseXml, readPacs008Xml } from './iso20022-xml.ts';
import { escapeXml, pacs002VersionFor, pacs002Xml, transactionStatusOf } from './iso20022-pacs002.ts';

/** The body of a pacs.008 under any prefix: `p` is "" (default namespace) or e.g. "Doc:". */
function pacs008(p: string, version = '08', transactions = 1, amount = '1500.00', currency = 'KES'): string {
  const ns = p === '' ? 'xmlns' : `xmlns:${p.slice(0, -1)}`;
  const tx = (i: number) => `
    <${p}CdtTrfTxInf>
      <${p}PmtId><${p}InstrId>I-${i}</${p}InstrId><${p}EndToEndId>E2E-${i}</${p}EndToEndId><${p}TxId>TX-${i}</${p}TxId></${p}PmtId>
      <${p}IntrBkSttlmAmt Ccy="${currency}">${amount}</${p}IntrBkSttlmAmt>
      <${p}Dbtr><${p}Nm>Wanjiku &amp; Sons</${p}Nm></${p}Dbtr>
      <${p}DbtrAgt><${p}FinInstnId><${p}BICFI>EQBLKENA</${p}BICFI></${p}FinInstnId></${p}DbtrAgt>
      <${p}CdtrAgt><${p}FinInstnId><${p}BICFI>KCBLKENX</${p}BICFI></${p}FinInstnId></${p}CdtrAgt>
      <${p}Cdtr/>
      <${p}RmtInf><${p}Ustrd>line one</${p}Ustrd><${p}Ustrd>line two</${p}Ustrd></${p}RmtInf>
    </${p}CdtTrfTxInf>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<${p}Document ${ns}="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.${version}">
  <${p}FIToFICstmrCdtTrf>
    <${p}GrpHdr><${p}MsgId>M-1</${p}MsgId><${p}CreDtTm>2026-11-20T10:00:00+03:00</${p}CreDtTm><${p}NbOfTxs>${transactions}</${p}NbOfTxs>
      <${p}SttlmInf><${p}SttlmMtd>CLRG</${p}SttlmMtd></${p}SttlmInf></${p}GrpHdr>${Array.from({ length: transactions }, (_, i) => tx(i)).join('')}
  </${p}FIToFICstmrCdtTrf>
</${p}Document>`;
}

function refusal(fn: () => unknown): ServiceError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ServiceError, String(error));
    assert.equal(error.status, 400);
    return error;
  }
  assert.fail('expected a 400');
}

describe('XML pacs.008 → the JSON rendering', () => {
  it('reads the same message the same way under any prefix, in any envelope', () => {
    const plain = readPacs008Xml(pacs008('')).body;
    for (const prefix of ['Doc:', 'ns2:', 'pacs:', 'urn2:']) assert.deepEqual(readPacs008Xml(pacs008(prefix)).body, plain, prefix);
    const header = `<h:AppHdr xmlns:h="urn:iso:std:iso:20022:tech:xsd:head.001.001.02"><h:Fr><h:FIId><h:FinInstnId><h:BICFI>EQBLKENA</h:BICFI></h:FinInstnId></h:FIId></h:Fr>
      <h:To><h:FIId><h:FinInstnId><h:BICFI>KCBLKENX</h:BICFI></h:FinInstnId></h:FIId></h:To><h:BizMsgIdr>B-1</h:BizMsgIdr><h:MsgDefIdr>pacs.008.001.08</h:MsgDefIdr></h:AppHdr>`;
    for (const envelope of ['BizMsgEnvlp', 'RequestPayload', 'Message', 'saa:DataPDU']) {
      const [open, close] = envelope.includes(':')
        ? [`<${envelope} xmlns:saa="urn:swift:saa:xsd:saa.2.0">`, `</${envelope}>`]
        : [`<${envelope}>`, `</${envelope}>`];
      const { body, source } = readPacs008Xml(`${open}${header}${pacs008('Doc:').replace(/^<\?xml[^>]*>/, '')}${close}`);
      assert.deepEqual(body, plain, envelope);
      assert.deepEqual(source, { version: '08', appHeader: { bizMsgIdr: 'B-1', msgDefIdr: 'pacs.008.001.08', from: 'EQBLKENA', to: 'KCBLKENX' } });
    }
  });

  it('makes transactions a list always, repeats a list, attributes sit next to the text', () => {
    const body = readPacs008Xml(pacs008('', '08', 1)).body as { Document: { FIToFICstmrCdtTrf: { CdtTrfTxInf: unknown[] } } };
    const [tx] = body.Document.FIToFICstmrCdtTrf.CdtTrfTxInf as Array<Record<string, unknown>>;
    assert.ok(Array.isArray(body.Document.FIToFICstmrCdtTrf.CdtTrfTxInf));
    assert.deepEqual(tx!.IntrBkSttlmAmt, { Ccy: 'KES', value: '1500.00' });
    assert.deepEqual(tx!.RmtInf, { Ustrd: ['line one', 'line two'] });
    assert.deepEqual(tx!.Cdtr, {}, 'an empty <Cdtr/> is an empty party');
    assert.deepEqual(tx!.Dbtr, { Nm: 'Wanjiku & Sons' });
  });

  it('maps XML through the JSON mapping, three-decimal currencies and multi-transaction messages included', () => {
    const { payments, messageId, original } = mapPacs008(readPacs008Xml(pacs008('ns2:', '13', 3, '100.250', 'KWD')).body, { tenantId: 'WEKEZA-KE' }, '');
    assert.equal(messageId, 'M-1');
    assert.deepEqual(
      payments.map((p) => [p.transactionReference, p.amount, p.currency, p.debtorAccount, p.customerId, p.description]),
      [0, 1, 2].map((i) => [`EQBLKENA:TX-${i}`, 100.25, 'KWD', undefined, 'Wanjiku & Sons', 'line one line two']),
    );
    assert.deepEqual(original.transactions[2], { InstrId: 'I-2', EndToEndId: 'E2E-2', TxId: 'TX-2' });
    const error = refusal(() => mapPacs008(readPacs008Xml(pacs008('', '08', 1, '100.2555', 'KWD')).body, { tenantId: 'WEKEZA-KE' }, ''));
    assert.deepEqual(
      error.fields?.map((f) => f.path),
      ['Document.FIToFICstmrCdtTrf.CdtTrfTxInf[0].IntrBkSttlmAmt.value'],
    );
  });

  it('reads pacs.008.001.02 to .13 and refuses other versions and other messages by their element', () => {
    for (let v = 2; v <= 13; v++) assert.equal(readPacs008Xml(pacs008('', String(v).padStart(2, '0'))).source.version, String(v).padStart(2, '0'));
    assert.match(refusal(() => readPacs008Xml(pacs008('', '01'))).fields![0]!.message, /001\.01 is not supported/);
    assert.match(refusal(() => readPacs008Xml(pacs008('', '14'))).fields![0]!.message, /001\.14 is not supported/);
    const pacs009 = '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.009.001.08"><FICdtTrf/></Document>';
    assert.equal(refusal(() => readPacs008Xml(pacs009)).fields![0]!.path, 'Document');
    assert.equal(
      refusal(() =>
        readPacs008Xml(
          `<Batch>${pacs008('')
            .replace(/^<\?xml[^>]*>/, '')
            .repeat(2)}</Batch>`,
        ),
      ).fields![0]!.path,
      'Document',
    );
    assert.equal(refusal(() => readPacs008Xml('<Invoice/>')).fields![0]!.path, 'Invoice');
    const wrongHeader = `<Env><AppHdr><MsgDefIdr>camt.053.001.08</MsgDefIdr></AppHdr>${pacs008('').replace(/^<\?xml[^>]*>/, '')}</Env>`;
    assert.equal(refusal(() => readPacs008Xml(wrongHeader)).fields![0]!.path, 'AppHdr.MsgDefIdr');
  });

  it('refuses DOCTYPEs, undefined entities, deep nesting and malformed XML, saying where', () => {
    assert.match(refusal(() => parseXml('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')).message, /DOCTYPE is not allowed/);
    assert.match(refusal(() => parseXml('<a>&x;</a>')).message, /undefined entity/);
    assert.match(refusal(() => parseXml(`${'<a>'.repeat(65)}${'</a>'.repeat(65)}`)).message, /nested deeper than 64/);
    assert.doesNotThrow(() => parseXml(`${'<a>'.repeat(64)}${'</a>'.repeat(64)}`));
    assert.match(refusal(() => parseXml('<a>\n  <b>\n</a>')).message, /line 3, column \d+/);
    assert.match(refusal(() => parseXml('')).message, /not well-formed/);
  });

  it('keeps element names that look like object internals as plain data', () => {
    const body = readPacs008Xml(pacs008('').replace('<Cdtr/>', '<Cdtr><__proto__><polluted>yes</polluted></__proto__></Cdtr>')).body;
    const tx = (body.Document.FIToFICstmrCdtTrf as { CdtTrfTxInf: Array<{ Cdtr: object }> }).CdtTrfTxInf[0]!;
    assert.ok(Object.hasOwn(tx.Cdtr, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

const assessment = (overrides: Partial<AssessmentResponse>): AssessmentResponse => ({
  assessmentId: 'FRA-20261120-0000000000000001',
  transactionReference: 'ref',
  riskScore: 0.12,
  riskLevel: 'LOW',
  decision: 'APPROVE',
  decisionReason: 'LOW risk (score 0.12): no risk rule fired',
  riskFactors: [],
  status: 'COMPLETED',
  configurationId: null,
  configurationVersion: null,
  processingTimeMs: 3,
  ...overrides,
});

describe('pacs.002 status report', () => {
  it('maps decisions to ISO transaction statuses, with FRAD for a rejection', () => {
    assert.deepEqual(transactionStatusOf(assessment({})), { status: 'ACCP' });
    assert.deepEqual(transactionStatusOf(assessment({ decision: 'REJECT' })), { status: 'RJCT', reason: 'FRAD' });
    for (const decision of ['MANUAL_REVIEW', 'HOLD', 'ESCALATE'] as const) assert.deepEqual(transactionStatusOf(assessment({ decision })), { status: 'PDNG' });
    assert.deepEqual(transactionStatusOf(assessment({ status: 'PENDING', decision: null, riskScore: null, riskLevel: null })), { status: 'PDNG' });
  });

  it('answers in the pacs.002 of the same era, quoting the original ids, escaped', () => {
    assert.deepEqual(['02', '06', '07', '08', '09', '10', '13', null].map(pacs002VersionFor), ['03', '03', '09', '10', '10', '12', '12', '10']);
    const xml = pacs002Xml({
      messageId: 'WKZ1',
      createdAt: new Date('2026-11-20T07:00:00Z'),
      original: {
        messageId: 'M-1',
        createdAt: '2026-11-20T10:00:00+03:00',
        version: '02',
        transactions: [{ InstrId: 'I-0', EndToEndId: 'E<0>', TxId: 'T&0', UETR: '6f1c0b6e-7d2a-4f3b-9a51-2c8e4d7b9f10' }, { EndToEndId: 'E-1' }],
      },
      assessments: [assessment({ decision: 'REJECT', decisionReason: 'REJECT because rule "x" fired & more\u0001' }), assessment({ decision: 'HOLD' })],
    });
    const doc = parseXml(xml);
    assert.equal(doc.uri, 'urn:iso:std:iso:20022:tech:xsd:pacs.002.001.03');
    const report = doc.children[0]!;
    const [first, second] = report.children.filter((c) => c.local === 'TxInfAndSts');
    const text = (el: typeof doc | undefined, name: string) => el?.children.find((c) => c.local === name)?.text;
    assert.equal(text(first, 'OrgnlEndToEndId'), 'E<0>');
    assert.equal(text(first, 'OrgnlTxId'), 'T&0');
    assert.equal(text(first, 'OrgnlUETR'), undefined, 'pacs.002.001.03 has no UETR');
    assert.equal(text(first, 'TxSts'), 'RJCT');
    const reason = first!.children.find((c) => c.local === 'StsRsnInf')!;
    assert.equal(reason.children.find((c) => c.local === 'Rsn')?.children[0]?.text, 'FRAD');
    assert.deepEqual(
      reason.children.filter((c) => c.local === 'AddtlInf').map((c) => c.text),
      ['Assessment FRA-20261120-0000000000000001; decision REJECT; risk score 0.12 (LOW)', 'REJECT because rule "x" fired & more'],
    );
    assert.equal(text(second, 'TxSts'), 'PDNG');
    assert.equal(text(second, 'OrgnlInstrId'), undefined);
    assert.equal(escapeXml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});
