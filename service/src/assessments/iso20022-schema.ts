import { z } from 'zod';
import { amountProblem, Channel, PaymentInput } from '../../../shared/src/payments.ts';

/**
 * The pacs.008 (FIToFICustomerCreditTransfer) message as zod schemas, in its JSON renderings;
 * the mapping onto PaymentInput is in iso20022.ts. Blocks are loose objects: banks add elements
 * we do not read, and rejecting them would make every message version a breaking change. What
 * the mapping reads is strict.
 */
// ISO text never carries control characters; PaymentInput checks the fields it maps again.
const Text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');
const Max35Text = Text(35);
const Max140Text = Text(140);
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
export const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The ISO "choice" of an external code or a proprietary one. */
const CodeOrProprietary = z
  .looseObject({ Cd: Max35Text.optional(), Prtry: Max35Text.optional() })
  .refine((c) => c.Cd !== undefined || c.Prtry !== undefined, 'give Cd or Prtry');
type CodeOrProprietary = z.infer<typeof CodeOrProprietary>;
export const codeOf = (c: CodeOrProprietary | undefined) => c?.Cd ?? c?.Prtry;

const PostalAddress = z.looseObject({ Ctry: Country.optional() });

// pacs.008.001.02 and .03 call the BIC `BIC`; from .04 on it is `BICFI`. The mapping reads BICFI.
const Agent = z.looseObject({
  FinInstnId: z
    .looseObject({ BICFI: Bic.optional(), BIC: Bic.optional(), Nm: Max140Text.optional(), PstlAdr: PostalAddress.optional() })
    .transform(({ BIC, ...id }) => ({ ...id, BICFI: id.BICFI ?? BIC })),
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

// Tazama's JSON rendering writes Id.Othr as a list; XML and most renderings as one element.
const Account = z.looseObject({
  Id: z
    .looseObject({ IBAN: Iban.optional(), Othr: oneOrMany(z.looseObject({ Id: z.string().trim().min(1).max(34) })).optional() })
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
export type Envelope = z.infer<typeof Envelope>;
const SupplementaryData = z.looseObject({ PlcAndNm: z.string().max(350).optional(), Envlp: Envelope });

const MAX_AMOUNT = 1e13;

/**
 * An ISO decimal (a JSON number or a decimal string) → a number; with a currency, also one of its
 * whole minor units (what PaymentInput accepts). Returns an error message instead when it is not one.
 */
export function decimal(value: unknown, currency?: string): number | string {
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
  const amount = Number(text);
  if (!(amount > 0)) return 'amount must be positive';
  if (amount > MAX_AMOUNT) return 'amount is above 10,000,000,000,000';
  const problem = currency === undefined ? null : amountProblem(amount, currency);
  return problem === null ? amount : `amount ${problem}`;
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
    if (typeof o.Amt === 'object' && o.Amt !== null && at.length === 0) return read(o.Amt, ['Amt']);
    const amountKey = ['value', 'Amt', '#text'].find((k) => o[k] !== undefined);
    const currencyKey = ['Ccy', '@Ccy'].find((k) => o[k] !== undefined);
    if (amountKey === undefined) return fail('missing amount: give value, Amt or #text', at);
    if (currencyKey === undefined) return fail('missing currency: give Ccy', [...at, 'Ccy']);
    const currency = o[currencyKey];
    const validCurrency = typeof currency === 'string' && /^[A-Z]{3}$/.test(currency);
    // Minor units depend on the currency: checked only once the currency is known to be one.
    const amount = decimal(o[amountKey], validCurrency ? currency : undefined);
    if (typeof amount === 'string') return fail(amount, [...at, amountKey]);
    if (!validCurrency) return fail('ISO 4217 currency code, e.g. KES', [...at, currencyKey]);
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
  // Dbtr and Cdtr are mandatory in ISO but every element inside them is optional (`<Cdtr/>` is valid);
  // the accounts are optional altogether (0..1). The agents are mandatory in ISO, but scheme samples
  // leave them out (Nexus) and the mapping only falls back on them: a missing agent is no reason to
  // leave a payment unassessed.
  Dbtr: Party,
  DbtrAcct: Account.optional(),
  DbtrAgt: Agent.optional(),
  CdtrAgt: Agent.optional(),
  Cdtr: Party,
  CdtrAcct: Account.optional(),
  RmtInf: z.looseObject({ Ustrd: oneOrMany(Max140Text).optional() }).optional(),
  SplmtryData: oneOrMany(SupplementaryData).optional(),
});
export type CreditTransferTransaction = z.infer<typeof CreditTransferTransaction>;

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
export type FIToFICustomerCreditTransfer = z.infer<typeof FIToFICustomerCreditTransfer>;

// The wrappers are plain (stripping) objects so the union narrows on its one key.
export const WrappedDocument = z.object({ Document: z.object({ FIToFICstmrCdtTrf: FIToFICustomerCreditTransfer }) });
export const BareDocument = z.object({ FIToFICstmrCdtTrf: FIToFICustomerCreditTransfer });

/** A pacs.008 message, bare or inside its Document element. */
export const Pacs008Document = z.union([WrappedDocument, BareDocument]);
export type Pacs008Document = z.infer<typeof Pacs008Document>;
