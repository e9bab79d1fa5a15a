import type { z } from 'zod';
import { validationFailed, type FieldError } from '../errors.ts';
import { PaymentInput } from '../../../shared/src/payments.ts';
import {
  asList,
  BareDocument,
  codeOf,
  decimal,
  WrappedDocument,
  type CreditTransferTransaction,
  type Envelope,
  type FIToFICustomerCreditTransfer,
  type Pacs008Document,
} from './iso20022-schema.ts';

export { MAX_PACS008_TRANSACTIONS, Pacs008Document } from './iso20022-schema.ts';

/**
 * ISO 20022 pacs.008 (FIToFICustomerCreditTransfer) in its JSON renderings, mapped onto the
 * native PaymentInput. Blocks are loose objects: banks add elements we do not read, and rejecting
 * them would make every message version a breaking change. What the mapping reads is strict.
 *
 * Mapping, per CdtTrfTxInf (first value present wins):
 *   transactionReference      the payment's idempotency key within the tenant (idempotency.ts), first present of:
 *                             PmtId.UETR (lower case) → instructing agent BICFI + ":" + PmtId.TxId (InstgAgt of the
 *                             transaction, then of the group header, then DbtrAgt, the first instructing agent) →
 *                             PmtId.EndToEndId (unless "NOTPROVIDED") → PmtId.TxId → PmtId.InstrId.
 *                             A TxId is unique only per instructing agent and an EndToEndId is the debtor's own
 *                             text (banks reuse it), so neither alone may answer for another payment.
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
 * The UETR has no field of its own in PaymentInput: it becomes the reference when present.
 * Envlp is the Wekeza supplementary-data envelope: transaction-level SplmtryData first, then the
 * message's; for each field the first envelope that has it wins.
 */

// ---------------------------------------------------------------------------------------------
// Detection, errors
// ---------------------------------------------------------------------------------------------

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when the body looks like a pacs.008 (FIToFICstmrCdtTrf at the top or under Document). */
export function isPacs008(body: unknown): boolean {
  if (!isRecord(body)) return false;
  if ('FIToFICstmrCdtTrf' in body) return true;
  return isRecord(body.Document) && 'FIToFICstmrCdtTrf' in body.Document;
}

/** ISO element paths read best as XPath-like with indexes: CdtTrfTxInf[0].IntrBkSttlmAmt. */
function formatPath(prefix: string, segments: readonly PropertyKey[]): string {
  let out = prefix;
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out === '' ? String(s) : `.${String(s)}`;
  return out;
}

/** `body.Document…` for JSON, `Document…` for XML, whose callers know their message by its element names. */
const under = (prefix: string, path: string) => (prefix === '' ? path : `${prefix}.${path}`);

/**
 * zod reports a failed union (object-or-list, the two document forms) as one opaque issue. When
 * only one branch got past the type check, its issues are the real ones: report those.
 */
function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix: string, base: readonly PropertyKey[] = []): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const wrongType = (branch: readonly z.core.$ZodIssue[]) => branch.length === 1 && branch[0]!.code === 'invalid_type' && branch[0]!.path.length === 0;
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
const requiredMessage: z.core.$ZodErrorMap = (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined);

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

function messageOf(document: Pacs008Document, prefix = 'body'): { message: FIToFICustomerCreditTransfer; root: string } {
  return 'Document' in document
    ? { message: document.Document.FIToFICstmrCdtTrf, root: under(prefix, 'Document.FIToFICstmrCdtTrf') }
    : { message: document.FIToFICstmrCdtTrf, root: under(prefix, 'FIToFICstmrCdtTrf') };
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

/** The account number, or undefined when the message has no such account (ISO 0..1). */
function accountOf(account: CreditTransferTransaction['DbtrAcct'], path: string): { value: string; path: string } | undefined {
  if (account === undefined) return undefined;
  if (account.Id.IBAN !== undefined) return { value: account.Id.IBAN, path: `${path}.Id.IBAN` };
  // The schema requires IBAN or Othr; an empty value would still fail PaymentInput at this path.
  const othr = account.Id.Othr;
  return { value: asList(othr)[0]?.Id ?? '', path: `${path}.Id.Othr${Array.isArray(othr) ? '[0]' : ''}.Id` };
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
  return mapTransactions(document, defaults, 'body').payments;
}

/** The payments and, for each, where each of its fields came from (ISO element paths). */
function mapTransactions(document: Pacs008Document, defaults: Pacs008Defaults, prefix: string): { payments: PaymentInput[]; sources: Sources[] } {
  const utcOffset = defaults.utcOffset ?? DEFAULT_UTC_OFFSET;
  if (!/^[+-](?:[01]\d|2[0-3]):[0-5]\d$/.test(utcOffset)) throw new Error(`utcOffset must look like +03:00, got ${utcOffset}`);
  const { message, root } = messageOf(document, prefix);
  const header = message.GrpHdr;
  const transactions = asList(message.CdtTrfTxInf);
  const errors: FieldError[] = [];

  if (Number(header.NbOfTxs) !== transactions.length) {
    errors.push({ path: `${root}.GrpHdr.NbOfTxs`, message: `says ${header.NbOfTxs} but the message has ${transactions.length} CdtTrfTxInf` });
  }
  if (header.CtrlSum !== undefined) {
    const sum = decimal(header.CtrlSum);
    // In units of 10^-5 (the finest ISO amount), so three-decimal currencies add up exactly too.
    const units = transactions.reduce((total, tx) => total + Math.round(tx.IntrBkSttlmAmt.amount * 1e5), 0);
    if (typeof sum === 'string') errors.push({ path: `${root}.GrpHdr.CtrlSum`, message: sum });
    else if (Math.round(sum * 1e5) !== units) {
      errors.push({ path: `${root}.GrpHdr.CtrlSum`, message: `is ${sum} but the amounts add up to ${(units / 1e5).toFixed(2)}` });
    }
  }

  const messageEnvelopes = envelopesOf(message.SplmtryData, root);
  const clearing = header.SttlmInf.ClrSys;
  const seen = new Map<string, string>();
  const payments: PaymentInput[] = [];
  const sourcesOf: Sources[] = [];

  transactions.forEach((tx, i) => {
    const at = `${root}.CdtTrfTxInf${Array.isArray(message.CdtTrfTxInf) ? `[${i}]` : ''}`;
    const sources: Sources = {};
    const envelopes = [...envelopesOf(tx.SplmtryData, at), ...messageEnvelopes];

    // "NOTPROVIDED" is the ISO placeholder: as a reference it would make every such payment one.
    const endToEnd = tx.PmtId.EndToEndId === 'NOTPROVIDED' ? undefined : tx.PmtId.EndToEndId;
    const instructing = tx.InstgAgt?.FinInstnId.BICFI ?? header.InstgAgt?.FinInstnId.BICFI ?? tx.DbtrAgt?.FinInstnId.BICFI;
    const referenceCandidates: [string | undefined, string][] = [
      [tx.PmtId.UETR?.toLowerCase(), 'UETR'],
      [instructing !== undefined && tx.PmtId.TxId !== undefined ? `${instructing}:${tx.PmtId.TxId}` : undefined, 'TxId'],
      [endToEnd, 'EndToEndId'],
      [tx.PmtId.TxId, 'TxId'],
      [tx.PmtId.InstrId, 'InstrId'],
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
      errors.push({
        path: `${root}.GrpHdr.InstdAgt.FinInstnId.BICFI`,
        message: 'no tenant: give SplmtryData Envlp.tenantId, a default tenant, or the instructed agent BICFI',
      });
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

    const creditorBic = tx.CdtrAgt?.FinInstnId.BICFI;
    let country = tx.Cdtr.PstlAdr?.Ctry;
    sources.country = `${at}.Cdtr.PstlAdr.Ctry`;
    if (country === undefined && tx.CdtrAgt?.FinInstnId.PstlAdr?.Ctry !== undefined) {
      country = tx.CdtrAgt.FinInstnId.PstlAdr.Ctry;
      sources.country = `${at}.CdtrAgt.FinInstnId.PstlAdr.Ctry`;
    }
    if (country === undefined && creditorBic !== undefined) {
      country = creditorBic.slice(4, 6); // BIC: 4 bank, 2 country, 2 location, optional 3 branch
      sources.country = `${at}.CdtrAgt.FinInstnId.BICFI`;
    }

    // Accounts are optional in ISO: a payment without one is assessed, and the rules that need it
    // say "not evaluated: no debtor account" in the per-rule log (scoring/rules.ts).
    const debtorAccount = accountOf(tx.DbtrAcct, `${at}.DbtrAcct`);
    const creditorAccount = accountOf(tx.CdtrAcct, `${at}.CdtrAcct`);
    sources.debtorAccount = debtorAccount?.path ?? `${at}.DbtrAcct`;
    sources.creditorAccount = creditorAccount?.path ?? `${at}.CdtrAcct`;

    let customerId = envelopeValue(envelopes, 'customerId', sources);
    if (customerId === undefined) {
      const name = tx.Dbtr.Nm === undefined ? undefined : { value: tx.Dbtr.Nm, path: `${at}.Dbtr.Nm` };
      const id = otherId(tx.Dbtr, 'PrvtId', `${at}.Dbtr`) ?? otherId(tx.Dbtr, 'OrgId', `${at}.Dbtr`) ?? debtorAccount ?? name;
      if (id === undefined) {
        errors.push({ path: `${at}.Dbtr`, message: 'no debtor to assess: give Dbtr Id, Nm or a DbtrAcct' });
        return;
      }
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
      debtorAccount: debtorAccount?.value,
      creditorAccount: creditorAccount?.value,
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
    sourcesOf.push(sources);
  });

  if (errors.length > 0) throw validationFailed(errors);
  return { payments, sources: sourcesOf };
}

/**
 * Validates a request body as pacs.008 and maps it. Throws validationFailed (HTTP 400) whose field
 * paths name the ISO elements, e.g. body.FIToFICstmrCdtTrf.CdtTrfTxInf[0].IntrBkSttlmAmt.
 */
export function mapPacs008(
  body: unknown,
  defaults: Pacs008Defaults,
  /** Where error paths start: "body" for JSON; "" for XML, whose paths start at its Document. */
  prefix = 'body',
): {
  payments: PaymentInput[];
  messageId: string;
  fieldPaths: Array<(field: string) => string>;
  /** What a pacs.002 answer quotes: the message's creation time and each transaction's ids. */
  original: { createdAt: string; transactions: Array<CreditTransferTransaction['PmtId']> };
} {
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
  if (!result.success) throw validationFailed(fieldErrors(result.error.issues, prefix));
  const document: Pacs008Document = result.data;
  const { payments, sources } = mapTransactions(document, defaults, prefix);
  const { message, root } = messageOf(document, prefix);
  // Errors about a mapped payment (an idempotency conflict) name the ISO element it came from; an
  // XML caller never sees a native field name, so the transaction element answers for the rest.
  const fieldPaths = sources.map(
    (known, i) => (field: string) => known[field as keyof PaymentInput] ?? (prefix === '' ? `${root}.CdtTrfTxInf[${i}]` : `body.${field}`),
  );
  const original = { createdAt: message.GrpHdr.CreDtTm, transactions: asList(message.CdtTrfTxInf).map((tx) => tx.PmtId) };
  return { payments, messageId: message.GrpHdr.MsgId, fieldPaths, original };
}
