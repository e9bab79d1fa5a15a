import { z } from 'zod';
import { validationFailed, type FieldError } from '../errors.ts';
import { Channel, PaymentInput } from '../../../shared/src/payments.ts';

/**
 * ISO 20022 pacs.008 (FIToFICustomerCreditTransfer) in its JSON renderings, mapped onto the
 * native PaymentInput. Blocks are loose objects: banks add elements we do not read, and rejecting
 * them would make every message version a breaking change. What the mapping reads is strict.
 *
 * Mapping, per CdtTrfTxInf (first value present wins):
 *   transactionReference      PmtId.TxId → PmtId.EndToEndId (unless "NOTPROVIDED") → PmtId.UETR → PmtId.InstrId
 *   tenantId                  Envlp.tenantId → defaults.tenantId → InstdAgt BICFI (transaction, then group header)
 *   paymentType               Envlp.paymentType → CtgyPurp Cd/Prtry → SvcLvl Cd/Prtry → 'CREDIT_TRANSFER'
 *                             (PmtTpInf of the transaction, then of the group header)
 *   localInstrumentationCode  LclInstrm Cd/Prtry
 *   clearingSystemCode        GrpHdr.SttlmInf.ClrSys Cd/Prtry
 *   paymentSource             'CLEARING_SYSTEM': a pacs.008 is an interbank message
 *   amount, currency          IntrBkSttlmAmt
 *   timestamp                 AccptncDtTm → GrpHdr.CreDtTm; a time without offset is taken as the bank's
 *                             local time (defaults.utcOffset, +03:00 Africa/Nairobi), as ISO 20022 allows
 *   channel                   Envlp.channel → 'BRANCH': an interbank message carries no customer channel,
 *                             and charging a remote channel's risk for an unknown would inflate every
 *                             clearing payment; the bank-operated channel is the neutral choice
 *   country                   Cdtr.PstlAdr.Ctry → CdtrAgt PstlAdr.Ctry → CdtrAgt BICFI chars 5–6 → 'KE'
 *   customerId                Envlp.customerId → Dbtr PrvtId.Othr[0].Id → Dbtr OrgId.Othr[0].Id → debtorAccount
 *   debtorAccount             DbtrAcct.Id.IBAN → DbtrAcct.Id.Othr.Id (creditorAccount likewise from CdtrAcct)
 *   ipAddress, deviceId, userAgent   Envlp only
 *   description               RmtInf.Ustrd lines joined with a space, cut to 500 characters
 * The UETR is not carried over (PaymentInput has no field for it) except as a reference fallback.
 * Envlp is the Wekeza supplementary-data envelope: transaction-level SplmtryData first, then the
 * message's; for each field the first envelope that has it wins.
 */

// ---------------------------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------------------------

const Max35Text = z.string().trim().min(1).max(35);
const Max140Text = z.string().trim().min(1).max(140);
const Bic = z.string().regex(/^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/, 'BIC, e.g. EQBLKENA or KCBLKENXXXX');
const Iban = z.string().regex(/^[A-Z]{2}[0-9]{2}[A-Za-z0-9]{1,30}$/, 'IBAN, e.g. GB33BUKB20201555555555');
const Country = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code, e.g. KE');
// ISO 20022 ISODateTime may be UTC, carry an offset, or be local time without one.
const IsoDateTime = z.iso.datetime({
  offset: true,
  local: true,
  error: (issue) => (issue.input === undefined ? 'required' : 'ISO date-time, e.g. 2026-11-20T10:15:00+03:00'),
});
const Uetr = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i, 'UETR: a UUID v4');

/** One element or a list of them: JSON renderings of a repeating element differ on this. */
const oneOrMany = <T extends z.ZodType>(item: T) => z.union([z.array(item).min(1), item]);
const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The ISO "choice" of an external code or a proprietary one. */
const CodeOrProprietary = z
  .looseObject({ Cd: Max35Text.optional(), Prtry: Max35Text.optional() })
  .refine((c) => c.Cd !== undefined || c.Prtry !== undefined, 'give Cd or Prtry');
type CodeOrProprietary = z.infer<typeof CodeOrProprietary>;
const codeOf = (c: CodeOrProprietary | undefined) => c?.Cd ?? c?.Prtry;

const PostalAddress = z.looseObject({ Ctry: Country.optional() });

const Agent = z.looseObject({
  FinInstnId: z.looseObject({ BICFI: Bic.optional(), Nm: Max140Text.optional(), PstlAdr: PostalAddress.optional() }),
});

const GenericIdentification = z.looseObject({ Id: Max35Text, SchmeNm: z.looseObject({}).optional() });
const Party = z.looseObject({
  Nm: Max140Text.optional(),
  PstlAdr: PostalAddress.optional(),
  Id: z
    .looseObject({
      PrvtId: z.looseObject({ Othr: oneOrMany(GenericIdentification).optional() }).optional(),
      OrgId: z.looseObject({ Othr: oneOrMany(GenericIdentification).optional() }).optional(),
    })
    .optional(),
});

const Account = z.looseObject({
  Id: z
    .looseObject({ IBAN: Iban.optional(), Othr: z.looseObject({ Id: z.string().trim().min(1).max(34) }).optional() })
    .refine((id) => id.IBAN !== undefined || id.Othr !== undefined, 'give IBAN or Othr.Id'),
});

const PaymentTypeInformation = z.looseObject({
  SvcLvl: oneOrMany(CodeOrProprietary).optional(),
  LclInstrm: CodeOrProprietary.optional(),
  CtgyPurp: CodeOrProprietary.optional(),
});

const Envelope = z.looseObject({
  tenantId: PaymentInput.shape.tenantId.optional(),
  channel: Channel.optional(),
  paymentType: PaymentInput.shape.paymentType.optional(),
  customerId: PaymentInput.shape.customerId.optional(),
  ipAddress: PaymentInput.shape.ipAddress,
  deviceId: PaymentInput.shape.deviceId,
  userAgent: PaymentInput.shape.userAgent,
});
type Envelope = z.infer<typeof Envelope>;
const SupplementaryData = z.looseObject({ PlcAndNm: z.string().max(350).optional(), Envlp: Envelope });

const MAX_AMOUNT = 1e13;

/**
 * An ISO decimal (a JSON number or a decimal string) → a number with at most two decimals, which is
 * what PaymentInput accepts. Returns an error message instead when it is not one.
 */
function decimal(value: unknown): number | string {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'amount must be a finite number';
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return 'amount must be a number or a decimal string, e.g. "1500.00"';
  }
  // ISO ActiveCurrencyAndAmount: up to 18 digits, 5 of them decimals; no sign, no exponent.
  const match = /^(\d{1,18})(?:\.(\d{1,5}))?$/.exec(text);
  if (!match) return `not a decimal amount: ${text.slice(0, 40)}`;
  if ((match[2] ?? '').replace(/0+$/, '').length > 2) return 'at most two decimal places are supported';
  const amount = Number(text);
  if (!(amount > 0)) return 'amount must be positive';
  if (amount > MAX_AMOUNT) return 'amount is above 10,000,000,000,000';
  return amount;
}

/**
 * IntrBkSttlmAmt in the JSON shapes converters produce: { Ccy, value }, { Ccy, Amt },
 * { Amt: { Amt, Ccy } } and the XML-attribute style { "@Ccy", "#text" }.
 */
const ActiveCurrencyAndAmount = z.unknown().transform((input, ctx): { amount: number; currency: string } => {
  const fail = (message: string, path: string[] = []) => {
    ctx.addIssue({ code: 'custom', message, path, input });
    return z.NEVER;
  };
  const read = (value: unknown, at: string[]): { amount: number; currency: string } => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return fail(value === undefined ? 'required' : 'expected an amount object, e.g. { "Ccy": "KES", "value": 1500 }', at);
    }
    const o = value as Record<string, unknown>;
    if (typeof o['Amt'] === 'object' && o['Amt'] !== null && at.length === 0) return read(o['Amt'], ['Amt']);
    const amountKey = ['value', 'Amt', '#text'].find((k) => o[k] !== undefined);
    const currencyKey = ['Ccy', '@Ccy'].find((k) => o[k] !== undefined);
    if (amountKey === undefined) return fail('missing amount: give value, Amt or #text', at);
    if (currencyKey === undefined) return fail('missing currency: give Ccy', [...at, 'Ccy']);
    const amount = decimal(o[amountKey]);
    if (typeof amount === 'string') return fail(amount, [...at, amountKey]);
    const currency = o[currencyKey];
    if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
      return fail('ISO 4217 currency code, e.g. KES', [...at, currencyKey]);
    }
    return { amount, currency };
  };
  return read(input, []);
});

const CreditTransferTransaction = z.looseObject({
  PmtId: z.looseObject({
    InstrId: Max35Text.optional(),
    EndToEndId: Max35Text,
    TxId: Max35Text.optional(),
    UETR: Uetr.optional(),
  }),
  PmtTpInf: PaymentTypeInformation.optional(),
  IntrBkSttlmAmt: ActiveCurrencyAndAmount,
  IntrBkSttlmDt: z.iso.date().optional(),
  AccptncDtTm: IsoDateTime.optional(),
  ChrgBr: z.string().optional(),
  InstgAgt: Agent.optional(),
  InstdAgt: Agent.optional(),
  Dbtr: Party,
  DbtrAcct: Account,
  DbtrAgt: Agent,
  CdtrAgt: Agent,
  Cdtr: Party,
  CdtrAcct: Account,
  RmtInf: z.looseObject({ Ustrd: oneOrMany(Max140Text).optional() }).optional(),
  SplmtryData: oneOrMany(SupplementaryData).optional(),
});
type CreditTransferTransaction = z.infer<typeof CreditTransferTransaction>;

const GroupHeader = z.looseObject({
  MsgId: Max35Text,
  CreDtTm: IsoDateTime,
  NbOfTxs: z.union([z.string().regex(/^[0-9]{1,15}$/, 'digits, e.g. "1"'), z.number().int().min(1)]),
  CtrlSum: z.unknown().optional(),
  SttlmInf: z.looseObject({ SttlmMtd: z.enum(['INDA', 'INGA', 'COVE', 'CLRG']), ClrSys: CodeOrProprietary.optional() }),
  PmtTpInf: PaymentTypeInformation.optional(),
  InstgAgt: Agent.optional(),
  InstdAgt: Agent.optional(),
});

/** A cap on transactions per message: each becomes an assessment, and a body this size is already large. */
export const MAX_PACS008_TRANSACTIONS = 1000;

const FIToFICustomerCreditTransfer = z.looseObject({
  GrpHdr: GroupHeader,
  CdtTrfTxInf: oneOrMany(CreditTransferTransaction).refine(
    (t) => !Array.isArray(t) || t.length <= MAX_PACS008_TRANSACTIONS,
    `at most ${MAX_PACS008_TRANSACTIONS} transactions per message`,
  ),
  SplmtryData: oneOrMany(SupplementaryData).optional(),
});
type FIToFICustomerCreditTransfer = z.infer<typeof FIToFICustomerCreditTransfer>;

// The wrappers are plain (stripping) objects so the union narrows on its one key.
const WrappedDocument = z.object({ Document: z.object({ FIToFICstmrCdtTrf: FIToFICustomerCreditTransfer }) });
const BareDocument = z.object({ FIToFICstmrCdtTrf: FIToFICustomerCreditTransfer });

/** A pacs.008 message, bare or inside its Document element. */
export const Pacs008Document = z.union([WrappedDocument, BareDocument]);
export type Pacs008Document = z.infer<typeof Pacs008Document>;

// ---------------------------------------------------------------------------------------------
// Detection, errors
// ---------------------------------------------------------------------------------------------

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when the body looks like a pacs.008 (FIToFICstmrCdtTrf at the top or under Document). */
export function isPacs008(body: unknown): boolean {
  if (!isRecord(body)) return false;
  if ('FIToFICstmrCdtTrf' in body) return true;
  return isRecord(body['Document']) && 'FIToFICstmrCdtTrf' in body['Document'];
}

/** ISO element paths read best as XPath-like with indexes: CdtTrfTxInf[0].IntrBkSttlmAmt. */
function formatPath(prefix: string, segments: readonly PropertyKey[]): string {
  let out = prefix;
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : `.${String(s)}`;
  return out;
}

/**
 * zod reports a failed union (object-or-list, the two document forms) as one opaque issue. When
 * only one branch got past the type check, its issues are the real ones: report those.
 */
function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix: string, base: readonly PropertyKey[] = []): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const wrongType = (branch: readonly z.core.$ZodIssue[]) =>
        branch.length === 1 && branch[0]!.code === 'invalid_type' && branch[0]!.path.length === 0;
      const informative = issue.errors.filter((branch) => !wrongType(branch));
      if (informative.length === 1) {
        out.push(...fieldErrors(informative[0]!, prefix, path));
        continue;
      }
      if (informative.length === 0) {
        const firsts = issue.errors.map((branch) => branch[0]!);
        const missing = firsts.every((f) => f.message === 'required');
        const expected = [...new Set(firsts.map((f) => (f.code === 'invalid_type' ? f.expected : 'another form')))];
        out.push({ path: formatPath(prefix, path), message: missing ? 'required' : `expected ${expected.join(' or ')}` });
        continue;
      }
    }
    out.push({ path: formatPath(prefix, path), message: issue.message });
  }
  return out;
}

// Absent required elements read "required" rather than "expected string, received undefined".
const requiredMessage: z.core.$ZodErrorMap = (issue) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined;

// ---------------------------------------------------------------------------------------------
// Mapping
// ---------------------------------------------------------------------------------------------

export interface Pacs008Defaults {
  /** Tenant when no envelope names one; the instructed agent's BIC is the last resort. */
  tenantId?: string;
  /** Offset for date-times sent without one (ISO local time); default +03:00 (Africa/Nairobi). */
  utcOffset?: string;
}

const DEFAULT_UTC_OFFSET = '+03:00';
const HAS_ZONE = /(?:Z|[+-]\d{2}:\d{2})$/i;
const MAX_DESCRIPTION = 500;

type Sources = Partial<Record<keyof PaymentInput, string>>;

function messageOf(document: Pacs008Document): { message: FIToFICustomerCreditTransfer; root: string } {
  return 'Document' in document
    ? { message: document.Document.FIToFICstmrCdtTrf, root: 'body.Document.FIToFICstmrCdtTrf' }
    : { message: document.FIToFICstmrCdtTrf, root: 'body.FIToFICstmrCdtTrf' };
}

/** The first envelope (in the given order) that has the field wins; remembers where it came from. */
function envelopeValue<K extends keyof Envelope & keyof PaymentInput>(
  envelopes: readonly { envelope: Envelope; path: string }[],
  key: K,
  sources: Sources,
): Envelope[K] | undefined {
  for (const { envelope, path } of envelopes) {
    if (envelope[key] !== undefined) {
      sources[key] = `${path}.${key}`;
      return envelope[key];
    }
  }
  return undefined;
}

function envelopesOf(data: CreditTransferTransaction['SplmtryData'], path: string) {
  const list = asList(data);
  return list.map((d, k) => ({ envelope: d.Envlp, path: `${path}.SplmtryData${Array.isArray(data) ? `[${k}]` : ''}.Envlp` }));
}

function accountOf(account: CreditTransferTransaction['DbtrAcct'], path: string): { value: string; path: string } {
  if (account.Id.IBAN !== undefined) return { value: account.Id.IBAN, path: `${path}.Id.IBAN` };
  // The schema requires IBAN or Othr; an empty value would still fail PaymentInput at this path.
  return { value: account.Id.Othr?.Id ?? '', path: `${path}.Id.Othr.Id` };
}

function otherId(ids: CreditTransferTransaction['Dbtr'], kind: 'PrvtId' | 'OrgId', path: string) {
  const othr = ids.Id?.[kind]?.Othr;
  const first = asList(othr)[0];
  return first ? { value: first.Id, path: `${path}.Id.${kind}.Othr${Array.isArray(othr) ? '[0]' : ''}.Id` } : undefined;
}

/**
 * Maps a parsed pacs.008 onto native payments, one per CdtTrfTxInf, each checked against
 * PaymentInput. Throws validationFailed naming the ISO element when a message cannot become
 * payments (no usable reference, duplicates, counts that do not add up, no tenant).
 */
export function mapPacs008ToPayments(document: Pacs008Document, defaults: Pacs008Defaults): PaymentInput[] {
  const utcOffset = defaults.utcOffset ?? DEFAULT_UTC_OFFSET;
  if (!/^[+-](?:[01]\d|2[0-3]):[0-5]\d$/.test(utcOffset)) throw new Error(`utcOffset must look like +03:00, got ${utcOffset}`);
  const { message, root } = messageOf(document);
  const header = message.GrpHdr;
  const transactions = asList(message.CdtTrfTxInf);
  const errors: FieldError[] = [];

  if (Number(header.NbOfTxs) !== transactions.length) {
    errors.push({ path: `${root}.GrpHdr.NbOfTxs`, message: `says ${header.NbOfTxs} but the message has ${transactions.length} CdtTrfTxInf` });
  }
  if (header.CtrlSum !== undefined) {
    const sum = decimal(header.CtrlSum);
    const cents = transactions.reduce((total, tx) => total + Math.round(tx.IntrBkSttlmAmt.amount * 100), 0);
    if (typeof sum === 'string') errors.push({ path: `${root}.GrpHdr.CtrlSum`, message: sum });
    else if (Math.round(sum * 100) !== cents) {
      errors.push({ path: `${root}.GrpHdr.CtrlSum`, message: `is ${sum} but the amounts add up to ${(cents / 100).toFixed(2)}` });
    }
  }

  const messageEnvelopes = envelopesOf(message.SplmtryData, root);
  const clearing = header.SttlmInf.ClrSys;
  const seen = new Map<string, string>();
  const payments: PaymentInput[] = [];

  transactions.forEach((tx, i) => {
    const at = `${root}.CdtTrfTxInf${Array.isArray(message.CdtTrfTxInf) ? `[${i}]` : ''}`;
    const sources: Sources = {};
    const envelopes = [...envelopesOf(tx.SplmtryData, at), ...messageEnvelopes];

    // "NOTPROVIDED" is the ISO placeholder: as a reference it would make every such payment one.
    const endToEnd = tx.PmtId.EndToEndId === 'NOTPROVIDED' ? undefined : tx.PmtId.EndToEndId;
    const referenceCandidates: [string | undefined, string][] = [
      [tx.PmtId.TxId, 'TxId'], [endToEnd, 'EndToEndId'], [tx.PmtId.UETR, 'UETR'], [tx.PmtId.InstrId, 'InstrId'],
    ];
    const reference = referenceCandidates.find(([value]) => value !== undefined);
    if (!reference) {
      errors.push({ path: `${at}.PmtId.EndToEndId`, message: 'is NOTPROVIDED and there is no TxId, UETR or InstrId to identify the payment' });
      return;
    }
    const transactionReference = reference[0]!;
    sources.transactionReference = `${at}.PmtId.${reference[1]}`;
    const earlier = seen.get(transactionReference);
    if (earlier !== undefined) {
      errors.push({ path: sources.transactionReference, message: `repeats the reference ${transactionReference} of ${earlier}` });
      return;
    }
    seen.set(transactionReference, sources.transactionReference);

    const instructed = tx.InstdAgt ?? header.InstdAgt;
    let tenantId = envelopeValue(envelopes, 'tenantId', sources) ?? defaults.tenantId;
    if (tenantId === undefined && instructed?.FinInstnId.BICFI !== undefined) {
      tenantId = instructed.FinInstnId.BICFI;
      sources.tenantId = `${tx.InstdAgt ? at : `${root}.GrpHdr`}.InstdAgt.FinInstnId.BICFI`;
    }
    if (tenantId === undefined) {
      errors.push({ path: `${root}.GrpHdr.InstdAgt.FinInstnId.BICFI`, message: 'no tenant: give SplmtryData Envlp.tenantId, a default tenant, or the instructed agent BICFI' });
      return;
    }

    const paymentTypeInfo = tx.PmtTpInf ?? header.PmtTpInf;
    const infoPath = tx.PmtTpInf ? `${at}.PmtTpInf` : `${root}.GrpHdr.PmtTpInf`;
    const serviceLevel = asList(paymentTypeInfo?.SvcLvl)[0];
    let paymentType = envelopeValue(envelopes, 'paymentType', sources);
    if (paymentType === undefined && codeOf(paymentTypeInfo?.CtgyPurp) !== undefined) {
      paymentType = codeOf(paymentTypeInfo?.CtgyPurp);
      sources.paymentType = `${infoPath}.CtgyPurp`;
    }
    if (paymentType === undefined && codeOf(serviceLevel) !== undefined) {
      paymentType = codeOf(serviceLevel);
      sources.paymentType = `${infoPath}.SvcLvl`;
    }

    const timestampPath = tx.AccptncDtTm !== undefined ? `${at}.AccptncDtTm` : `${root}.GrpHdr.CreDtTm`;
    sources.timestamp = timestampPath;
    let timestamp = tx.AccptncDtTm ?? header.CreDtTm;
    if (!HAS_ZONE.test(timestamp)) timestamp = `${/T\d{2}:\d{2}$/.test(timestamp) ? `${timestamp}:00` : timestamp}${utcOffset}`;

    const creditorBic = tx.CdtrAgt.FinInstnId.BICFI;
    let country = tx.Cdtr.PstlAdr?.Ctry;
    sources.country = `${at}.Cdtr.PstlAdr.Ctry`;
    if (country === undefined && tx.CdtrAgt.FinInstnId.PstlAdr?.Ctry !== undefined) {
      country = tx.CdtrAgt.FinInstnId.PstlAdr.Ctry;
      sources.country = `${at}.CdtrAgt.FinInstnId.PstlAdr.Ctry`;
    }
    if (country === undefined && creditorBic !== undefined) {
      country = creditorBic.slice(4, 6); // BIC: 4 bank, 2 country, 2 location, optional 3 branch
      sources.country = `${at}.CdtrAgt.FinInstnId.BICFI`;
    }

    const debtorAccount = accountOf(tx.DbtrAcct, `${at}.DbtrAcct`);
    const creditorAccount = accountOf(tx.CdtrAcct, `${at}.CdtrAcct`);
    sources.debtorAccount = debtorAccount.path;
    sources.creditorAccount = creditorAccount.path;

    let customerId = envelopeValue(envelopes, 'customerId', sources);
    if (customerId === undefined) {
      const id = otherId(tx.Dbtr, 'PrvtId', `${at}.Dbtr`) ?? otherId(tx.Dbtr, 'OrgId', `${at}.Dbtr`) ?? debtorAccount;
      customerId = id.value;
      sources.customerId = id.path;
    }

    const lines = asList(tx.RmtInf?.Ustrd);
    let description = lines.length > 0 ? lines.join(' ') : undefined;
    if (description !== undefined && description.length > MAX_DESCRIPTION) description = `${description.slice(0, MAX_DESCRIPTION - 1)}…`;

    sources.amount = `${at}.IntrBkSttlmAmt`;
    sources.currency = `${at}.IntrBkSttlmAmt`;
    sources.localInstrumentationCode = `${infoPath}.LclInstrm`;
    sources.clearingSystemCode = `${root}.GrpHdr.SttlmInf.ClrSys`;
    sources.description = `${at}.RmtInf.Ustrd`;

    const candidate = {
      transactionReference,
      tenantId,
      paymentType: paymentType ?? 'CREDIT_TRANSFER',
      localInstrumentationCode: codeOf(paymentTypeInfo?.LclInstrm),
      clearingSystemCode: codeOf(clearing),
      paymentSource: 'CLEARING_SYSTEM' as const,
      amount: tx.IntrBkSttlmAmt.amount,
      currency: tx.IntrBkSttlmAmt.currency,
      timestamp,
      channel: envelopeValue(envelopes, 'channel', sources) ?? 'BRANCH',
      country: country ?? 'KE',
      customerId,
      debtorAccount: debtorAccount.value,
      creditorAccount: creditorAccount.value,
      ipAddress: envelopeValue(envelopes, 'ipAddress', sources),
      deviceId: envelopeValue(envelopes, 'deviceId', sources),
      userAgent: envelopeValue(envelopes, 'userAgent', sources),
      description,
    };
    // Absent optionals are left out, so the payment has the same shape as one posted natively.
    const present = Object.fromEntries(Object.entries(candidate).filter(([, value]) => value !== undefined));
    // The schema above should leave little to fail here; if something does, name the ISO element.
    const checked = PaymentInput.safeParse(present);
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const field = issue.path[0] as keyof PaymentInput | undefined;
        const path = (field !== undefined ? sources[field] : undefined) ?? at;
        errors.push({ path, message: `${issue.message} (as ${String(field ?? 'payment')})` });
      }
      return;
    }
    payments.push(checked.data);
  });

  if (errors.length > 0) throw validationFailed(errors);
  return payments;
}

/**
 * Validates a request body as pacs.008 and maps it. Throws validationFailed (HTTP 400) whose field
 * paths name the ISO elements, e.g. body.FIToFICstmrCdtTrf.CdtTrfTxInf[0].IntrBkSttlmAmt.
 */
export function mapPacs008(body: unknown, defaults: Pacs008Defaults): { payments: PaymentInput[]; messageId: string } {
  if (!isPacs008(body)) {
    throw validationFailed([{ path: 'body', message: 'not a pacs.008: expected FIToFICstmrCdtTrf, at the top or under Document' }]);
  }
  const record = body as Record<string, unknown>;
  if ('Document' in record && 'FIToFICstmrCdtTrf' in record) {
    throw validationFailed([{ path: 'body', message: 'give FIToFICstmrCdtTrf either at the top or under Document, not both' }]);
  }
  // Parse the form actually sent, so errors carry its paths rather than a union's "invalid input".
  const wrapped = 'Document' in record;
  const result = (wrapped ? WrappedDocument : BareDocument).safeParse(body, { error: requiredMessage });
  if (!result.success) throw validationFailed(fieldErrors(result.error.issues, 'body'));
  const document: Pacs008Document = result.data;
  return { payments: mapPacs008ToPayments(document, defaults), messageId: messageOf(document).message.GrpHdr.MsgId };
}
