import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isPacs008, mapPacs008, mapPacs008ToPayments, Pacs008Document, type Pacs008Defaults } from './iso20022.ts';
import { ServiceError, type FieldError } from '../errors.ts';
import { PaymentInput } from '../../../shared/src/payments.ts';

type Json = Record<string, unknown>;

/** A PesaLink (IPSL) credit transfer from an Equity Bank customer to a KCB account, as received by KCB. */
function pesalinkTransaction(): Json {
  return {
    PmtId: {
      InstrId: 'PL2611201030A1',
      EndToEndId: 'INV-2026-11-0042',
      TxId: 'PSL26112010304500871',
      UETR: '6f1c0b6e-7d2a-4f3b-9a51-2c8e4d7b9f10',
    },
    PmtTpInf: { SvcLvl: { Cd: 'URGP' }, LclInstrm: { Prtry: 'PESALINK' }, CtgyPurp: { Cd: 'SUPP' } },
    IntrBkSttlmAmt: { Ccy: 'KES', value: 48500 },
    IntrBkSttlmDt: '2026-11-20',
    AccptncDtTm: '2026-11-20T10:30:41+03:00',
    ChrgBr: 'SLEV',
    Dbtr: {
      Nm: 'Wanjiku Kamau',
      PstlAdr: { TwnNm: 'Nairobi', Ctry: 'KE' },
      Id: { PrvtId: { Othr: [{ Id: '27845613', SchmeNm: { Cd: 'NIDN' } }] } },
    },
    DbtrAcct: { Id: { Othr: { Id: '0170298765432' } } },
    DbtrAgt: { FinInstnId: { BICFI: 'EQBLKENA' } },
    CdtrAgt: { FinInstnId: { BICFI: 'KCBLKENX' } },
    Cdtr: { Nm: 'Otieno Hardware Ltd', PstlAdr: { TwnNm: 'Kisumu', Ctry: 'KE' } },
    CdtrAcct: { Id: { Othr: { Id: '1187654321' } } },
    RmtInf: { Ustrd: ['Invoice INV-2026-11-0042', 'Cement 40 bags'] },
  };
}

function groupHeader(overrides: Json = {}): Json {
  return {
    MsgId: 'EQBLKENA20261120103045001',
    CreDtTm: '2026-11-20T10:30:45.120+03:00',
    NbOfTxs: '1',
    SttlmInf: { SttlmMtd: 'CLRG', ClrSys: { Prtry: 'IPSL' } },
    InstgAgt: { FinInstnId: { BICFI: 'EQBLKENA' } },
    InstdAgt: { FinInstnId: { BICFI: 'KCBLKENX' } },
    ...overrides,
  };
}

const wrapped = (tx: Json | Json[], header: Json = groupHeader()): Json => ({
  Document: { FIToFICstmrCdtTrf: { GrpHdr: header, CdtTrfTxInf: tx } },
});
const bare = (tx: Json | Json[], header: Json = groupHeader()): Json => ({ FIToFICstmrCdtTrf: { GrpHdr: header, CdtTrfTxInf: tx } });
const DEFAULTS = { tenantId: 'WEKEZA-KE' };
const one = (body: unknown, defaults: Pacs008Defaults = DEFAULTS) => {
  const { payments } = mapPacs008(body, defaults);
  assert.equal(payments.length, 1);
  return payments[0]!;
};

function isoErrors(body: unknown, defaults = DEFAULTS): FieldError[] {
  try {
    mapPacs008(body, defaults);
  } catch (error) {
    assert.ok(error instanceof ServiceError, `expected a ServiceError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'VALIDATION_FAILED');
    return error.fields ?? [];
  }
  assert.fail('expected the pacs.008 to be refused');
}
function assertIsoError(body: unknown, path: string, message?: RegExp) {
  const fields = isoErrors(body);
  const hit = fields.find((f) => f.path === path);
  assert.ok(hit, `no error at ${path}; got ${JSON.stringify(fields)}`);
  if (message) assert.match(hit.message, message);
}

describe('pacs.008 → PaymentInput', () => {
  it('maps a KES PesaLink credit transfer field by field', () => {
    const { payments, messageId } = mapPacs008(wrapped(pesalinkTransaction()), DEFAULTS);
    assert.equal(messageId, 'EQBLKENA20261120103045001');
    assert.deepEqual(payments, [
      {
        transactionReference: '6f1c0b6e-7d2a-4f3b-9a51-2c8e4d7b9f10',
        tenantId: 'WEKEZA-KE',
        paymentType: 'SUPP',
        localInstrumentationCode: 'PESALINK',
        clearingSystemCode: 'IPSL',
        paymentSource: 'CLEARING_SYSTEM',
        amount: 48500,
        currency: 'KES',
        timestamp: '2026-11-20T10:30:41+03:00',
        channel: 'BRANCH',
        country: 'KE',
        customerId: '27845613',
        debtorAccount: '0170298765432',
        creditorAccount: '1187654321',
        description: 'Invoice INV-2026-11-0042 Cement 40 bags',
      },
    ]);
    assert.deepEqual(PaymentInput.parse(payments[0]), payments[0]);
  });

  it('maps a bare multi-transaction KEPSS message, with per-transaction fallbacks', () => {
    const rtgs = {
      ...pesalinkTransaction(),
      PmtId: { EndToEndId: 'SAL-NOV26-0001' },
      PmtTpInf: { SvcLvl: [{ Cd: 'NURG' }], LclInstrm: { Cd: 'RTGS' } },
      IntrBkSttlmAmt: { Amt: { Amt: '2350000.00', Ccy: 'KES' } },
      AccptncDtTm: undefined,
      Dbtr: { Nm: 'Mombasa Cement Ltd', Id: { OrgId: { Othr: { Id: 'P051234567X', SchmeNm: { Cd: 'TXID' } } } } },
      DbtrAcct: { Id: { Othr: { Id: '1100223344' } } },
      Cdtr: { Nm: 'Kenya Ports Authority' },
      CdtrAgt: { FinInstnId: { BICFI: 'SCBLKENXXXX' } },
      CdtrAcct: { Id: { Othr: { Id: '0102034455600' } } },
      RmtInf: { Ustrd: 'Port charges Nov 2026' },
    };
    const crossBorder = {
      ...pesalinkTransaction(),
      PmtId: { EndToEndId: 'NOTPROVIDED', UETR: '0a3e5b7c-1d2f-4a6b-8c9d-0e1f2a3b4c5d' },
      PmtTpInf: undefined,
      IntrBkSttlmAmt: { '@Ccy': 'USD', '#text': '12500.5' },
      AccptncDtTm: '2026-11-20T10:58:12Z',
      Dbtr: { Nm: 'Achieng Odhiambo' },
      DbtrAcct: { Id: { Othr: { Id: '0170211122233' } } },
      Cdtr: { Nm: 'Kampala Textiles Ltd' },
      CdtrAgt: { FinInstnId: { BICFI: 'SBICUGKX' } },
      CdtrAcct: { Id: { IBAN: 'UG12SBIC0000123456789' } },
      RmtInf: undefined,
    };
    const header = groupHeader({
      MsgId: 'KCBLKENX-KEPSS-000918',
      CreDtTm: '2026-11-20T14:05:00', // ISO local time: the bank's offset applies
      NbOfTxs: 3,
      CtrlSum: '2411000.50',
      SttlmInf: { SttlmMtd: 'CLRG', ClrSys: { Cd: 'KEPSS' } },
    });
    const { payments, messageId } = mapPacs008(bare([pesalinkTransaction(), rtgs, crossBorder], header), DEFAULTS);
    assert.equal(messageId, 'KCBLKENX-KEPSS-000918');
    assert.equal(payments.length, 3);
    assert.deepEqual(
      payments.map((p) => p.transactionReference),
      ['6f1c0b6e-7d2a-4f3b-9a51-2c8e4d7b9f10', 'SAL-NOV26-0001', '0a3e5b7c-1d2f-4a6b-8c9d-0e1f2a3b4c5d'],
    );
    assert.deepEqual(
      payments.map((p) => p.clearingSystemCode),
      ['KEPSS', 'KEPSS', 'KEPSS'],
    );
    assert.deepEqual(
      payments.map((p) => p.paymentType),
      ['SUPP', 'NURG', 'CREDIT_TRANSFER'],
    );
    assert.deepEqual(
      payments.map((p) => p.localInstrumentationCode),
      ['PESALINK', 'RTGS', undefined],
    );
    assert.deepEqual(
      payments.map((p) => [p.amount, p.currency]),
      [
        [48500, 'KES'],
        [2_350_000, 'KES'],
        [12_500.5, 'USD'],
      ],
    );
    assert.deepEqual(
      payments.map((p) => p.timestamp),
      ['2026-11-20T10:30:41+03:00', '2026-11-20T14:05:00+03:00', '2026-11-20T10:58:12Z'],
    );
    assert.deepEqual(
      payments.map((p) => p.country),
      ['KE', 'KE', 'UG'],
    );
    assert.deepEqual(
      payments.map((p) => p.customerId),
      ['27845613', 'P051234567X', '0170211122233'],
    );
    assert.deepEqual(
      payments.map((p) => p.creditorAccount),
      ['1187654321', '0102034455600', 'UG12SBIC0000123456789'],
    );
    assert.deepEqual(
      payments.map((p) => p.description),
      ['Invoice INV-2026-11-0042 Cement 40 bags', 'Port charges Nov 2026', undefined],
    );
    assert.equal('description' in payments[2]!, false, 'absent optionals are left out, as in a native payment');
    for (const p of payments) PaymentInput.parse(p);
  });

  it('accepts every common JSON rendering of IntrBkSttlmAmt, numbers and decimal strings alike', () => {
    const renderings: [unknown, number, string][] = [
      [{ Ccy: 'KES', value: 123.45 }, 123.45, 'KES'],
      [{ Ccy: 'KES', value: '123.45' }, 123.45, 'KES'],
      [{ Ccy: 'KES', Amt: 123.45 }, 123.45, 'KES'],
      [{ Ccy: 'USD', Amt: '1500' }, 1500, 'USD'],
      [{ Amt: { Amt: 987654.3, Ccy: 'KES' } }, 987654.3, 'KES'],
      [{ Amt: { Amt: '0.01', Ccy: 'KES' } }, 0.01, 'KES'],
      [{ '@Ccy': 'KES', '#text': '123.45' }, 123.45, 'KES'],
      [{ '@Ccy': 'EUR', '#text': '250.500' }, 250.5, 'EUR'],
    ];
    for (const [rendering, amount, currency] of renderings) {
      const payment = one(wrapped({ ...pesalinkTransaction(), IntrBkSttlmAmt: rendering }));
      assert.equal(payment.amount, amount, JSON.stringify(rendering));
      assert.equal(payment.currency, currency, JSON.stringify(rendering));
    }
  });

  it('takes the country from the creditor, then the creditor agent, then its BIC, then KE', () => {
    const tx = (cdtr: Json, cdtrAgt: Json) => wrapped({ ...pesalinkTransaction(), Cdtr: cdtr, CdtrAgt: cdtrAgt });
    assert.equal(one(tx({ Nm: 'Dar Traders', PstlAdr: { Ctry: 'RW' } }, { FinInstnId: { BICFI: 'SCBLTZTX' } })).country, 'RW');
    assert.equal(one(tx({ Nm: 'Dar Traders' }, { FinInstnId: { BICFI: 'SCBLTZTX', PstlAdr: { Ctry: 'UG' } } })).country, 'UG');
    assert.equal(one(tx({ Nm: 'Dar Traders' }, { FinInstnId: { BICFI: 'SCBLTZTX' } })).country, 'TZ', 'BIC chars 5–6');
    assert.equal(one(tx({ Nm: 'Dar Traders' }, { FinInstnId: { BICFI: 'CORONGLAXXX' } })).country, 'NG', 'BIC11');
    assert.equal(one(tx({ Nm: 'Mama Mboga' }, { FinInstnId: { Nm: 'Sacco' } })).country, 'KE', 'nothing to go on');
  });

  it('lets the Wekeza SplmtryData envelope override defaults, transaction level before message level', () => {
    const txEnvelope = {
      ...pesalinkTransaction(),
      SplmtryData: [
        {
          PlcAndNm: '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf',
          Envlp: { tenantId: 'WEKEZA-UG', channel: 'MOBILE', paymentType: 'INSTANT_TRANSFER', customerId: 'CIF-00012345' },
        },
        { Envlp: { ipAddress: '105.163.10.20', deviceId: 'dev-5f2a9c1e', userAgent: 'WekezaMobile/5.2.1 (Android 14; SM-A155F)', channel: 'USSD' } },
      ],
    };
    const plain = { ...pesalinkTransaction(), PmtId: { EndToEndId: 'INV-2026-11-0043', TxId: 'PSL26112010304500872' } };
    const body = bare([txEnvelope, plain], groupHeader({ NbOfTxs: '2' }));
    (body.FIToFICstmrCdtTrf as Json).SplmtryData = { Envlp: { channel: 'WEB', tenantId: 'WEKEZA-TZ', vendorExtension: { x: 1 } } };
    const [withEnvelope, withMessageEnvelope] = mapPacs008(body, DEFAULTS).payments;
    assert.equal(withEnvelope!.tenantId, 'WEKEZA-UG');
    assert.equal(withEnvelope!.channel, 'MOBILE', 'the first envelope with a field wins');
    assert.equal(withEnvelope!.paymentType, 'INSTANT_TRANSFER', 'over CtgyPurp');
    assert.equal(withEnvelope!.customerId, 'CIF-00012345', 'over the debtor national id');
    assert.equal(withEnvelope!.ipAddress, '105.163.10.20');
    assert.equal(withEnvelope!.deviceId, 'dev-5f2a9c1e');
    assert.equal(withEnvelope!.userAgent, 'WekezaMobile/5.2.1 (Android 14; SM-A155F)');
    assert.equal(withMessageEnvelope!.tenantId, 'WEKEZA-TZ', 'message-level envelope over defaults');
    assert.equal(withMessageEnvelope!.channel, 'WEB');
    assert.equal(withMessageEnvelope!.customerId, '27845613');
    assert.equal(withMessageEnvelope!.ipAddress, undefined);
  });

  it('falls back to the instructed agent BIC for the tenant, and to the configured offset for local times', () => {
    const payment = one(wrapped(pesalinkTransaction()), {});
    assert.equal(payment.tenantId, 'KCBLKENX');
    const local = { ...pesalinkTransaction(), AccptncDtTm: '2026-11-20T23:59:59.5' };
    assert.equal(one(wrapped(local)).timestamp, '2026-11-20T23:59:59.5+03:00');
    assert.equal(one(wrapped(local), { ...DEFAULTS, utcOffset: '+00:00' }).timestamp, '2026-11-20T23:59:59.5+00:00');
  });

  it('recognises pacs.008 bodies and nothing else', () => {
    assert.equal(isPacs008(wrapped(pesalinkTransaction())), true);
    assert.equal(isPacs008(bare(pesalinkTransaction())), true);
    assert.equal(isPacs008({ transactionReference: 'TX-1', amount: 10 }), false);
    assert.equal(isPacs008({ Document: { FIToFIPmtStsRpt: {} } }), false, 'pacs.002 is not pacs.008');
    assert.equal(isPacs008(null), false);
    assert.equal(isPacs008([wrapped(pesalinkTransaction())]), false);
    assert.deepEqual(isoErrors({ transactionReference: 'TX-1' }), [
      { path: 'body', message: 'not a pacs.008: expected FIToFICstmrCdtTrf, at the top or under Document' },
    ]);
  });

  it('keys each payment by UETR, then instructing agent and TxId, then EndToEndId, never by NOTPROVIDED', () => {
    const ref = (pmtId: Json, extra: Json = {}) => one(wrapped({ ...pesalinkTransaction(), PmtId: pmtId, ...extra })).transactionReference;
    assert.equal(
      ref({ EndToEndId: 'E2E-1', TxId: 'TX-1', UETR: '6F1C0B6E-7D2A-4F3B-9A51-2C8E4D7B9F10' }),
      '6f1c0b6e-7d2a-4f3b-9a51-2c8e4d7b9f10',
      'the UETR, in one spelling',
    );
    // The group header's instructing agent is EQBLKENA; the transaction's own wins over it.
    assert.equal(ref({ EndToEndId: 'E2E-1', TxId: 'TX-1' }), 'EQBLKENA:TX-1');
    assert.equal(ref({ EndToEndId: 'E2E-1', TxId: 'TX-1' }, { InstgAgt: { FinInstnId: { BICFI: 'KCBLKENX' } } }), 'KCBLKENX:TX-1');
    assert.equal(
      one(wrapped({ ...pesalinkTransaction(), PmtId: { EndToEndId: 'E2E-1', TxId: 'TX-1' } }, groupHeader({ InstgAgt: undefined }))).transactionReference,
      'EQBLKENA:TX-1',
      'the debtor agent is the first instructing agent',
    );
    assert.equal(ref({ EndToEndId: 'E2E-1' }), 'E2E-1');
    assert.equal(ref({ EndToEndId: 'NOTPROVIDED', InstrId: 'INSTR-9' }), 'INSTR-9');
    // Two banks' payments that share a debtor's EndToEndId are two payments.
    const a = ref({ EndToEndId: 'INV-2026-11-0042', UETR: '0a3e5b7c-1d2f-4a6b-8c9d-0e1f2a3b4c5d' });
    const b = ref({ EndToEndId: 'INV-2026-11-0042', UETR: '1b4f6c8d-2e3a-4b7c-9d0e-1f2a3b4c5d6e' });
    assert.notEqual(a, b);
  });

  it('refuses control characters, implausible dates and amounts finer than the currency allows', () => {
    const at = 'body.Document.FIToFICstmrCdtTrf.CdtTrfTxInf';
    assertIsoError(wrapped({ ...pesalinkTransaction(), PmtId: { EndToEndId: 'E2E\u0000X', TxId: 'TX-1' } }), `${at}.PmtId.EndToEndId`, /control/);
    assertIsoError(wrapped({ ...pesalinkTransaction(), AccptncDtTm: '0000-01-01T00:00:00Z' }), `${at}.AccptncDtTm`, /2000-01-01/);
    assertIsoError(
      wrapped({ ...pesalinkTransaction(), IntrBkSttlmAmt: { Ccy: 'UGX', value: '1500.50' } }),
      `${at}.IntrBkSttlmAmt.value`,
      /UGX has no minor units/,
    );
    assert.equal(
      one(wrapped({ ...pesalinkTransaction(), IntrBkSttlmAmt: { Ccy: 'KWD', value: '12.125' } })).amount,
      12.125,
      'three decimals for the Kuwaiti dinar',
    );
  });

  it('exposes a schema that accepts both document forms and a mapper for parsed documents', () => {
    const parsed = Pacs008Document.parse(bare(pesalinkTransaction()));
    const [payment] = mapPacs008ToPayments(parsed, DEFAULTS);
    assert.equal(payment!.transactionReference, '6f1c0b6e-7d2a-4f3b-9a51-2c8e4d7b9f10');
    assert.equal(Pacs008Document.safeParse(wrapped(pesalinkTransaction())).success, true);
    assert.equal(Pacs008Document.safeParse({ Document: {} }).success, false);
  });
});

describe('pacs.008 validation errors name the ISO elements', () => {
  const root = 'body.Document.FIToFICstmrCdtTrf';
  const without = (key: string) => {
    const tx = pesalinkTransaction();
    delete tx[key];
    return tx;
  };

  it('reports a missing amount at IntrBkSttlmAmt, with the index in a list', () => {
    assertIsoError(wrapped(without('IntrBkSttlmAmt')), `${root}.CdtTrfTxInf.IntrBkSttlmAmt`, /required/);
    const list = bare([pesalinkTransaction(), without('IntrBkSttlmAmt')], groupHeader({ NbOfTxs: '2' }));
    assertIsoError(list, 'body.FIToFICstmrCdtTrf.CdtTrfTxInf[1].IntrBkSttlmAmt', /required/);
    assertIsoError(wrapped({ ...pesalinkTransaction(), IntrBkSttlmAmt: { Ccy: 'KES' } }), `${root}.CdtTrfTxInf.IntrBkSttlmAmt`, /missing amount/);
  });

  it('reports a bad currency at the Ccy attribute of whichever rendering was used', () => {
    const at = `${root}.CdtTrfTxInf.IntrBkSttlmAmt`;
    assertIsoError(wrapped({ ...pesalinkTransaction(), IntrBkSttlmAmt: { Ccy: 'KSH1', value: 100 } }), `${at}.Ccy`, /ISO 4217/);
    assertIsoError(wrapped({ ...pesalinkTransaction(), IntrBkSttlmAmt: { Ccy: 'kes', value: 100 } }), `${at}.Ccy`, /ISO 4217/);
    assertIsoError(wrapped({ ...pesalinkTransaction(), IntrBkSttlmAmt: { Amt: { Amt: 100, Ccy: 'Shillings' } } }), `${at}.Amt.Ccy`);
    assertIsoError(wrapped({ ...pesalinkTransaction(), IntrBkSttlmAmt: { '@Ccy': 'KE', '#text': '100' } }), `${at}.@Ccy`);
    assertIsoError(wrapped({ ...pesalinkTransaction(), IntrBkSttlmAmt: { value: 100 } }), `${at}.Ccy`, /missing currency/);
  });

  it('refuses amounts a payment cannot have', () => {
    const at = `${root}.CdtTrfTxInf.IntrBkSttlmAmt`;
    const amount = (rendering: unknown) => wrapped({ ...pesalinkTransaction(), IntrBkSttlmAmt: rendering });
    assertIsoError(amount({ Ccy: 'KES', value: '100.125' }), `${at}.value`, /two decimal/);
    assertIsoError(amount({ Ccy: 'KES', value: 0 }), `${at}.value`, /positive/);
    assertIsoError(amount({ Ccy: 'KES', value: '-500' }), `${at}.value`, /not a decimal/);
    assertIsoError(amount({ Ccy: 'KES', Amt: '1,500.00' }), `${at}.Amt`, /not a decimal/);
    assertIsoError(amount({ Ccy: 'KES', value: 2e13 }), `${at}.value`, /above/);
    assertIsoError(amount({ '@Ccy': 'KES', '#text': true }), `${at}.#text`, /number or a decimal string/);
    assertIsoError(amount('KES 100'), at, /amount object/);
  });

  it('reports a missing EndToEndId, and a NOTPROVIDED one with nothing else to go on', () => {
    const noEndToEnd = { ...pesalinkTransaction(), PmtId: { TxId: 'PSL26112010304500871' } };
    assertIsoError(wrapped(noEndToEnd), `${root}.CdtTrfTxInf.PmtId.EndToEndId`, /required/);
    const placeholder = { ...pesalinkTransaction(), PmtId: { EndToEndId: 'NOTPROVIDED' } };
    assertIsoError(wrapped(placeholder), `${root}.CdtTrfTxInf.PmtId.EndToEndId`, /NOTPROVIDED/);
  });

  it('checks the group header against the transactions', () => {
    assertIsoError(wrapped(pesalinkTransaction(), groupHeader({ NbOfTxs: '2' })), `${root}.GrpHdr.NbOfTxs`, /says 2 but the message has 1/);
    assertIsoError(wrapped(pesalinkTransaction(), groupHeader({ CtrlSum: '48500.01' })), `${root}.GrpHdr.CtrlSum`, /add up to 48500.00/);
    assertIsoError(wrapped(pesalinkTransaction(), groupHeader({ MsgId: undefined })), `${root}.GrpHdr.MsgId`, /required/);
    assertIsoError(wrapped(pesalinkTransaction(), groupHeader({ CreDtTm: '20/11/2026 10:30' })), `${root}.GrpHdr.CreDtTm`, /ISO date-time/);
    assertIsoError(
      wrapped(pesalinkTransaction(), groupHeader({ SttlmInf: { SttlmMtd: 'CLRG', ClrSys: {} } })),
      `${root}.GrpHdr.SttlmInf.ClrSys`,
      /Cd or Prtry/,
    );
    const twice = bare([pesalinkTransaction(), pesalinkTransaction()], groupHeader({ NbOfTxs: '2' }));
    assertIsoError(twice, 'body.FIToFICstmrCdtTrf.CdtTrfTxInf[1].PmtId.UETR', /repeats the reference 6f1c0b6e/);
    assertIsoError(bare([]), 'body.FIToFICstmrCdtTrf.CdtTrfTxInf', /1/);
    assertIsoError({ FIToFICstmrCdtTrf: { GrpHdr: groupHeader() } }, 'body.FIToFICstmrCdtTrf.CdtTrfTxInf', /required/);
  });

  it('names bad agents, accounts and envelope fields where they are', () => {
    const at = `${root}.CdtTrfTxInf`;
    assertIsoError(wrapped({ ...pesalinkTransaction(), CdtrAgt: { FinInstnId: { BICFI: 'KCB-KENYA' } } }), `${at}.CdtrAgt.FinInstnId.BICFI`, /BIC/);
    assertIsoError(wrapped({ ...pesalinkTransaction(), DbtrAcct: { Id: {} } }), `${at}.DbtrAcct.Id`, /IBAN or Othr/);
    // Accounts are optional in ISO (0..1): a message without one maps, without the field.
    assert.equal(one(wrapped(without('CdtrAcct'))).creditorAccount, undefined);
    assertIsoError(wrapped({ ...pesalinkTransaction(), Dbtr: {}, DbtrAcct: undefined }), `${at}.Dbtr`, /no debtor/);
    assertIsoError(wrapped({ ...pesalinkTransaction(), Cdtr: { Nm: 'X', PstlAdr: { Ctry: 'Kenya' } } }), `${at}.Cdtr.PstlAdr.Ctry`, /alpha-2/);
    const badEnvelope = { ...pesalinkTransaction(), SplmtryData: [{ Envlp: { channel: 'TELEPATHY' } }, { Envlp: { ipAddress: '999.1.1.1' } }] };
    const fields = isoErrors(wrapped(badEnvelope));
    assert.deepEqual(fields.map((f) => f.path).sort(), [`${at}.SplmtryData[0].Envlp.channel`, `${at}.SplmtryData[1].Envlp.ipAddress`]);
  });

  it('says when no tenant can be found', () => {
    const header = groupHeader({ InstdAgt: undefined });
    assert.throws(
      () => mapPacs008(wrapped(pesalinkTransaction(), header), {}),
      (error: unknown) => {
        assert.ok(error instanceof ServiceError);
        assert.equal(error.fields?.[0]?.path, `${root}.GrpHdr.InstdAgt.FinInstnId.BICFI`);
        assert.match(error.fields?.[0]?.message ?? '', /no tenant/);
        return true;
      },
    );
  });

  it('refuses a body that has both forms at once', () => {
    const body = { ...wrapped(pesalinkTransaction()), ...bare(pesalinkTransaction()) };
    assertIsoError(body, 'body', /not both/);
  });
});
