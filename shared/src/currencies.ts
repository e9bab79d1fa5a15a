import { z } from 'zod';

/**
 * ISO 4217 currencies (list one, as published by the maintenance agency SIX, with the changes up to
 * 2026): code, name, minor units and kind. Funds codes (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI,
 * UYW) are accepted like currencies because banks settle in them. Metals, the SDR and the other
 * units have no minor unit in ISO 4217 ("N.A."): `minorUnits` is null. Codes withdrawn recently are
 * kept with `active: false`, so that a payment in one is refused with the reason instead of "unknown".
 */
export type CurrencyKind = 'currency' | 'fund' | 'metal' | 'unit' | 'test';

export interface Currency {
  code: string;
  name: string;
  /** Decimal places of the minor unit (0, 2, 3 or 4); null where ISO 4217 says "N.A.". */
  minorUnits: number | null;
  kind: CurrencyKind;
  active: boolean;
  /** For a withdrawn code: what replaced it. */
  replacedBy?: string;
}

type Row = readonly [code: string, name: string, minorUnits: number | null, kind?: CurrencyKind];

const ACTIVE: readonly Row[] = [
  ['AED', 'UAE Dirham', 2],
  ['AFN', 'Afghani', 2],
  ['ALL', 'Lek', 2],
  ['AMD', 'Armenian Dram', 2],
  ['AOA', 'Kwanza', 2],
  ['ARS', 'Argentine Peso', 2],
  ['AUD', 'Australian Dollar', 2],
  ['AWG', 'Aruban Florin', 2],
  ['AZN', 'Azerbaijan Manat', 2],
  ['BAM', 'Convertible Mark', 2],
  ['BBD', 'Barbados Dollar', 2],
  ['BDT', 'Taka', 2],
  ['BHD', 'Bahraini Dinar', 3],
  ['BIF', 'Burundi Franc', 0],
  ['BMD', 'Bermudian Dollar', 2],
  ['BND', 'Brunei Dollar', 2],
  ['BOB', 'Boliviano', 2],
  ['BOV', 'Mvdol', 2, 'fund'],
  ['BRL', 'Brazilian Real', 2],
  ['BSD', 'Bahamian Dollar', 2],
  ['BTN', 'Ngultrum', 2],
  ['BWP', 'Pula', 2],
  ['BYN', 'Belarusian Ruble', 2],
  ['BZD', 'Belize Dollar', 2],
  ['CAD', 'Canadian Dollar', 2],
  ['CDF', 'Congolese Franc', 2],
  ['CHE', 'WIR Euro', 2, 'fund'],
  ['CHF', 'Swiss Franc', 2],
  ['CHW', 'WIR Franc', 2, 'fund'],
  ['CLF', 'Unidad de Fomento', 4, 'fund'],
  ['CLP', 'Chilean Peso', 0],
  ['CNY', 'Yuan Renminbi', 2],
  ['COP', 'Colombian Peso', 2],
  ['COU', 'Unidad de Valor Real', 2, 'fund'],
  ['CRC', 'Costa Rican Colon', 2],
  ['CUP', 'Cuban Peso', 2],
  ['CVE', 'Cabo Verde Escudo', 2],
  ['CZK', 'Czech Koruna', 2],
  ['DJF', 'Djibouti Franc', 0],
  ['DKK', 'Danish Krone', 2],
  ['DOP', 'Dominican Peso', 2],
  ['DZD', 'Algerian Dinar', 2],
  ['EGP', 'Egyptian Pound', 2],
  ['ERN', 'Nakfa', 2],
  ['ETB', 'Ethiopian Birr', 2],
  ['EUR', 'Euro', 2],
  ['FJD', 'Fiji Dollar', 2],
  ['FKP', 'Falkland Islands Pound', 2],
  ['GBP', 'Pound Sterling', 2],
  ['GEL', 'Lari', 2],
  ['GHS', 'Ghana Cedi', 2],
  ['GIP', 'Gibraltar Pound', 2],
  ['GMD', 'Dalasi', 2],
  ['GNF', 'Guinean Franc', 0],
  ['GTQ', 'Quetzal', 2],
  ['GYD', 'Guyana Dollar', 2],
  ['HKD', 'Hong Kong Dollar', 2],
  ['HNL', 'Lempira', 2],
  ['HTG', 'Gourde', 2],
  ['HUF', 'Forint', 2],
  ['IDR', 'Rupiah', 2],
  ['ILS', 'New Israeli Sheqel', 2],
  ['INR', 'Indian Rupee', 2],
  ['IQD', 'Iraqi Dinar', 3],
  ['IRR', 'Iranian Rial', 2],
  ['ISK', 'Iceland Krona', 0],
  ['JMD', 'Jamaican Dollar', 2],
  ['JOD', 'Jordanian Dinar', 3],
  ['JPY', 'Yen', 0],
  ['KES', 'Kenyan Shilling', 2],
  ['KGS', 'Som', 2],
  ['KHR', 'Riel', 2],
  ['KMF', 'Comorian Franc', 0],
  ['KPW', 'North Korean Won', 2],
  ['KRW', 'Won', 0],
  ['KWD', 'Kuwaiti Dinar', 3],
  ['KYD', 'Cayman Islands Dollar', 2],
  ['KZT', 'Tenge', 2],
  ['LAK', 'Lao Kip', 2],
  ['LBP', 'Lebanese Pound', 2],
  ['LKR', 'Sri Lanka Rupee', 2],
  ['LRD', 'Liberian Dollar', 2],
  ['LSL', 'Loti', 2],
  ['LYD', 'Libyan Dinar', 3],
  ['MAD', 'Moroccan Dirham', 2],
  ['MDL', 'Moldovan Leu', 2],
  ['MGA', 'Malagasy Ariary', 2],
  ['MKD', 'Denar', 2],
  ['MMK', 'Kyat', 2],
  ['MNT', 'Tugrik', 2],
  ['MOP', 'Pataca', 2],
  ['MRU', 'Ouguiya', 2],
  ['MUR', 'Mauritius Rupee', 2],
  ['MVR', 'Rufiyaa', 2],
  ['MWK', 'Malawi Kwacha', 2],
  ['MXN', 'Mexican Peso', 2],
  ['MXV', 'Mexican Unidad de Inversion (UDI)', 2, 'fund'],
  ['MYR', 'Malaysian Ringgit', 2],
  ['MZN', 'Mozambique Metical', 2],
  ['NAD', 'Namibia Dollar', 2],
  ['NGN', 'Naira', 2],
  ['NIO', 'Cordoba Oro', 2],
  ['NOK', 'Norwegian Krone', 2],
  ['NPR', 'Nepalese Rupee', 2],
  ['NZD', 'New Zealand Dollar', 2],
  ['OMR', 'Rial Omani', 3],
  ['PAB', 'Balboa', 2],
  ['PEN', 'Sol', 2],
  ['PGK', 'Kina', 2],
  ['PHP', 'Philippine Peso', 2],
  ['PKR', 'Pakistan Rupee', 2],
  ['PLN', 'Zloty', 2],
  ['PYG', 'Guarani', 0],
  ['QAR', 'Qatari Rial', 2],
  ['RON', 'Romanian Leu', 2],
  ['RSD', 'Serbian Dinar', 2],
  ['RUB', 'Russian Ruble', 2],
  ['RWF', 'Rwanda Franc', 0],
  ['SAR', 'Saudi Riyal', 2],
  ['SBD', 'Solomon Islands Dollar', 2],
  ['SCR', 'Seychelles Rupee', 2],
  ['SDG', 'Sudanese Pound', 2],
  ['SEK', 'Swedish Krona', 2],
  ['SGD', 'Singapore Dollar', 2],
  ['SHP', 'Saint Helena Pound', 2],
  ['SLE', 'Leone', 2],
  ['SOS', 'Somali Shilling', 2],
  ['SRD', 'Surinam Dollar', 2],
  ['SSP', 'South Sudanese Pound', 2],
  ['STN', 'Dobra', 2],
  ['SVC', 'El Salvador Colon', 2],
  ['SYP', 'Syrian Pound', 2],
  ['SZL', 'Lilangeni', 2],
  ['THB', 'Baht', 2],
  ['TJS', 'Somoni', 2],
  ['TMT', 'Turkmenistan New Manat', 2],
  ['TND', 'Tunisian Dinar', 3],
  ['TOP', 'Pa’anga', 2],
  ['TRY', 'Turkish Lira', 2],
  ['TTD', 'Trinidad and Tobago Dollar', 2],
  ['TWD', 'New Taiwan Dollar', 2],
  ['TZS', 'Tanzanian Shilling', 2],
  ['UAH', 'Hryvnia', 2],
  ['UGX', 'Uganda Shilling', 0],
  ['USD', 'US Dollar', 2],
  ['USN', 'US Dollar (Next day)', 2, 'fund'],
  ['UYI', 'Uruguay Peso en Unidades Indexadas (UI)', 0, 'fund'],
  ['UYU', 'Peso Uruguayo', 2],
  ['UYW', 'Unidad Previsional', 4, 'fund'],
  ['UZS', 'Uzbekistan Sum', 2],
  ['VED', 'Bolívar Soberano', 2],
  ['VES', 'Bolívar Soberano', 2],
  ['VND', 'Dong', 0],
  ['VUV', 'Vatu', 0],
  ['WST', 'Tala', 2],
  ['XAF', 'CFA Franc BEAC', 0],
  ['XAG', 'Silver (troy ounce)', null, 'metal'],
  ['XAU', 'Gold (troy ounce)', null, 'metal'],
  ['XBA', 'Bond Markets Unit European Composite Unit (EURCO)', null, 'unit'],
  ['XBB', 'Bond Markets Unit European Monetary Unit (E.M.U.-6)', null, 'unit'],
  ['XBC', 'Bond Markets Unit European Unit of Account 9 (E.U.A.-9)', null, 'unit'],
  ['XBD', 'Bond Markets Unit European Unit of Account 17 (E.U.A.-17)', null, 'unit'],
  ['XCD', 'East Caribbean Dollar', 2],
  ['XCG', 'Caribbean Guilder', 2],
  ['XDR', 'SDR (Special Drawing Right)', null, 'unit'],
  ['XOF', 'CFA Franc BCEAO', 0],
  ['XPD', 'Palladium (troy ounce)', null, 'metal'],
  ['XPF', 'CFP Franc', 0],
  ['XPT', 'Platinum (troy ounce)', null, 'metal'],
  ['XSU', 'Sucre', null, 'unit'],
  ['XTS', 'Codes specifically reserved for testing purposes', null, 'test'],
  ['XUA', 'ADB Unit of Account', null, 'unit'],
  ['XXX', 'No currency (transactions where no currency is involved)', null, 'test'],
  ['YER', 'Yemeni Rial', 2],
  ['ZAR', 'Rand', 2],
  ['ZMW', 'Zambian Kwacha', 2],
  ['ZWG', 'Zimbabwe Gold', 2],
];

/** Withdrawn in the last few years: refused with what replaced them. */
const WITHDRAWN: ReadonlyArray<readonly [code: string, name: string, minorUnits: number, replacedBy: string]> = [
  ['ANG', 'Netherlands Antillean Guilder', 2, 'XCG'],
  ['BGN', 'Bulgarian Lev', 2, 'EUR'],
  ['CUC', 'Peso Convertible', 2, 'CUP'],
  ['HRK', 'Kuna', 2, 'EUR'],
  ['SLL', 'Leone (old)', 2, 'SLE'],
  ['ZWL', 'Zimbabwe Dollar', 2, 'ZWG'],
];

export const CURRENCIES: readonly Currency[] = [
  ...ACTIVE.map(([code, name, minorUnits, kind]): Currency => ({ code, name, minorUnits, kind: kind ?? 'currency', active: true })),
  ...WITHDRAWN.map(([code, name, minorUnits, replacedBy]): Currency => ({ code, name, minorUnits, kind: 'currency', active: false, replacedBy })),
].sort((a, b) => (a.code < b.code ? -1 : 1));

const BY_CODE: ReadonlyMap<string, Currency> = new Map(CURRENCIES.map((c) => [c.code, c]));

export function currencyByCode(code: string): Currency | undefined {
  return BY_CODE.get(code);
}

/** The active currencies a payment may be made in: everything but XTS (testing) and XXX (no currency). */
export const PAYMENT_CURRENCIES: readonly Currency[] = CURRENCIES.filter((c) => c.active && c.kind !== 'test');

/** Why a code is not a currency a payment can be in, or null when it is. */
export function currencyProblem(code: string): string | null {
  const currency = BY_CODE.get(code);
  if (!currency) return `${code} is not an ISO 4217 currency code`;
  if (!currency.active) return `${code} (${currency.name}) was withdrawn from ISO 4217${currency.replacedBy ? `: use ${currency.replacedBy}` : ''}`;
  if (currency.kind === 'test') return `${code} is reserved by ISO 4217 (${currency.name}) and is not a currency of payment`;
  return null;
}

/**
 * Decimal places an amount in the currency may have. Where ISO 4217 gives none (metals, the SDR and
 * other units), amounts are kept to 4 decimal places, the precision amounts are stored with.
 */
export function minorUnits(code: string): number {
  return BY_CODE.get(code)?.minorUnits ?? 4;
}

/** ISO 4217 currency code that a payment can be in (an active code, not XTS or XXX). */
export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'ISO 4217 currency code, e.g. KES')
  .superRefine((code, ctx) => {
    // A malformed code was already named by the format check: one error per field.
    if (!/^[A-Z]{3}$/.test(code)) return;
    const problem = currencyProblem(code);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, input: code });
  });

/** The currency list as the API shows it. */
export const CurrencyInfo = z.object({
  code: z.string(),
  name: z.string(),
  minorUnits: z.number().int().min(0).max(4).nullable(),
  kind: z.enum(['currency', 'fund', 'metal', 'unit', 'test']),
  active: z.boolean(),
});
export type CurrencyInfo = z.infer<typeof CurrencyInfo>;
