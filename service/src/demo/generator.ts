/**
 * Deterministic generator of a realistic Kenyan demo bank: customers (KYC data, accounts, devices,
 * home IPs) and the payment engine's native payments (`PaymentInput`), with a small, believable
 * share of risky payments for the scoring engine and the analysts to find.
 *
 * Determinism: everything is drawn from one seeded PRNG per stream (no Math.random, no Date.now);
 * the same seed and options give byte-identical output. Time comes only from `options.now`.
 * Speed: the payment loop allocates only the payment object and its strings; dates are formatted
 * by hand in Africa/Nairobi time (UTC+3, no DST) and cached per day.
 */
import type { Customer } from '../../../shared/src/customers.ts';
import type { PaymentInput } from '../../../shared/src/payments.ts';

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

export interface DemoBankOptions {
  seed: number;
  customers: number;
  days: number;
  paymentsPerDay: number;
  now: Date;
  /** Default 'WEKEZA-KE'. */
  tenantId?: string;
  /** Prefix of customer numbers (default 'CIF-'); another tenant's customers need their own. */
  customerRefPrefix?: string;
  /** Share of payments that belong to a risky scenario (default 0.04; 0 turns them off). */
  riskyShare?: number;
}

export interface DemoCustomer extends Omit<Customer, 'id'> {
  deviceIds: string[];
  homeIp: string;
}

export interface DemoBank {
  customers: DemoCustomer[];
  payments: PaymentInput[];
}

export type DemoPaymentsOptions = Omit<DemoBankOptions, 'customers'> & { customers: DemoCustomer[] };

/** Why a generated payment is risky: the demo's ground truth for the scoring engine. */
export type DemoRiskScenario =
  | 'LARGE_VALUE'
  | 'HIGH_RISK_COUNTRY'
  | 'ELEVATED_RISK_COUNTRY'
  | 'NIGHT_HIGH_VALUE'
  | 'NEW_DEVICE_FOREIGN_IP'
  | 'STRUCTURING'
  | 'SUSPICIOUS_DESCRIPTION'
  | 'ROUND_AMOUNT'
  | 'DORMANT_REACTIVATION';

export interface LabelledPayment {
  payment: PaymentInput;
  scenario: DemoRiskScenario | null;
}

/** Destinations the generator uses for high-risk and elevated-risk transfers. */
export const DEMO_HIGH_RISK_COUNTRIES: readonly string[] = ['IR', 'KP', 'SY', 'MM', 'AF', 'YE', 'SO'];
export const DEMO_ELEVATED_RISK_COUNTRIES: readonly string[] = ['NG', 'AE'];

export function generateDemoBank(options: DemoBankOptions): DemoBank {
  const customers = generateDemoCustomers({ seed: options.seed, count: options.customers, now: options.now, customerRefPrefix: options.customerRefPrefix });
  const payments: PaymentInput[] = [];
  for (const p of generatePayments({ ...options, customers })) payments.push(p);
  return { customers, payments };
}

export function* generatePayments(options: DemoPaymentsOptions): Generator<PaymentInput> {
  const sink: { scenario: DemoRiskScenario | null } = { scenario: null };
  yield* paymentStream(options, sink);
}

/** Like generatePayments, with each payment's risk scenario (null for ordinary traffic). */
export function* generateLabelledPayments(options: DemoPaymentsOptions): Generator<LabelledPayment> {
  const sink: { scenario: DemoRiskScenario | null } = { scenario: null };
  for (const payment of paymentStream(options, sink)) yield { payment, scenario: sink.scenario };
}

// ---------------------------------------------------------------------------------------------
// PRNG: sfc32 seeded through splitmix32
// ---------------------------------------------------------------------------------------------

export interface Rng {
  /** Uniform unsigned 32-bit integer. */
  next(): number;
  /** Uniform in [0, 1). */
  float(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Pick by relative weight. For hot loops build a WeightedTable once instead. */
  weighted<T>(pairs: readonly (readonly [T, number])[]): T;
  chance(p: number): boolean;
  normal(mean?: number, sd?: number): number;
  /** exp(N(mu, sigma)). */
  lognormal(mu: number, sigma: number): number;
  /** Log-normal with the given median. */
  logNormalMedian(median: number, sigma: number): number;
  /** `length` lower-case hex characters. */
  hex(length: number): string;
  /** `length` decimal digits (leading zeros allowed). */
  digits(length: number): string;
}

/** lowbias32 integer hash. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

function hash3(a: number, b: number, c: number): number {
  return mix32((mix32((mix32(a ^ 0x27d4eb2d) + b) | 0) + c) | 0);
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix32(h);
}

function seedWords(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  return [seed >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

/** A 32-bit stream seed derived from the user seed and a salt naming the stream. */
function deriveSeed(seed: number, salt: number): number {
  const [lo, hi] = seedWords(seed);
  return hash3(lo, hi, salt);
}

const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    const [lo, hi] = seedWords(seed);
    let s = (mix32(lo) ^ mix32((hi + 0x632be5ab) | 0)) | 0;
    const splitmix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  float(): number {
    return this.next() / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.float() * items.length)] as T;
  }

  weighted<T>(pairs: readonly (readonly [T, number])[]): T {
    return new WeightedTable(pairs).pick(this);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  normal(mean = 0, sd = 1): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return mean + sd * this.spare;
    }
    const u1 = 1 - this.float();
    const u2 = this.float();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spare = r * Math.sin(theta);
    this.hasSpare = true;
    return mean + sd * r * Math.cos(theta);
  }

  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  logNormalMedian(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) {
      const x = this.next();
      out += HEX2[x & 0xff]! + HEX2[(x >>> 8) & 0xff]! + HEX2[(x >>> 16) & 0xff]! + HEX2[x >>> 24]!;
    }
    return out.length === length ? out : out.slice(0, length);
  }

  digits(length: number): string {
    let out = '';
    while (out.length < length) out += String(1e9 + (this.next() % 1e9)).slice(1);
    return out.slice(0, length);
  }
}

/** A small, fast, seeded PRNG (sfc32). Any safe integer is a valid seed. */
export function createRng(seed: number): Rng {
  return new Sfc32(seed);
}

/** Weighted choice with a precomputed cumulative table (binary search per pick). */
export class WeightedTable<T> {
  private readonly values: T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(pairs: readonly (readonly [T, number])[]) {
    this.values = [];
    this.cumulative = new Float64Array(pairs.length);
    let total = 0;
    for (const [value, weight] of pairs) {
      if (!(weight >= 0) || !Number.isFinite(weight)) throw new RangeError(`bad weight ${weight}`);
      total += weight;
      this.cumulative[this.values.length] = total;
      this.values.push(value);
    }
    if (!(total > 0)) throw new RangeError('weighted choice needs a positive total weight');
    this.total = total;
  }

  pick(rng: Rng): T {
    const r = rng.float() * this.total;
    const cum = this.cumulative;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo] as T;
  }
}

// ---------------------------------------------------------------------------------------------
// Reference data
// ---------------------------------------------------------------------------------------------

type Group = 'KIKUYU' | 'LUO' | 'LUHYA' | 'KALENJIN' | 'KAMBA' | 'KISII' | 'MERU' | 'MIJIKENDA' | 'SOMALI' | 'MAASAI' | 'ASIAN';

interface County {
  name: string;
  code: number;
  /** 2019 census population, thousands. */
  population: number;
  /** Community most customers there come from, and how often (else the national mix). */
  group: Group | null;
  groupShare: number;
  town: string;
  atm: string;
  estates: readonly string[];
}

// prettier-ignore
const COUNTIES: readonly County[] = [
  {
    name: 'Mombasa',
    code: 1,
    population: 1208,
    group: 'MIJIKENDA',
    groupShare: 0.35,
    town: 'Mombasa',
    atm: 'MSA',
    estates: ['Nyali', 'Bamburi', 'Kizingo', 'Tudor', 'Likoni', 'Mtwapa'],
  },
  { name: 'Kwale', code: 2, population: 867, group: 'MIJIKENDA', groupShare: 0.75, town: 'Ukunda', atm: 'KWL', estates: ['Diani', 'Ukunda', 'Kwale town'] },
  {
    name: 'Kilifi',
    code: 3,
    population: 1453,
    group: 'MIJIKENDA',
    groupShare: 0.75,
    town: 'Malindi',
    atm: 'KLF',
    estates: ['Malindi', 'Kilifi town', 'Watamu', 'Mtwapa'],
  },
  { name: 'Tana River', code: 4, population: 316, group: 'MIJIKENDA', groupShare: 0.4, town: 'Hola', atm: 'HLA', estates: [] },
  { name: 'Lamu', code: 5, population: 144, group: 'MIJIKENDA', groupShare: 0.5, town: 'Lamu', atm: 'LAU', estates: [] },
  { name: 'Taita-Taveta', code: 6, population: 341, group: 'MIJIKENDA', groupShare: 0.5, town: 'Voi', atm: 'VOI', estates: [] },
  { name: 'Garissa', code: 7, population: 841, group: 'SOMALI', groupShare: 0.8, town: 'Garissa', atm: 'GRS', estates: [] },
  { name: 'Wajir', code: 8, population: 781, group: 'SOMALI', groupShare: 0.85, town: 'Wajir', atm: 'WJR', estates: [] },
  { name: 'Mandera', code: 9, population: 867, group: 'SOMALI', groupShare: 0.85, town: 'Mandera', atm: 'MDR', estates: [] },
  { name: 'Marsabit', code: 10, population: 460, group: 'SOMALI', groupShare: 0.5, town: 'Marsabit', atm: 'MRB', estates: [] },
  { name: 'Isiolo', code: 11, population: 268, group: 'SOMALI', groupShare: 0.45, town: 'Isiolo', atm: 'ISL', estates: [] },
  { name: 'Meru', code: 12, population: 1546, group: 'MERU', groupShare: 0.8, town: 'Meru', atm: 'MRU', estates: ['Makutano', 'Gakoromone', 'Kooje'] },
  { name: 'Tharaka-Nithi', code: 13, population: 393, group: 'MERU', groupShare: 0.8, town: 'Chuka', atm: 'CHK', estates: [] },
  { name: 'Embu', code: 14, population: 609, group: 'MERU', groupShare: 0.7, town: 'Embu', atm: 'EMB', estates: ['Majengo', 'Blue Valley'] },
  { name: 'Kitui', code: 15, population: 1136, group: 'KAMBA', groupShare: 0.85, town: 'Kitui', atm: 'KTU', estates: [] },
  {
    name: 'Machakos',
    code: 16,
    population: 1422,
    group: 'KAMBA',
    groupShare: 0.7,
    town: 'Machakos',
    atm: 'MKS',
    estates: ['Syokimau', 'Mlolongo', 'Athi River', 'Machakos town'],
  },
  { name: 'Makueni', code: 17, population: 988, group: 'KAMBA', groupShare: 0.85, town: 'Wote', atm: 'WTE', estates: [] },
  { name: 'Nyandarua', code: 18, population: 638, group: 'KIKUYU', groupShare: 0.85, town: 'Ol Kalou', atm: 'OLK', estates: [] },
  { name: 'Nyeri', code: 19, population: 759, group: 'KIKUYU', groupShare: 0.85, town: 'Nyeri', atm: 'NYR', estates: ["Ruring'u", 'Skuta', 'Kamakwa'] },
  { name: 'Kirinyaga', code: 20, population: 610, group: 'KIKUYU', groupShare: 0.85, town: 'Kerugoya', atm: 'KRG', estates: [] },
  { name: "Murang'a", code: 21, population: 1056, group: 'KIKUYU', groupShare: 0.85, town: "Murang'a", atm: 'MRG', estates: [] },
  {
    name: 'Kiambu',
    code: 22,
    population: 2417,
    group: 'KIKUYU',
    groupShare: 0.7,
    town: 'Thika',
    atm: 'KBU',
    estates: ['Ruaka', 'Thika', 'Kikuyu', 'Juja', 'Ruiru', 'Kiambu Road'],
  },
  { name: 'Turkana', code: 23, population: 926, group: null, groupShare: 0, town: 'Lodwar', atm: 'LDW', estates: [] },
  { name: 'West Pokot', code: 24, population: 621, group: 'KALENJIN', groupShare: 0.7, town: 'Kapenguria', atm: 'KPG', estates: [] },
  { name: 'Samburu', code: 25, population: 310, group: 'MAASAI', groupShare: 0.6, town: 'Maralal', atm: 'MRL', estates: [] },
  { name: 'Trans Nzoia', code: 26, population: 990, group: 'LUHYA', groupShare: 0.55, town: 'Kitale', atm: 'KTL', estates: [] },
  {
    name: 'Uasin Gishu',
    code: 27,
    population: 1163,
    group: 'KALENJIN',
    groupShare: 0.55,
    town: 'Eldoret',
    atm: 'ELD',
    estates: ['Elgon View', 'Kapsoya', 'Pioneer', 'Langas'],
  },
  { name: 'Elgeyo-Marakwet', code: 28, population: 454, group: 'KALENJIN', groupShare: 0.85, town: 'Iten', atm: 'ITN', estates: [] },
  { name: 'Nandi', code: 29, population: 886, group: 'KALENJIN', groupShare: 0.85, town: 'Kapsabet', atm: 'KPS', estates: [] },
  { name: 'Baringo', code: 30, population: 666, group: 'KALENJIN', groupShare: 0.8, town: 'Kabarnet', atm: 'KBN', estates: [] },
  { name: 'Laikipia', code: 31, population: 518, group: 'KIKUYU', groupShare: 0.6, town: 'Nanyuki', atm: 'NYK', estates: [] },
  {
    name: 'Nakuru',
    code: 32,
    population: 2162,
    group: 'KIKUYU',
    groupShare: 0.45,
    town: 'Nakuru',
    atm: 'NKR',
    estates: ['Milimani', 'Section 58', 'Lanet', 'Free Area', 'Naivasha'],
  },
  { name: 'Narok', code: 33, population: 1157, group: 'MAASAI', groupShare: 0.65, town: 'Narok', atm: 'NRK', estates: [] },
  {
    name: 'Kajiado',
    code: 34,
    population: 1117,
    group: 'MAASAI',
    groupShare: 0.35,
    town: 'Kitengela',
    atm: 'KJD',
    estates: ['Kitengela', 'Rongai', 'Ngong', 'Kiserian'],
  },
  { name: 'Kericho', code: 35, population: 901, group: 'KALENJIN', groupShare: 0.8, town: 'Kericho', atm: 'KER', estates: [] },
  { name: 'Bomet', code: 36, population: 875, group: 'KALENJIN', groupShare: 0.9, town: 'Bomet', atm: 'BMT', estates: [] },
  { name: 'Kakamega', code: 37, population: 1867, group: 'LUHYA', groupShare: 0.9, town: 'Kakamega', atm: 'KKG', estates: ['Milimani', 'Amalemba', 'Shirere'] },
  { name: 'Vihiga', code: 38, population: 590, group: 'LUHYA', groupShare: 0.9, town: 'Mbale', atm: 'VHG', estates: [] },
  { name: 'Bungoma', code: 39, population: 1670, group: 'LUHYA', groupShare: 0.85, town: 'Bungoma', atm: 'BGM', estates: [] },
  { name: 'Busia', code: 40, population: 893, group: 'LUHYA', groupShare: 0.7, town: 'Busia', atm: 'BSA', estates: [] },
  { name: 'Siaya', code: 41, population: 993, group: 'LUO', groupShare: 0.9, town: 'Siaya', atm: 'SYA', estates: [] },
  {
    name: 'Kisumu',
    code: 42,
    population: 1155,
    group: 'LUO',
    groupShare: 0.75,
    town: 'Kisumu',
    atm: 'KSM',
    estates: ['Milimani', 'Nyalenda', 'Mamboleo', 'Riat', 'Tom Mboya'],
  },
  { name: 'Homa Bay', code: 43, population: 1131, group: 'LUO', groupShare: 0.9, town: 'Homa Bay', atm: 'HMB', estates: [] },
  { name: 'Migori', code: 44, population: 1116, group: 'LUO', groupShare: 0.75, town: 'Migori', atm: 'MGR', estates: [] },
  { name: 'Kisii', code: 45, population: 1266, group: 'KISII', groupShare: 0.9, town: 'Kisii', atm: 'KSI', estates: ['Jogoo', 'Nyanchwa', 'Mwembe'] },
  { name: 'Nyamira', code: 46, population: 605, group: 'KISII', groupShare: 0.9, town: 'Nyamira', atm: 'NYM', estates: [] },
  {
    name: 'Nairobi',
    code: 47,
    population: 4397,
    group: null,
    groupShare: 0,
    town: 'Nairobi',
    atm: 'NBI',
    estates: [
      'Kilimani',
      'Kileleshwa',
      'Westlands',
      'Lavington',
      'South B',
      'South C',
      'Embakasi',
      'Kasarani',
      'Roysambu',
      'Donholm',
      'Buruburu',
      'Umoja',
      "Lang'ata",
      'Parklands',
      'Pangani',
      'Kahawa West',
      'Githurai',
      'Karen',
      'Ngara',
      'Kayole',
    ],
  },
];
/** The 47 counties of Kenya (First Schedule of the Constitution), in county-code order. */
export const KENYA_COUNTIES: readonly string[] = COUNTIES.map((c) => c.name);

interface NamePool {
  male: readonly string[];
  female: readonly string[];
}

interface GroupNames {
  /** Where first names come from: [pool, weight]. */
  first: readonly (readonly [NamePool, number])[];
  /** Community given names, used as a middle name (or first name when drawn from `first`). */
  given: NamePool;
  /** Probability of a middle (community) name after a first name from another pool. */
  middle: number;
  surnames: readonly string[];
}

const CHRISTIAN: NamePool = {
  male: [
    'John',
    'Peter',
    'James',
    'Joseph',
    'David',
    'Daniel',
    'Samuel',
    'Brian',
    'Kevin',
    'Dennis',
    'Collins',
    'Stephen',
    'Paul',
    'Francis',
    'George',
    'Moses',
    'Patrick',
    'Victor',
    'Emmanuel',
    'Eric',
    'Felix',
    'Geoffrey',
    'Kennedy',
    'Allan',
    'Ian',
    'Mark',
    'Timothy',
    'Charles',
    'Robert',
    'Simon',
    'Benson',
    'Edwin',
    'Wilson',
    'Evans',
    'Duncan',
    'Martin',
    'Anthony',
    'Michael',
    'Joshua',
    'Elijah',
  ],
  female: [
    'Mary',
    'Grace',
    'Faith',
    'Mercy',
    'Joyce',
    'Esther',
    'Jane',
    'Ann',
    'Lucy',
    'Caroline',
    'Purity',
    'Sharon',
    'Irene',
    'Beatrice',
    'Winnie',
    'Diana',
    'Cynthia',
    'Janet',
    'Eunice',
    'Rose',
    'Margaret',
    'Catherine',
    'Damaris',
    'Brenda',
    'Susan',
    'Naomi',
    'Lilian',
    'Nancy',
    'Mildred',
    'Gladys',
    'Phyllis',
    'Judith',
    'Elizabeth',
    'Agnes',
    'Veronica',
    'Millicent',
    'Christine',
    'Ruth',
    'Tabitha',
    'Stella',
  ],
};
const MUSLIM: NamePool = {
  male: ['Mohamed', 'Ali', 'Hamisi', 'Juma', 'Omar', 'Rashid', 'Said', 'Salim', 'Abdalla', 'Bakari'],
  female: ['Mwanaisha', 'Fatuma', 'Amina', 'Zainabu', 'Rehema', 'Mwanajuma', 'Halima', 'Khadija', 'Saida', 'Riziki'],
};

const SURNAMES_KIKUYU = [
  'Kamau',
  'Njoroge',
  'Mwangi',
  'Kariuki',
  'Maina',
  'Kimani',
  'Githinji',
  "Ndung'u",
  'Gitau',
  'Waweru',
  'Macharia',
  'Kiarie',
  'Mugo',
  'Muriuki',
  'Njuguna',
  'Karanja',
  'Wainaina',
  'Kinyua',
  'Ngugi',
  'Irungu',
  'Mbugua',
  'Nderitu',
  'Wachira',
  'Chege',
  'Muchiri',
  'Gachanja',
  'Kamande',
  'Mwaura',
];
const SURNAMES_LUO = [
  'Odhiambo',
  'Onyango',
  'Ochieng',
  'Otieno',
  'Oduor',
  'Okello',
  'Omondi',
  'Owuor',
  'Ouma',
  'Opiyo',
  'Oloo',
  'Ogola',
  'Okumu',
  'Odero',
  'Obiero',
  'Owino',
  'Okoth',
  'Oyugi',
  'Otiende',
  "Achieng'",
];
const SURNAMES_LUHYA = [
  'Wafula',
  'Wanyama',
  'Barasa',
  'Simiyu',
  'Wekesa',
  'Makokha',
  'Khaemba',
  'Wanjala',
  'Masinde',
  'Shikuku',
  'Wasike',
  'Wamalwa',
  'Mulama',
  'Were',
  'Andayi',
  'Namwamba',
  'Lusweti',
  'Mukhwana',
  'Juma',
  'Musungu',
];
const SURNAMES_KALENJIN = [
  'Korir',
  'Rotich',
  'Langat',
  'Kirui',
  'Koech',
  'Kosgei',
  'Cheruiyot',
  'Kiplagat',
  'Bett',
  'Tanui',
  'Sang',
  'Mutai',
  'Keter',
  'Biwott',
  'Ruto',
  'Kiprop',
  'Kemboi',
  'Tuwei',
  'Chirchir',
  'Kibet',
  'Yego',
  'Too',
  'Ngeno',
  'Kiptoo',
];
const SURNAMES_KAMBA = [
  'Mutua',
  'Musyoka',
  'Mutiso',
  'Kioko',
  'Nzioka',
  'Mulwa',
  'Kilonzo',
  'Musembi',
  'Wambua',
  'Kyalo',
  'Mwanzia',
  'Muli',
  'Mutunga',
  'Kimeu',
  'Ndolo',
  'Makau',
  'Muthama',
  'Nzomo',
  'Kitheka',
  'Mbithi',
];
const SURNAMES_KISII = [
  'Nyakundi',
  'Ombati',
  'Ongeri',
  'Onchari',
  'Mogaka',
  'Omwenga',
  'Makori',
  'Mokaya',
  'Ondieki',
  'Momanyi',
  'Nyamweya',
  'Ogeto',
  'Matara',
  'Nyangau',
  'Mose',
  'Obare',
  'Nyabuto',
  'Osoro',
];
const SURNAMES_MERU = [
  'Mwiti',
  'Kinoti',
  'Murithi',
  'Mutwiri',
  'Gitonga',
  'Kirimi',
  'Mugambi',
  'Kaberia',
  'Muthuri',
  'Karimi',
  'Mwenda',
  'Koome',
  'Kimathi',
  'Mbaabu',
  'Kobia',
  'Mutuma',
  'Gikunda',
  'Njeru',
  'Ireri',
  'Nyaga',
];
const SURNAMES_MIJIKENDA = [
  'Kazungu',
  'Kahindi',
  'Baya',
  'Karisa',
  'Charo',
  'Katana',
  'Kenga',
  'Tsuma',
  'Chengo',
  'Kalume',
  'Ngala',
  'Nyale',
  'Mwadime',
  'Mwakio',
  'Randu',
  'Mwarandu',
];
const SURNAMES_SOMALI = [
  'Mohamed',
  'Hassan',
  'Abdi',
  'Farah',
  'Aden',
  'Osman',
  'Ali',
  'Noor',
  'Gedi',
  'Hussein',
  'Ibrahim',
  'Warsame',
  'Dahir',
  'Abdullahi',
  'Yusuf',
  'Mohamud',
  'Sheikh',
  'Haji',
  'Omar',
  'Duale',
];
const SURNAMES_MAASAI = [
  'Sankale',
  'Ntimama',
  'Tipis',
  'Nkaissery',
  'Konchellah',
  'Saitoti',
  'Kamwaro',
  'Lemayian',
  'Kina',
  'Lenku',
  'Kasaine',
  'Parsimei',
  'Meitamei',
  'Koikai',
];

const GROUP_NAMES: Record<Exclude<Group, 'ASIAN'>, GroupNames> = {
  KIKUYU: {
    first: [[CHRISTIAN, 88]],
    given: {
      male: SURNAMES_KIKUYU,
      female: [
        'Wanjiku',
        'Wambui',
        'Njeri',
        'Nyambura',
        'Wairimu',
        'Wangari',
        'Muthoni',
        'Nyokabi',
        'Wanjiru',
        'Njoki',
        'Wangui',
        'Waithera',
        'Gathoni',
        'Wangechi',
        'Mumbi',
        'Waceke',
      ],
    },
    middle: 0.6,
    surnames: SURNAMES_KIKUYU,
  },
  LUO: {
    first: [[CHRISTIAN, 90]],
    given: {
      male: SURNAMES_LUO.slice(0, 19),
      female: ["Achieng'", 'Atieno', 'Akinyi', 'Adhiambo', 'Awino', 'Anyango', 'Auma', 'Akoth', 'Apiyo', 'Awuor', 'Aoko', 'Adongo'],
    },
    middle: 0.65,
    surnames: SURNAMES_LUO.slice(0, 19),
  },
  LUHYA: {
    first: [[CHRISTIAN, 90]],
    given: { male: SURNAMES_LUHYA, female: ['Nafula', 'Nekesa', 'Naliaka', 'Nasimiyu', 'Nanjala', 'Nabwire', 'Nangila', 'Khavele', 'Ayuma', 'Nechesa'] },
    middle: 0.55,
    surnames: SURNAMES_LUHYA,
  },
  KALENJIN: {
    first: [[CHRISTIAN, 90]],
    given: {
      male: [
        'Kiprotich',
        'Kipchumba',
        'Kiprono',
        'Kipkemboi',
        'Kibet',
        'Kiptoo',
        'Kipngetich',
        'Kiplagat',
        'Kipkirui',
        'Kimutai',
        'Cheruiyot',
        'Kipruto',
        'Kipkorir',
        'Kipsang',
      ],
      female: [
        'Chebet',
        'Chepkoech',
        'Jepkosgei',
        'Jeptoo',
        'Chepngetich',
        'Cherono',
        'Jepchirchir',
        'Chelangat',
        'Chepkirui',
        'Jelagat',
        'Chepchumba',
        'Cheptoo',
        'Jebet',
        'Chemutai',
      ],
    },
    middle: 0.7,
    surnames: SURNAMES_KALENJIN,
  },
  KAMBA: {
    first: [[CHRISTIAN, 90]],
    given: {
      male: SURNAMES_KAMBA,
      female: ['Mwende', 'Mwikali', 'Nduku', 'Mbithe', 'Kalekye', 'Ndinda', 'Mutheu', 'Syombua', 'Mueni', 'Ndunge', 'Kanini', 'Nthenya'],
    },
    middle: 0.55,
    surnames: SURNAMES_KAMBA,
  },
  KISII: {
    first: [[CHRISTIAN, 92]],
    given: { male: SURNAMES_KISII, female: ['Moraa', 'Kerubo', 'Kwamboka', 'Bosibori', 'Nyaboke', 'Nyanchama', 'Kemunto', 'Nyamoita', 'Mokeira', 'Gesare'] },
    middle: 0.6,
    surnames: SURNAMES_KISII,
  },
  MERU: {
    first: [[CHRISTIAN, 90]],
    given: {
      male: SURNAMES_MERU,
      female: ['Kathure', 'Kawira', 'Nkatha', 'Kendi', 'Gatwiri', 'Makena', 'Kananu', 'Mukami', 'Karambu', 'Nkirote', 'Kagendo', 'Wawira'],
    },
    middle: 0.55,
    surnames: SURNAMES_MERU,
  },
  MIJIKENDA: {
    first: [
      [CHRISTIAN, 55],
      [MUSLIM, 30],
    ],
    given: { male: SURNAMES_MIJIKENDA, female: ['Kadzo', 'Kanze', 'Dama', 'Sidi', 'Mapenzi', 'Kache', 'Zawadi', 'Kahaso', 'Furaha', 'Mwanajuma'] },
    middle: 0.5,
    surnames: SURNAMES_MIJIKENDA,
  },
  SOMALI: {
    first: [],
    given: {
      male: [
        'Abdi',
        'Mohamed',
        'Hassan',
        'Abdullahi',
        'Ahmed',
        'Ibrahim',
        'Omar',
        'Yusuf',
        'Aden',
        'Farah',
        'Hussein',
        'Ismail',
        'Mohamud',
        'Abdirahman',
        'Abdikadir',
        'Bashir',
        'Ali',
        'Osman',
        'Abdinoor',
        'Abdiaziz',
      ],
      female: [
        'Fatuma',
        'Amina',
        'Hodan',
        'Halima',
        'Sahra',
        'Faduma',
        'Ifrah',
        'Asha',
        'Deqa',
        'Nasra',
        'Sagal',
        'Ubah',
        'Maryan',
        'Hawa',
        'Khadija',
        'Naima',
      ],
    },
    middle: 1,
    surnames: SURNAMES_SOMALI,
  },
  MAASAI: {
    first: [[CHRISTIAN, 80]],
    given: {
      male: ['Lemayian', 'Saitoti', 'Sankale', 'Parsimei', 'Meitamei', 'Kasaine', 'Lenku', 'Koikai', 'Leshan', 'Kantai', 'Nkoitoi', 'Ntimama'],
      female: ['Naserian', 'Nashipae', 'Naisula', 'Nalangu', 'Resiato', 'Sintamei', 'Seenoi', 'Naeku', 'Nairesiae', 'Silantoi'],
    },
    middle: 0.5,
    surnames: SURNAMES_MAASAI,
  },
};

interface AsianCommunity {
  pool: NamePool;
  surnames: readonly string[];
  weight: number;
  sikh: boolean;
}
const ASIAN: readonly AsianCommunity[] = [
  {
    pool: {
      male: [
        'Rahul',
        'Anil',
        'Sanjay',
        'Nikhil',
        'Raj',
        'Vikram',
        'Amit',
        'Hitesh',
        'Ketan',
        'Mehul',
        'Jayesh',
        'Paresh',
        'Dilip',
        'Nilesh',
        'Kiran',
        'Manish',
      ],
      female: ['Priya', 'Neha', 'Anjali', 'Pooja', 'Reena', 'Shilpa', 'Riya', 'Hema', 'Nisha', 'Bhavna', 'Kajal', 'Rupal', 'Meera', 'Sonal'],
    },
    surnames: [
      'Shah',
      'Patel',
      'Mehta',
      'Doshi',
      'Kotecha',
      'Thakkar',
      'Vekaria',
      'Hirani',
      'Chandaria',
      'Pandya',
      'Bhatt',
      'Sheth',
      'Somaia',
      'Rughani',
      'Haria',
      'Gudka',
      'Sanghrajka',
      'Varsani',
      'Pindoria',
    ],
    weight: 60,
    sikh: false,
  },
  {
    pool: {
      male: ['Aly', 'Karim', 'Salim', 'Shabir', 'Alnoor', 'Nazir', 'Amin', 'Murtaza', 'Hussein', 'Zahir', 'Imran', 'Feisal'],
      female: ['Zahra', 'Farida', 'Shamim', 'Yasmin', 'Nazlin', 'Rozmin', 'Alia', 'Sakina', 'Zeenat', 'Shaheen'],
    },
    surnames: ['Dhanani', 'Jaffer', 'Karmali', 'Virani', 'Esmail', 'Jivraj', 'Lalji', 'Hirji', 'Alibhai', 'Jamal', 'Merali', 'Kassam', 'Rajan'],
    weight: 28,
    sikh: false,
  },
  {
    pool: {
      male: ['Harjit', 'Gurpreet', 'Manjit', 'Jaswinder', 'Ravinder', 'Kuldip', 'Amarjit', 'Sukhdev'],
      female: ['Harpreet', 'Manpreet', 'Simran', 'Jasleen', 'Navneet', 'Rajinder'],
    },
    surnames: ['Sehmi', 'Bhogal', 'Matharu', 'Sokhi', 'Dhillon', 'Rayat', 'Bharij', 'Kalsi'],
    weight: 12,
    sikh: true,
  },
];

const NATIONAL_MIX: readonly (readonly [Group, number])[] = [
  ['KIKUYU', 20],
  ['LUHYA', 14],
  ['LUO', 12],
  ['KALENJIN', 11],
  ['KAMBA', 10],
  ['KISII', 6],
  ['MERU', 6],
  ['MIJIKENDA', 5],
  ['SOMALI', 5],
  ['MAASAI', 3],
  ['ASIAN', 3],
];

/** Fictional employers for corporate customers (salary credits, e-mail domains). */
const EMPLOYERS: readonly (readonly [string, string])[] = [
  ['Nyota Holdings Ltd', 'nyotaholdings.co.ke'],
  ['Mvule Agritech Ltd', 'mvuleagritech.co.ke'],
  ['Pwani Shipping & Logistics', 'pwanishipping.co.ke'],
  ['Baobab Health Services', 'baobabhealth.co.ke'],
  ['Jambo Textiles Ltd', 'jambotextiles.co.ke'],
  ['Tausi Energy Ltd', 'tausienergy.co.ke'],
  ['Zawadi Foods Ltd', 'zawadifoods.co.ke'],
  ['Simba Consulting Group', 'simbaconsult.co.ke'],
  ['Rongai Steel Mills', 'rongaisteel.co.ke'],
  ['Kilimani Property Partners', 'kilimaniproperty.co.ke'],
  ['Lango Telecoms Ltd', 'langotelecoms.co.ke'],
  ['Mara Tea Packers', 'marateapackers.co.ke'],
  ['Upendo Insurance Brokers', 'upendoinsurance.co.ke'],
  ['Kifaru Motors Ltd', 'kifarumotors.co.ke'],
  ['Amani Pharmaceuticals', 'amanipharma.co.ke'],
  ['Tembo Construction Ltd', 'temboconstruction.co.ke'],
];

const SAFARICOM_PREFIXES = [
  '710',
  '711',
  '712',
  '713',
  '714',
  '715',
  '716',
  '717',
  '718',
  '719',
  '720',
  '721',
  '722',
  '723',
  '724',
  '725',
  '726',
  '727',
  '728',
  '729',
  '740',
  '741',
  '742',
  '743',
  '745',
  '746',
  '748',
  '757',
  '758',
  '759',
  '768',
  '769',
  '790',
  '791',
  '792',
  '793',
  '794',
  '795',
  '796',
  '797',
  '798',
  '799',
  '110',
  '111',
  '112',
  '113',
  '114',
  '115',
];
const AIRTEL_PREFIXES = [
  '730',
  '731',
  '732',
  '733',
  '734',
  '735',
  '736',
  '737',
  '738',
  '739',
  '750',
  '751',
  '752',
  '753',
  '754',
  '755',
  '756',
  '762',
  '780',
  '781',
  '782',
  '783',
  '784',
  '785',
  '786',
  '787',
  '788',
  '789',
  '100',
  '101',
  '102',
];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const P2: readonly string[] = Array.from({ length: 60 }, (_, i) => (i < 10 ? '0' : '') + i);

/** Relative payment volume per Africa/Nairobi hour: morning and evening peaks, quiet nights. */
const HOUR_WEIGHTS = [0.55, 0.3, 0.2, 0.2, 0.35, 1.2, 3.0, 5.0, 7.6, 7.8, 6.6, 5.9, 6.1, 5.9, 5.4, 5.4, 5.9, 7.1, 7.8, 7.3, 5.6, 4.0, 2.5, 1.3];

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const DAY_S = 86_400;
const NAIROBI_OFFSET_S = 3 * 3600;

/** Civil date from days since 1970-01-01 (Howard Hinnant's algorithm). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

/** Up to 18 digits taken from two 32-bit hashes (stable per input). */
function digitsFromHash(h1: number, h2: number, n: number): string {
  return (String(1e9 + (h1 % 1e9)).slice(1) + String(1e9 + (h2 % 1e9)).slice(1)).slice(0, n);
}

function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = digits.length - 1, dbl = true; i >= 0; i--, dbl = !dbl) {
    let v = digits.charCodeAt(i) - 48;
    if (dbl) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return (10 - (sum % 10)) % 10;
}

/** IBAN with valid ISO 13616 check digits for the given country and BBAN. */
function iban(country: string, bban: string): string {
  const rearranged = bban + country + '00';
  let rem = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 65) rem = (rem * 100 + (c - 55)) % 97;
    else rem = (rem * 10 + (c - 48)) % 97;
  }
  return country + pad(98 - rem, 2) + bban;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A plausible beneficiary account in the given country: IBAN where the country uses one. */
function foreignAccount(rng: Rng, country: string): string {
  switch (country) {
    case 'GB':
      return iban('GB', rng.pick(['NWBK', 'BARC', 'HBUK', 'LOYD', 'MIDL']) + rng.digits(14));
    case 'DE':
      return iban('DE', rng.digits(18));
    case 'NL':
      return iban('NL', rng.pick(['ABNA', 'INGB', 'RABO']) + rng.digits(10));
    case 'FR':
      return iban('FR', rng.digits(23));
    case 'BE':
      return iban('BE', rng.digits(12));
    case 'CH':
      return iban('CH', rng.digits(17));
    case 'AE':
      return iban('AE', rng.digits(19));
    case 'SA':
      return iban('SA', rng.digits(22));
    case 'TR':
      return iban('TR', rng.digits(5) + '0' + rng.digits(16));
    case 'IR':
      return iban('IR', rng.digits(22));
    case 'LT':
      return iban('LT', rng.digits(16));
    case 'MU':
      return iban('MU', UPPER[rng.int(0, 25)]! + UPPER[rng.int(0, 25)]! + UPPER[rng.int(0, 25)]! + UPPER[rng.int(0, 25)]! + rng.digits(19) + '000MUR');
    case 'US':
      return `${rng.pick(['021000021', '026009593', '121000248', '011000138', '071000013'])}-${rng.digits(10)}`;
    case 'NG':
      return rng.digits(10);
    case 'CN':
      return '6222' + rng.digits(15);
    case 'IN':
      return rng.digits(rng.int(12, 15));
    default:
      return rng.digits(rng.int(10, 16));
  }
}

// ---------------------------------------------------------------------------------------------
// Customers
// ---------------------------------------------------------------------------------------------

type Segment = DemoCustomer['segment'];
type AccountType = DemoCustomer['accounts'][number]['type'];
type AccountStatus = DemoCustomer['accounts'][number]['status'];

const SEGMENTS = new WeightedTable<Segment>([
  ['RETAIL', 85.5],
  ['SME', 10],
  ['CORPORATE', 3],
  ['PRIVATE_BANKING', 1.5],
]);
const KYC = new WeightedTable<DemoCustomer['kycStatus']>([
  ['VERIFIED', 90],
  ['PENDING', 6],
  ['EXPIRED', 4],
]);
const RISK_RETAIL = new WeightedTable<DemoCustomer['riskRating']>([
  ['LOW', 80],
  ['MEDIUM', 15],
  ['HIGH', 4],
  ['CRITICAL', 1],
]);
const RISK_PB = new WeightedTable<DemoCustomer['riskRating']>([
  ['LOW', 55],
  ['MEDIUM', 35],
  ['HIGH', 9],
  ['CRITICAL', 1],
]);
const ACCOUNTS_RETAIL = new WeightedTable<number>([
  [1, 45],
  [2, 40],
  [3, 15],
]);
const ACCOUNTS_BUSINESS = new WeightedTable<number>([
  [1, 20],
  [2, 45],
  [3, 35],
]);
const EXTRA_RETAIL = new WeightedTable<AccountType>([
  ['MOBILE_WALLET', 55],
  ['LOAN', 25],
  ['SAVINGS', 12],
  ['CURRENT', 8],
]);
const EXTRA_PB = new WeightedTable<AccountType>([
  ['SAVINGS', 45],
  ['LOAN', 25],
  ['MOBILE_WALLET', 25],
  ['CURRENT', 5],
]);
const EXTRA_BUSINESS = new WeightedTable<AccountType>([
  ['LOAN', 35],
  ['SAVINGS', 25],
  ['MOBILE_WALLET', 20],
  ['CURRENT', 20],
]);
const COUNTY_TABLE = new WeightedTable<County>(COUNTIES.map((c) => [c, c.population] as const));
const MIX_TABLE = new WeightedTable<Group>(NATIONAL_MIX);
const ASIAN_TABLE = new WeightedTable<AsianCommunity>(ASIAN.map((a) => [a, a.weight] as const));

interface PersonName {
  first: string;
  middle: string | null;
  surname: string;
  /** Surname without particles, for e-mail addresses. */
  surnameKey: string;
}

function personName(rng: Rng, group: Group, male: boolean): PersonName {
  if (group === 'ASIAN') {
    const community = ASIAN_TABLE.pick(rng);
    const first = rng.pick(male ? community.pool.male : community.pool.female);
    const family = rng.pick(community.surnames);
    if (community.sikh) {
      // Sikh names: Singh / Kaur, usually with a family name.
      const marker = male ? 'Singh' : 'Kaur';
      return rng.chance(0.7) ? { first, middle: marker, surname: family, surnameKey: family } : { first, middle: null, surname: marker, surnameKey: marker };
    }
    return { first, middle: null, surname: family, surnameKey: family };
  }
  const g = GROUP_NAMES[group];
  const given = male ? g.given.male : g.given.female;
  let first: string;
  let middle: string | null = null;
  const foreignShare = g.first.reduce((s, [, w]) => s + w, 0);
  if (group !== 'SOMALI' && rng.float() * 100 < foreignShare) {
    let pool = g.first[0]![0];
    if (g.first.length > 1 && rng.float() * foreignShare >= g.first[0]![1]) pool = g.first[1]![0];
    first = rng.pick(male ? pool.male : pool.female);
    if (rng.chance(g.middle)) middle = rng.pick(given);
  } else {
    first = rng.pick(given);
    // Somali names are given name + father's name + grandfather's name.
    if (group === 'SOMALI') middle = rng.pick(g.given.male);
  }
  let surname = rng.pick(g.surnames);
  for (let i = 0; i < 4 && (surname === first || surname === middle); i++) surname = rng.pick(g.surnames);
  if (middle !== null && (middle === first || middle === surname)) middle = null;
  let display = surname;
  if (group === 'MAASAI' && male && rng.chance(0.3)) display = 'ole ' + surname;
  return { first, middle, surname: display, surnameKey: surname };
}

function fullNameOf(n: PersonName): string {
  return n.middle === null ? `${n.first} ${n.surname}` : `${n.first} ${n.middle} ${n.surname}`;
}

function emailKey(s: string): string {
  return s.toLowerCase().replace(/[^a-z]/g, '');
}

function homeIp(rng: Rng): string {
  const r = rng.float();
  const last = rng.int(2, 254);
  if (r < 0.45) return `105.${rng.int(160, 175)}.${rng.int(0, 255)}.${last}`; // Safaricom mobile
  if (r < 0.65) return `41.90.${rng.int(0, 255)}.${last}`; // Safaricom
  if (r < 0.8) return `197.232.${rng.int(0, 255)}.${last}`;
  if (r < 0.9) return `154.159.${rng.int(224, 255)}.${last}`; // Safaricom home fibre
  return `41.80.${rng.int(0, 255)}.${last}`; // Airtel
}

/** A Kenyan mobile-data IP (customers roaming off their home connection). */
function kenyanMobileIp(rng: Rng): string {
  return rng.chance(0.8) ? `105.${rng.int(160, 175)}.${rng.int(0, 255)}.${rng.int(2, 254)}` : `41.80.${rng.int(0, 255)}.${rng.int(2, 254)}`;
}

const FOREIGN_IP_PREFIXES = [
  '102.89.',
  '105.112.',
  '197.210.',
  '94.200.',
  '5.195.',
  '185.220.101.',
  '185.220.100.',
  '95.165.',
  '113.161.',
  '159.65.',
  '167.99.',
  '88.198.',
  '86.120.',
  '41.203.',
];

function foreignIp(rng: Rng): string {
  const prefix = rng.pick(FOREIGN_IP_PREFIXES);
  const parts = prefix.split('.').length - 1;
  let ip = prefix;
  for (let i = parts; i < 3; i++) ip += `${rng.int(0, 255)}.`;
  return ip + rng.int(2, 254);
}

export function generateDemoCustomers(options: { seed: number; count: number; now: Date; customerRefPrefix?: string | undefined }): DemoCustomer[] {
  const { count, now } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('now must be a valid Date');
  const rng = createRng(deriveSeed(options.seed, 0xc0570e5));
  const nowDay = Math.floor((nowMs / 1000 + NAIROBI_OFFSET_S) / DAY_S);
  const nowYear = civilFromDays(nowDay)[0];
  const fifteenYears = Math.round(15 * 365.25);

  const nationalIds = new Set<string>();
  const phones = new Set<string>();
  const emails = new Set<string>();
  const accountNumbers = new Set<string>();

  interface Draft {
    since: number;
    order: number;
    body: Omit<DemoCustomer, 'customerRef'>;
  }
  const drafts: Draft[] = [];

  for (let i = 0; i < count; i++) {
    const county = COUNTY_TABLE.pick(rng);
    const group = county.group !== null && rng.chance(county.groupShare) ? county.group : MIX_TABLE.pick(rng);
    const male = rng.chance(0.52);
    const name = personName(rng, group, male);
    const segment = SEGMENTS.pick(rng);

    const age = Math.max(19, Math.min(80, Math.round(segment === 'PRIVATE_BANKING' ? rng.normal(50, 10) : rng.normal(37, 11))));
    const birthYear = nowYear - age;
    // Older customers hold lower ID numbers (issued at 18): 1xxxxxxx for those born before ~1967,
    // 2xxxxxxx up to the late 1980s, 3xxxxxxx for younger customers.
    let nationalId = '';
    for (let attempt = 0; nationalId === '' || nationalIds.has(nationalId); attempt++) {
      const n = attempt < 3 ? 10_000_000 + Math.floor(((Math.max(0, birthYear - 1947) + rng.float()) / 60) * 29_999_999) : rng.int(10_000_000, 39_999_999);
      nationalId = String(Math.min(39_999_999, n));
    }
    nationalIds.add(nationalId);

    let phone = '';
    while (phone === '' || phones.has(phone)) {
      phone = '+254' + (rng.chance(0.72) ? rng.pick(SAFARICOM_PREFIXES) : rng.pick(AIRTEL_PREFIXES)) + rng.digits(6);
    }
    phones.add(phone);

    const employer = segment === 'CORPORATE' ? rng.pick(EMPLOYERS) : null;
    const emailChance = segment === 'RETAIL' ? 0.65 : segment === 'SME' ? 0.85 : 0.97;
    let email: string | null = null;
    if (rng.chance(emailChance)) {
      const f = emailKey(name.first);
      const s = emailKey(name.surnameKey);
      let local: string;
      let domain: string;
      if (employer !== null) {
        domain = employer[1];
        local = rng.chance(0.6) ? `${f}.${s}` : `${f[0]}${s}`;
      } else {
        domain = rng.chance(0.78) ? 'gmail.com' : 'yahoo.com';
        const style = rng.int(0, 5);
        const yy = pad(birthYear % 100, 2);
        local =
          style === 0
            ? `${f}.${s}`
            : style === 1
              ? `${f}${s}`
              : style === 2
                ? `${f[0]}${s}${yy}`
                : style === 3
                  ? `${s}.${f}`
                  : style === 4
                    ? `${f}${s}${rng.int(1, 99)}`
                    : `${f}.${s}${yy}`;
      }
      let candidate = `${local}@${domain}`;
      while (emails.has(candidate)) candidate = `${local}${rng.int(2, 999)}@${domain}`;
      emails.add(candidate);
      email = candidate;
    }

    // customerSince: within 15 years, after the 18th birthday, skewed to recent years (growth).
    const adultDays = Math.max(30, (age - 18) * 365);
    const maxAgo = Math.min(fifteenYears, adultDays);
    const since = nowDay - Math.max(3, Math.floor(maxAgo * (1 - rng.float() ** 0.75)));
    const sinceIso = isoDay(since);

    let kycStatus = KYC.pick(rng);
    if (nowDay - since < 30 && rng.chance(0.4)) kycStatus = 'PENDING';
    const riskRating = (segment === 'PRIVATE_BANKING' ? RISK_PB : RISK_RETAIL).pick(rng);

    // Accounts: 1–3, primary first.
    const nAccounts = (segment === 'RETAIL' ? ACCOUNTS_RETAIL : ACCOUNTS_BUSINESS).pick(rng);
    const types: AccountType[] = [];
    types.push(segment === 'RETAIL' ? (rng.chance(0.55) ? 'SAVINGS' : 'CURRENT') : 'CURRENT');
    const extras = segment === 'RETAIL' ? EXTRA_RETAIL : segment === 'PRIVATE_BANKING' ? EXTRA_PB : EXTRA_BUSINESS;
    while (types.length < nAccounts) {
      const t = extras.pick(rng);
      if ((t === 'MOBILE_WALLET' || t === 'LOAN') && types.includes(t)) continue;
      if (t === types[0] && types.filter((x) => x === t).length >= 2) continue;
      types.push(t);
    }
    const branch = county.code * 10 + rng.int(0, county.population > 2000 ? 9 : county.population > 1000 ? 3 : 1);
    const accounts: DemoCustomer['accounts'] = [];
    for (let a = 0; a < types.length; a++) {
      const type = types[a]!;
      let accountNumber: string;
      if (type === 'MOBILE_WALLET') {
        accountNumber = 'MW-' + phone.slice(1);
      } else {
        accountNumber = '';
        while (accountNumber === '' || accountNumbers.has(accountNumber)) {
          const body = '01' + pad(branch, 3) + rng.digits(7);
          accountNumber = body + luhnDigit(body);
        }
      }
      accountNumbers.add(accountNumber);
      const opened = a === 0 ? since : since + Math.floor(rng.float() * Math.max(1, nowDay - since));
      let status: AccountStatus = 'ACTIVE';
      const r = rng.float();
      if (a === 0) status = r < 0.02 ? 'DORMANT' : r < 0.025 ? 'FROZEN' : 'ACTIVE';
      else if (type !== 'LOAN') status = r < 0.1 && nowDay - opened > 400 ? 'DORMANT' : r < 0.12 ? 'FROZEN' : 'ACTIVE';
      accounts.push({ accountNumber, type, openedOn: isoDay(opened), status });
    }
    if (accounts.length > 2) {
      const rest = accounts.splice(1).sort((x, y) => (x.openedOn < y.openedOn ? -1 : x.openedOn > y.openedOn ? 1 : 0));
      accounts.push(...rest);
    }

    const nDevices = segment === 'RETAIL' ? (rng.chance(0.4) ? 2 : 1) : rng.chance(0.75) ? 2 : 1;
    const deviceIds: string[] = [];
    for (let d = 0; d < nDevices; d++) deviceIds.push('dev-' + rng.hex(16));

    drafts.push({
      since,
      order: i,
      body: {
        fullName: fullNameOf(name),
        nationalId,
        phone,
        email,
        county: county.name,
        segment,
        kycStatus,
        riskRating,
        customerSince: sinceIso,
        accounts,
        deviceIds,
        homeIp: homeIp(rng),
      },
    });
  }

  // CIF numbers grow with the relationship's start, as in a real core banking system.
  drafts.sort((a, b) => a.since - b.since || a.order - b.order);
  let cif = 10_000 + rng.int(0, 4_999);
  const customers: DemoCustomer[] = [];
  for (const d of drafts) {
    cif += rng.int(1, 19);
    customers.push({ customerRef: (options.customerRefPrefix ?? 'CIF-') + pad(cif, 8), ...d.body });
  }
  return customers;
}

function isoDay(day: number): string {
  const [y, m, d] = civilFromDays(day);
  return `${y}-${P2[m]}-${P2[d]}`;
}

// ---------------------------------------------------------------------------------------------
// Payments: reference data
// ---------------------------------------------------------------------------------------------

const F_B2C = 0;
const F_PAYBILL = 1;
const F_BUYGOODS = 2;
const F_AIRTEL = 3;
const F_C2B_IN = 4;
const F_PESALINK_OUT = 5;
const F_PESALINK_IN = 6;
const F_INTERNAL = 7;
const F_EFT_OUT = 8;
const F_EFT_IN = 9;
const F_RTGS_OUT = 10;
const F_RTGS_IN = 11;
const F_CARD_POS = 12;
const F_CARD_ECOM = 13;
const F_ATM = 14;
const F_AGENT_WD = 15;
const F_SWIFT_OUT = 16;
const F_SWIFT_IN = 17;
const F_REGIONAL = 18;
const F_LOAN = 19;

// prettier-ignore
const FLOWS_BY_SEGMENT: Record<Segment, WeightedTable<number>> = {
  RETAIL: new WeightedTable([
    [F_B2C, 24],
    [F_PAYBILL, 14],
    [F_BUYGOODS, 8],
    [F_AIRTEL, 3.5],
    [F_C2B_IN, 7],
    [F_PESALINK_OUT, 8],
    [F_PESALINK_IN, 3],
    [F_INTERNAL, 2.5],
    [F_EFT_IN, 2],
    [F_EFT_OUT, 0.6],
    [F_RTGS_OUT, 0.12],
    [F_RTGS_IN, 0.08],
    [F_CARD_POS, 8],
    [F_CARD_ECOM, 4],
    [F_ATM, 8.5],
    [F_AGENT_WD, 4.5],
    [F_SWIFT_OUT, 0.12],
    [F_SWIFT_IN, 0.6],
    [F_REGIONAL, 0.2],
    [F_LOAN, 1.5],
  ]),
  SME: new WeightedTable([
    [F_B2C, 14],
    [F_PAYBILL, 10],
    [F_BUYGOODS, 6],
    [F_AIRTEL, 2],
    [F_C2B_IN, 14],
    [F_PESALINK_OUT, 12],
    [F_PESALINK_IN, 8],
    [F_INTERNAL, 3],
    [F_EFT_OUT, 8],
    [F_EFT_IN, 5],
    [F_RTGS_OUT, 1.6],
    [F_RTGS_IN, 1.2],
    [F_CARD_POS, 3],
    [F_CARD_ECOM, 2],
    [F_ATM, 2],
    [F_AGENT_WD, 1.5],
    [F_SWIFT_OUT, 1.2],
    [F_SWIFT_IN, 0.6],
    [F_REGIONAL, 1.2],
    [F_LOAN, 1],
  ]),
  CORPORATE: new WeightedTable([
    [F_B2C, 12],
    [F_PAYBILL, 6],
    [F_BUYGOODS, 1],
    [F_AIRTEL, 1],
    [F_C2B_IN, 8],
    [F_PESALINK_OUT, 14],
    [F_PESALINK_IN, 8],
    [F_INTERNAL, 4],
    [F_EFT_OUT, 18],
    [F_EFT_IN, 8],
    [F_RTGS_OUT, 4.5],
    [F_RTGS_IN, 3.5],
    [F_CARD_POS, 1],
    [F_CARD_ECOM, 2],
    [F_SWIFT_OUT, 3.5],
    [F_SWIFT_IN, 2],
    [F_REGIONAL, 1.5],
    [F_LOAN, 1],
  ]),
  PRIVATE_BANKING: new WeightedTable([
    [F_B2C, 14],
    [F_PAYBILL, 10],
    [F_BUYGOODS, 4],
    [F_C2B_IN, 2],
    [F_PESALINK_OUT, 14],
    [F_PESALINK_IN, 6],
    [F_INTERNAL, 4],
    [F_EFT_OUT, 5],
    [F_EFT_IN, 4],
    [F_RTGS_OUT, 2.5],
    [F_RTGS_IN, 2],
    [F_CARD_POS, 12],
    [F_CARD_ECOM, 8],
    [F_ATM, 3],
    [F_SWIFT_OUT, 3],
    [F_SWIFT_IN, 1.5],
    [F_REGIONAL, 0.4],
    [F_LOAN, 1],
  ]),
};

type Channel = PaymentInput['channel'];
const ch = (pairs: readonly (readonly [Channel, number])[]): WeightedTable<Channel> => new WeightedTable(pairs);
const CH_MOBILE_MONEY = ch([
  ['MOBILE', 62],
  ['USSD', 28],
  ['WEB', 6],
  ['AGENT', 4],
]);
const CH_USSD_USER = ch([
  ['USSD', 80],
  ['MOBILE', 15],
  ['AGENT', 5],
]);
const CH_PESALINK = ch([
  ['MOBILE', 64],
  ['WEB', 24],
  ['USSD', 7],
  ['BRANCH', 5],
]);
const CH_INTERNAL = ch([
  ['MOBILE', 58],
  ['WEB', 24],
  ['USSD', 12],
  ['BRANCH', 6],
]);
const CH_EFT = ch([
  ['WEB', 66],
  ['BRANCH', 29],
  ['MOBILE', 5],
]);
const CH_HIGH_VALUE = ch([
  ['WEB', 55],
  ['BRANCH', 45],
]);
const CH_ECOM = ch([
  ['WEB', 55],
  ['MOBILE', 45],
]);
const CH_LOAN = ch([
  ['MOBILE', 50],
  ['USSD', 30],
  ['WEB', 20],
]);
const CH_INCOMING = ch([
  ['MOBILE', 55],
  ['WEB', 45],
]);

interface Biller {
  paybill: string;
  desc: readonly string[];
  median: number;
  sigma: number;
  min: number;
  max: number;
  weight: number;
}

// Well-known public paybill numbers for utilities; schools and saccos get generated numbers.
const BILLERS: readonly Biller[] = [
  { paybill: '888880', desc: ['KPLC token', 'KPLC prepaid tokens', 'Tokens'], median: 900, sigma: 0.75, min: 50, max: 20_000, weight: 30 },
  { paybill: '888888', desc: ['KPLC postpaid bill', 'Electricity bill'], median: 2_600, sigma: 0.8, min: 100, max: 60_000, weight: 8 },
  { paybill: '444900', desc: ['DStv subscription', 'DStv Compact'], median: 3_200, sigma: 0.5, min: 800, max: 12_000, weight: 7 },
  { paybill: '423655', desc: ['GOtv subscription', 'GOtv Max'], median: 1_000, sigma: 0.4, min: 300, max: 3_500, weight: 6 },
  { paybill: '444400', desc: ['Nairobi Water bill', 'Water bill'], median: 1_900, sigma: 0.7, min: 200, max: 25_000, weight: 5 },
  { paybill: '572572', desc: ['KRA iTax payment', 'KRA – PIN tax', 'KRA turnover tax'], median: 9_000, sigma: 1.3, min: 100, max: 250_000, weight: 4 },
  { paybill: '222222', desc: ['SHIF contribution', 'SHA premium'], median: 750, sigma: 0.6, min: 300, max: 15_000, weight: 4 },
  { paybill: '320320', desc: ['Zuku internet', 'Zuku fibre'], median: 3_500, sigma: 0.35, min: 1_500, max: 10_000, weight: 4 },
  { paybill: '522522', desc: ['Loan repayment – KCB', 'KCB M-Pesa loan'], median: 5_500, sigma: 1, min: 200, max: 200_000, weight: 4 },
  { paybill: '247247', desc: ['Loan repayment – Equity', 'Equity account deposit'], median: 6_000, sigma: 1, min: 200, max: 200_000, weight: 4 },
  { paybill: '955100', desc: ['SportPesa deposit'], median: 150, sigma: 1.1, min: 10, max: 20_000, weight: 3 },
  { paybill: '290290', desc: ['Betika deposit'], median: 120, sigma: 1.1, min: 10, max: 20_000, weight: 3 },
];
const BILLER_TABLE = new WeightedTable<Biller | null>([...BILLERS.map((b) => [b, b.weight] as const), [null, 18]]);

const BUYGOODS_DESCRIPTIONS = [
  'Groceries',
  'Groceries – Naivas',
  'Lunch',
  'Gas refill – K-Gas',
  'Pharmacy',
  'Boda fare',
  'Matatu fare',
  'Mama mboga',
  'Hardware',
  'Butchery',
  'Barber',
  'Salon',
  undefined,
  undefined,
];
const PERSONAL_DESCRIPTIONS = [
  'Upkeep',
  'Upkeep',
  'Fare',
  'Send to mum',
  'Lunch',
  'Shopping',
  'Goods',
  'Loan',
  'Refund',
  'Airtime',
  'Salary – house help',
  'Mjengo materials',
  'Harambee contribution',
  'Funeral contribution',
  'Wedding contribution',
  'Dowry contribution',
  'Pocket money',
  'Boda boda',
  'Church tithe',
  'Chama contribution',
  'Merry-go-round',
];
const SCHOOLS = [
  'Alliance High',
  'Alliance Girls',
  'Moi Girls Eldoret',
  'Kenya High',
  'Maseno School',
  "Mang'u High",
  'Starehe Boys Centre',
  'Loreto Convent Msongari',
  'Kakamega School',
  'Friends School Kamusinga',
  'Lenana School',
  'Nairobi School',
  'Pangani Girls',
  'Kisumu Boys',
  'Kapsabet Boys',
  'Maranda High',
  'Moi Forces Academy',
  'Bishop Gatimu Ngandu Girls',
  'Sacho High',
  'Precious Blood Riruta',
  'Shimo la Tewa',
  'Kenyatta High Mahiga',
  'Chavakali High',
  'Kisii School',
  'Meru School',
];
const UNIVERSITIES = [
  'University of Nairobi',
  'Kenyatta University',
  'JKUAT',
  'Strathmore University',
  'Moi University',
  'USIU-Africa',
  'Egerton University',
  'Maseno University',
  'Technical University of Kenya',
  'Daystar University',
  'Mount Kenya University',
];
const SACCOS = ['Stima Sacco', 'Mwalimu National Sacco', 'Kenya Police Sacco', 'Harambee Sacco', 'Unaitas Sacco', 'Kimisitu Sacco'];
const CHAMAS = ['Umoja Women Group', 'Tujenge Investment Club', 'Vijana Chama', 'Bidii Self Help Group', 'Amani Investment Group', 'Mwangaza Chama'];
const HOSPITALS = [
  'Aga Khan Hospital',
  'Nairobi Hospital',
  'MP Shah Hospital',
  'Mater Hospital',
  'Kenyatta National Hospital',
  'Coast General Hospital',
  'Moi Teaching & Referral Hospital',
  "Gertrude's Children's Hospital",
];

interface Merchant {
  name: string;
  prefix: string;
  median: number;
  sigma: number;
  max: number;
  round: number;
}
const MERCHANTS: readonly Merchant[] = [
  ...[
    'Naivas Westlands',
    'Naivas Eldoret',
    'Naivas Kisumu',
    'Carrefour Two Rivers',
    'Carrefour City Mall Nyali',
    'Quickmart Kilimani',
    'Quickmart Nakuru',
    'Chandarana Foodplus Yaya',
    'Cleanshelf Thika',
  ].map((name) => ({ name, prefix: 'Groceries – ', median: 2_400, sigma: 0.9, max: 60_000, round: 0 })),
  ...[
    'Rubis Westlands',
    'TotalEnergies Mombasa Rd',
    'Shell Lavington',
    'Rubis Nakuru Highway',
    'Ola Energy Thika Rd',
    'TotalEnergies Kisumu',
    'Shell Nyali',
  ].map((name) => ({ name, prefix: 'Fuel – ', median: 4_000, sigma: 0.55, max: 30_000, round: 500 })),
  ...[
    'Java House Junction',
    'Artcaffe Westgate',
    'Kenchic Moi Avenue',
    "CJ's Koinange St",
    'Mama Oliech Restaurant',
    'Chicken Inn Kimathi St',
    'About Thyme Westlands',
  ].map((name) => ({ name, prefix: 'Meal – ', median: 1_700, sigma: 0.7, max: 25_000, round: 0 })),
  ...['Goodlife Pharmacy Sarit', 'Haltons Pharmacy Ngong Rd', 'Pharmaplus Yaya'].map((name) => ({
    name,
    prefix: 'Pharmacy – ',
    median: 1_500,
    sigma: 0.9,
    max: 30_000,
    round: 0,
  })),
  ...['Bata Moi Avenue', 'Hotpoint Sarit', 'Mr Price Garden City', 'Text Book Centre Sarit', 'Safaricom Shop Kimathi St'].map((name) => ({
    name,
    prefix: 'Purchase – ',
    median: 5_500,
    sigma: 0.9,
    max: 150_000,
    round: 0,
  })),
  ...['Aga Khan University Hospital', 'Nairobi Hospital', 'MP Shah Hospital'].map((name) => ({
    name,
    prefix: 'Hospital bill – ',
    median: 12_000,
    sigma: 1,
    max: 150_000,
    round: 0,
  })),
  ...['Sarova Whitesands Mombasa', 'Serena Hotel Nairobi', 'Kenya Airways JKIA'].map((name) => ({
    name,
    prefix: '',
    median: 25_000,
    sigma: 0.8,
    max: 150_000,
    round: 0,
  })),
];

interface EcomMerchant {
  name: string;
  currency: string;
  country: string;
  median: number;
  sigma: number;
  weight: number;
  desc: (rng: Rng) => string;
}
const ECOM: readonly EcomMerchant[] = [
  { name: 'Jumia Kenya', currency: 'KES', country: 'KE', median: 3_500, sigma: 0.9, weight: 20, desc: (r) => `Jumia order #${r.digits(9)}` },
  { name: 'Netflix', currency: 'KES', country: 'NL', median: 1_100, sigma: 0.25, weight: 10, desc: () => 'Netflix subscription' },
  { name: 'Spotify', currency: 'KES', country: 'SE', median: 390, sigma: 0.2, weight: 5, desc: () => 'Spotify Premium' },
  { name: 'Uber', currency: 'KES', country: 'NL', median: 650, sigma: 0.6, weight: 12, desc: () => 'Uber trip' },
  { name: 'Bolt', currency: 'KES', country: 'EE', median: 550, sigma: 0.6, weight: 12, desc: () => 'Bolt ride' },
  { name: 'Glovo', currency: 'KES', country: 'ES', median: 1_300, sigma: 0.5, weight: 6, desc: () => 'Glovo order' },
  {
    name: 'Kenya Airways',
    currency: 'KES',
    country: 'KE',
    median: 18_000,
    sigma: 0.7,
    weight: 5,
    desc: (r) => `Kenya Airways – ${r.pick(['NBO-MBA', 'NBO-KIS', 'NBO-EDL', 'NBO-MYD', 'NBO-DXB', 'NBO-JNB'])} ticket`,
  },
  {
    name: 'Google',
    currency: 'KES',
    country: 'IE',
    median: 900,
    sigma: 0.8,
    weight: 6,
    desc: (r) => r.pick(['Google Play', 'Google Workspace', 'YouTube Premium']),
  },
  { name: 'Apple', currency: 'KES', country: 'IE', median: 600, sigma: 0.8, weight: 4, desc: () => 'Apple.com/bill' },
  { name: 'Amazon', currency: 'USD', country: 'US', median: 70, sigma: 0.9, weight: 4, desc: () => 'Amazon.com order' },
  { name: 'AWS', currency: 'USD', country: 'US', median: 120, sigma: 1, weight: 2, desc: () => 'Amazon Web Services' },
  { name: 'Booking.com', currency: 'USD', country: 'NL', median: 180, sigma: 0.7, weight: 3, desc: () => 'Booking.com hotel' },
  { name: 'AliExpress', currency: 'USD', country: 'CN', median: 35, sigma: 0.9, weight: 4, desc: () => 'AliExpress order' },
  { name: 'Coursera', currency: 'USD', country: 'US', median: 49, sigma: 0.3, weight: 2, desc: () => 'Coursera subscription' },
];
const ECOM_TABLE = new WeightedTable(ECOM.map((m) => [m, m.weight] as const));

interface Corridor {
  country: string;
  currency: string;
  weight: number;
  purposes: readonly string[];
}
const SWIFT_OUT: readonly Corridor[] = [
  {
    country: 'CN',
    currency: 'USD',
    weight: 18,
    purposes: [
      'Import – machinery parts (Guangzhou)',
      'Import – solar panels (Shenzhen)',
      'Motorcycle spares – Chongqing',
      'Textile stock – Guangzhou',
      'Electronics stock – Shenzhen',
    ],
  },
  {
    country: 'IN',
    currency: 'USD',
    weight: 12,
    purposes: ['Medical bills – Apollo Hospitals Chennai', 'Import – pharmaceuticals (Mumbai)', 'Tuition – Manipal University', 'Import – rice (Kandla)'],
  },
  {
    country: 'US',
    currency: 'USD',
    weight: 14,
    purposes: ['Tuition – Texas A&M', 'Software licences', 'Family support', 'Consultancy fees', 'Conference fees'],
  },
  {
    country: 'GB',
    currency: 'GBP',
    weight: 14,
    purposes: ['Tuition – University of Leeds', 'Tuition – Coventry University', 'Student rent – London', 'Consultancy fees', 'Family support'],
  },
  { country: 'DE', currency: 'EUR', weight: 6, purposes: ['Vehicle import – Hamburg', 'Machinery – Stuttgart', 'Lab equipment'] },
  { country: 'NL', currency: 'EUR', weight: 5, purposes: ['Flower seedlings – Aalsmeer', 'Greenhouse materials', 'Freight – Rotterdam'] },
  { country: 'FR', currency: 'EUR', weight: 2, purposes: ['Tuition – Sciences Po', 'Wine stock – Bordeaux'] },
  { country: 'BE', currency: 'EUR', weight: 2, purposes: ['Freight – Antwerp', 'Membership fees'] },
  { country: 'ZA', currency: 'USD', weight: 6, purposes: ['Mining equipment – Johannesburg', 'Tuition – University of Cape Town', 'Spare parts – Durban'] },
  { country: 'JP', currency: 'USD', weight: 7, purposes: ['Used vehicle import – Yokohama', 'Used vehicle import – Nagoya', 'Vehicle spares – Osaka'] },
  { country: 'TR', currency: 'USD', weight: 3, purposes: ['Textile stock – Istanbul', 'Furniture import – Istanbul'] },
  { country: 'AE', currency: 'USD', weight: 2, purposes: ['Stock purchase – Dubai', 'Freight – Jebel Ali'] },
  { country: 'CH', currency: 'EUR', weight: 1, purposes: ['Membership fees – Geneva', 'Consultancy fees'] },
];
const SWIFT_OUT_TABLE = new WeightedTable(SWIFT_OUT.map((c) => [c, c.weight] as const));
const SWIFT_IN: readonly Corridor[] = [
  { country: 'US', currency: 'USD', weight: 34, purposes: ['Family remittance', 'Remittance', 'Consultancy payment'] },
  { country: 'GB', currency: 'GBP', weight: 22, purposes: ['Family remittance', 'Remittance', 'Export proceeds – tea'] },
  { country: 'DE', currency: 'EUR', weight: 8, purposes: ['Remittance', 'Export proceeds – coffee'] },
  { country: 'NL', currency: 'EUR', weight: 8, purposes: ['Export proceeds – flowers (Aalsmeer)', 'Export proceeds – avocados'] },
  { country: 'CA', currency: 'USD', weight: 8, purposes: ['Family remittance', 'Remittance'] },
  { country: 'SA', currency: 'USD', weight: 7, purposes: ['Family remittance', 'Salary remittance'] },
  { country: 'QA', currency: 'USD', weight: 4, purposes: ['Family remittance', 'Salary remittance'] },
  { country: 'AU', currency: 'USD', weight: 5, purposes: ['Family remittance'] },
  { country: 'FR', currency: 'EUR', weight: 4, purposes: ['Export proceeds – macadamia', 'Research grant'] },
];
const SWIFT_IN_TABLE = new WeightedTable(SWIFT_IN.map((c) => [c, c.weight] as const));
const REGIONAL_PURPOSES: Record<string, readonly string[]> = {
  UG: ['Stock purchase – Kampala', 'Cross-border trade – Busia', 'Fees – Kampala International University', 'Maize purchase – Mbale', 'Transport – Malaba'],
  TZ: ['Transport – Dar es Salaam port', 'Maize purchase – Arusha', 'Supplier payment – Mwanza', 'Cross-border trade – Namanga', 'Hotel – Zanzibar'],
};

/** KES per unit; mirrors the scoring engine's indicative reference rates. */
const KES_PER_UNIT: Readonly<Record<string, number>> = { KES: 1, USD: 129.25, EUR: 140.6, GBP: 164.3, UGX: 0.0351, TZS: 0.0497 };

const POPULAR_AMOUNTS = [
  100, 200, 250, 300, 500, 1_000, 1_500, 2_000, 2_500, 3_000, 5_000, 7_000, 10_000, 15_000, 20_000, 25_000, 30_000, 50_000, 70_000, 100_000, 150_000, 200_000,
  250_000, 300_000, 500_000,
];

const ANDROID_DEVICES = [
  ['SM-A055F', '13'],
  ['SM-A155F', '14'],
  ['SM-A256E', '14'],
  ['SM-A145F', '13'],
  ['TECNO KJ5', '13'],
  ['TECNO CK7n', '13'],
  ['Infinix X6528', '13'],
  ['Infinix X6525', '13'],
  ['itel A665L', '13'],
  ['CPH2591', '13'],
  ['23100RN82L', '13'],
  ['SM-S918B', '14'],
  ['TECNO BG6', '12'],
  ['Infinix X669C', '12'],
  ['SM-A042F', '12'],
  ['Pixel 7', '14'],
] as const;
const IPHONES = [
  ['iPhone14,5', '17.5.1'],
  ['iPhone15,3', '17.6'],
  ['iPhone13,2', '16.7.8'],
  ['iPhone16,2', '18.1'],
] as const;
const APP_VERSIONS = ['5.3.1', '5.4.0', '5.4.2'];
const DESKTOP_UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 Edg/127.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
];
const MOBILE_WEB_UA = 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
const FRAUD_APP_UAS = [
  'WekezaMobile/5.4.2 (Android 11; SM-G973F) okhttp/4.12.0',
  'WekezaMobile/5.2.0 (Android 9; Redmi Note 8) okhttp/4.9.3',
  'WekezaMobile/5.4.2 (Android 12; sdk_gphone64_x86_64) okhttp/4.12.0',
];
const FRAUD_WEB_UAS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36',
];

function appUserAgent(deviceId: string): string {
  const h = hashString(deviceId);
  const version = APP_VERSIONS[h % APP_VERSIONS.length]!;
  if (h % 100 < 9) {
    const [model, ios] = IPHONES[(h >>> 8) % IPHONES.length]!;
    return `WekezaMobile/${version} (${model}; iOS ${ios}) CFNetwork/1496.0.7 Darwin/23.5.0`;
  }
  const [model, android] = ANDROID_DEVICES[(h >>> 8) % ANDROID_DEVICES.length]!;
  return `WekezaMobile/${version} (Android ${android}; ${model}) okhttp/4.12.0`;
}

// ---------------------------------------------------------------------------------------------
// Risk scenarios
// ---------------------------------------------------------------------------------------------

const S_LARGE = 1;
const S_HIGH_RISK_COUNTRY = 2;
const S_ELEVATED_COUNTRY = 3;
const S_NIGHT = 4;
const S_NEW_DEVICE = 5;
const S_STRUCTURING = 6;
const S_SUSPICIOUS_DESC = 7;
const S_ROUND = 8;
const S_DORMANT = 9;

const SCENARIO_NAMES: readonly (DemoRiskScenario | null)[] = [
  null,
  'LARGE_VALUE',
  'HIGH_RISK_COUNTRY',
  'ELEVATED_RISK_COUNTRY',
  'NIGHT_HIGH_VALUE',
  'NEW_DEVICE_FOREIGN_IP',
  'STRUCTURING',
  'SUSPICIOUS_DESCRIPTION',
  'ROUND_AMOUNT',
  'DORMANT_REACTIVATION',
];

/** [scenario, events weight, mean payments per event]. */
const SCENARIO_MIX: readonly (readonly [number, number, number])[] = [
  [S_LARGE, 15, 1],
  [S_HIGH_RISK_COUNTRY, 4, 1],
  [S_ELEVATED_COUNTRY, 12, 1],
  [S_NIGHT, 16, 1],
  [S_NEW_DEVICE, 12, 2.1],
  [S_STRUCTURING, 6, 4],
  [S_SUSPICIOUS_DESC, 14, 1],
  [S_ROUND, 10, 1],
  [S_DORMANT, 6, 1],
];
const SCENARIO_TABLE = new WeightedTable(SCENARIO_MIX.map(([s, w]) => [s, w] as const));
const MEAN_EVENT_SIZE = SCENARIO_MIX.reduce((s, [, w, k]) => s + w * k, 0) / SCENARIO_MIX.reduce((s, [, w]) => s + w, 0);
const NEW_DEVICE_BURST = new WeightedTable<number>([
  [1, 30],
  [2, 35],
  [3, 25],
  [4, 10],
]);
const STRUCTURING_BURST = new WeightedTable<number>([
  [3, 35],
  [4, 35],
  [5, 30],
]);

const HIGH_RISK_DESTINATIONS = new WeightedTable<string>([
  ['SO', 40],
  ['YE', 14],
  ['AF', 10],
  ['SY', 10],
  ['IR', 10],
  ['MM', 11],
  ['KP', 5],
]);
const SUSPICIOUS_DESCRIPTIONS = [
  'URGENT – please process today',
  'Investment return',
  'Investment return – 30% monthly',
  'Crypto purchase',
  'USDT – Binance P2P',
  'Bitcoin purchase',
  'Gift card purchase',
  'Forex trading account top-up',
  'Release fee – inheritance funds',
  'Customs clearance fee – parcel',
  'Urgent help – hospital deposit',
  'Loan processing fee',
  'Account upgrade fee',
  'Prize claim – processing fee',
  'Urgent – new supplier bank details',
];

interface Burst {
  scenario: number;
  cust: number;
  device: string;
  ip: string;
  ua: string;
  channel: Channel;
  creditor: string;
  pesalink: boolean;
  desc: string | undefined;
}

/** Vose's alias table for O(1) weighted picks over many items. */
function aliasTable(weights: readonly number[]): [Float64Array, Int32Array] {
  const n = weights.length;
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  const total = weights.reduce((s, w) => s + w, 0);
  const scaled = weights.map((w) => (w * n) / total);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((p, i) => {
    (p < 1 ? small : large).push(i);
  });
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large.pop()!;
    prob[s] = scaled[s]!;
    alias[s] = l;
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    (scaled[l]! < 1 ? small : large).push(l);
  }
  for (const i of large) prob[i] = 1;
  for (const i of small) prob[i] = 1;
  return [prob, alias];
}

// ---------------------------------------------------------------------------------------------
// Payment factory
// ---------------------------------------------------------------------------------------------

interface CustCtx {
  ref: string;
  seg: Segment;
  county: County;
  debit: string[];
  loan: string | null;
  dormant: string | null;
  phoneDigits: string;
  airtel: boolean;
  devices: string[];
  appUa: string;
  webUa: string;
  webDevice: string | undefined;
  homeIp: string;
  ussdUser: boolean;
  employer: string;
  hash: number;
}

class PaymentFactory {
  private readonly custs: CustCtx[];
  private readonly active: Int32Array;
  private readonly aliasProb: Float64Array;
  private readonly aliasIdx: Int32Array;
  private readonly businessActive: Int32Array;
  private readonly dormantPool: Int32Array;
  private readonly tenantId: string;
  private readonly salt: number;
  private readonly refKey: number;
  private readonly schoolPaybills: string[];
  private readonly merchantIds: string[];
  private readonly ecomIds: string[];

  // Current time (set per payment).
  private dayCache = -1;
  private dateIso = '';
  private dateCompact = '';
  private month = 0;
  private dom = 1;
  private timestamp = '';
  private reference = '';

  private readonly rng: Rng;

  constructor(rng: Rng, customers: readonly DemoCustomer[], seed: number, tenantId: string) {
    this.rng = rng;
    this.tenantId = tenantId;
    this.salt = deriveSeed(seed, 0x5a17);
    this.refKey = deriveSeed(seed, 0x7ef);
    this.custs = customers.map((c) => this.context(c));
    const weights: number[] = [];
    const active: number[] = [];
    const business: number[] = [];
    const dormant: number[] = [];
    this.custs.forEach((c, i) => {
      if (c.dormant !== null) dormant.push(i);
      if (c.debit.length === 0) return;
      const segmentFactor = c.seg === 'RETAIL' ? 1 : c.seg === 'SME' ? 3 : c.seg === 'CORPORATE' ? 5 : 2.5;
      active.push(i);
      weights.push(segmentFactor * rng.logNormalMedian(1, 0.9));
      if (c.seg !== 'RETAIL') business.push(i);
    });
    this.active = Int32Array.from(active);
    [this.aliasProb, this.aliasIdx] = aliasTable(weights);
    this.businessActive = Int32Array.from(business.length > 0 ? business : active);
    this.dormantPool = Int32Array.from(dormant);
    this.schoolPaybills = SCHOOLS.map((_, i) => String(100_000 + (hash3(this.salt, 0x5c00 + i, 1) % 900_000)));
    this.merchantIds = MERCHANTS.map((_, i) => 'MID-' + digitsFromHash(hash3(this.salt, 0x3e7c + i, 1), hash3(this.salt, 0x3e7c + i, 2), 15));
    this.ecomIds = ECOM.map((_, i) => 'MID-' + digitsFromHash(hash3(this.salt, 0xec0 + i, 1), hash3(this.salt, 0xec0 + i, 2), 15));
  }

  get activeCount(): number {
    return this.active.length;
  }

  private context(c: DemoCustomer): CustCtx {
    const usable = c.accounts.filter((a) => a.status === 'ACTIVE' && (a.type === 'CURRENT' || a.type === 'SAVINGS'));
    const debit = usable.map((a) => a.accountNumber);
    if (debit.length === 0) {
      const wallet = c.accounts.find((a) => a.status === 'ACTIVE' && a.type === 'MOBILE_WALLET');
      if (wallet) debit.push(wallet.accountNumber);
    }
    const loan = c.accounts.find((a) => a.type === 'LOAN' && a.status === 'ACTIVE');
    const dormant = c.accounts.find((a) => a.status === 'DORMANT' && a.type !== 'LOAN');
    const phoneDigits = c.phone.replace(/\D/g, '');
    const prefix = phoneDigits.slice(3, 6);
    const h = hashString(c.customerRef);
    const domain = c.email?.split('@')[1];
    const employer = EMPLOYERS.find((e) => e[1] === domain)?.[0] ?? EMPLOYERS[h % EMPLOYERS.length]![0];
    const county = COUNTIES.find((k) => k.name === c.county) ?? COUNTIES[46]!;
    const devices = c.deviceIds.slice();
    const appUa = devices.length > 0 ? appUserAgent(devices[0]!) : appUserAgent(c.customerRef);
    const desktop = devices.length > 1;
    return {
      ref: c.customerRef,
      seg: c.segment,
      county,
      debit,
      loan: loan ? loan.accountNumber : null,
      dormant: dormant ? dormant.accountNumber : null,
      phoneDigits,
      airtel: AIRTEL_PREFIXES.includes(prefix),
      devices,
      appUa,
      webUa: desktop ? DESKTOP_UAS[hashString(devices[1]!) % DESKTOP_UAS.length]! : MOBILE_WEB_UA,
      webDevice: desktop ? devices[1] : devices[0],
      homeIp: c.homeIp,
      ussdUser: c.segment === 'RETAIL' && h % 100 < 22,
      employer,
      hash: h,
    };
  }

  // ----- time -----

  /** Sets the instant (epoch seconds) and global sequence number of the next payment. */
  setTime(instantSec: number, seq: number): void {
    const local = instantSec + NAIROBI_OFFSET_S;
    const day = Math.floor(local / DAY_S);
    if (day !== this.dayCache) {
      const [y, m, d] = civilFromDays(day);
      this.dayCache = day;
      this.dateIso = `${y}-${P2[m]}-${P2[d]}T`;
      this.dateCompact = `WKZ${y}${P2[m]}${P2[d]}`;
      this.month = m - 1;
      this.dom = d;
    }
    const tod = local - day * DAY_S;
    const h = Math.floor(tod / 3600);
    const rem = tod - h * 3600;
    const mi = Math.floor(rem / 60);
    this.timestamp = this.dateIso + P2[h] + ':' + P2[mi] + ':' + P2[rem - mi * 60] + '+03:00';
    this.reference = this.dateCompact + String(100_000_000 + this.scramble(seq % 100_000_000)).slice(1);
  }

  /**
   * A keyed bijection on [0, 1e8) (27-bit invertible mixer plus cycle walking): distinct sequence
   * numbers give distinct, random-looking 8-digit suffixes, so references are unique for up to
   * 100M payments per stream.
   */
  private scramble(seq: number): number {
    const mask = 0x7ffffff;
    const key = this.refKey;
    let x = seq;
    do {
      x = (x ^ key) & mask;
      x = Math.imul(x, 0x2c1b3c6d) & mask;
      x ^= x >>> 13;
      x = Math.imul(x, 0x297a2d39) & mask;
      x ^= x >>> 11;
      x = (x + (key >>> 5)) & mask;
    } while (x >= 100_000_000);
    return x;
  }

  // ----- customers and counterparties -----

  /** Activity-weighted customer (Walker/Vose alias method: O(1) per pick). */
  pickCustomer(): number {
    const u = this.rng.float() * this.aliasProb.length;
    const i = Math.floor(u);
    return this.active[u - i < this.aliasProb[i]! ? i : this.aliasIdx[i]!]!;
  }

  pickBusinessCustomer(): number {
    return this.rng.chance(0.6) ? this.businessActive[Math.floor(this.rng.float() * this.businessActive.length)]! : this.pickCustomer();
  }

  pickDormantCustomer(): number {
    return this.dormantPool.length === 0 ? -1 : this.dormantPool[Math.floor(this.rng.float() * this.dormantPool.length)]!;
  }

  private debitOf(c: CustCtx): string {
    return c.debit.length === 1 || this.rng.chance(0.8) ? c.debit[0]! : c.debit[1 + Math.floor(this.rng.float() * (c.debit.length - 1))]!;
  }

  private otherCustomer(self: number): CustCtx {
    const n = this.active.length;
    let idx = this.active[Math.floor(this.rng.float() * n)]!;
    if (idx === self && n > 1) idx = this.active[(this.active.indexOf(idx) + 1) % n]!;
    return this.custs[idx]!;
  }

  private randomPhone(airtel: boolean): string {
    const prefix = airtel
      ? AIRTEL_PREFIXES[Math.floor(this.rng.float() * AIRTEL_PREFIXES.length)]!
      : SAFARICOM_PREFIXES[Math.floor(this.rng.float() * SAFARICOM_PREFIXES.length)]!;
    return '254' + prefix + String(1_000_000 + Math.floor(this.rng.float() * 1_000_000)).slice(1);
  }

  /** A recurring payee of this customer (stable per customer and slot). */
  private favouritePhone(c: CustCtx, slot: number): string {
    const h = hash3(this.salt, c.hash, slot);
    return '254' + SAFARICOM_PREFIXES[h % SAFARICOM_PREFIXES.length]! + String(1_000_000 + (hash3(h, 7, slot) % 1_000_000)).slice(1);
  }

  private externalAccountFromHash(h1: number, h2: number): string {
    switch (h1 % 6) {
      case 0:
        return '11' + digitsFromHash(h2, h1, 8);
      case 1:
        return '0' + (2 + (h2 % 8)) + digitsFromHash(h1, h2, 11);
      case 2:
        return '011' + digitsFromHash(h2, h1, 11);
      case 3:
        return '10' + digitsFromHash(h2, h1, 8);
      case 4:
        return '20' + digitsFromHash(h2, h1, 8);
      default:
        return '0100' + digitsFromHash(h2, h1, 9);
    }
  }

  private favouriteAccount(c: CustCtx, slot: number): string {
    const h1 = hash3(this.salt, c.hash, 100 + slot);
    return this.externalAccountFromHash(h1, hash3(h1, c.hash, 3));
  }

  private randomExternalAccount(): string {
    return this.externalAccountFromHash(this.rng.next(), this.rng.next());
  }

  // ----- digital footprint -----

  private footprintFor(c: CustCtx, channel: Channel): [string | undefined, string | undefined, string | undefined] {
    if (channel === 'MOBILE') {
      if (this.rng.chance(0.003)) return [kenyanMobileIp(this.rng), 'dev-' + this.rng.hex(16), appUserAgent(c.ref + this.rng.next())];
      return [this.rng.chance(0.8) ? c.homeIp : kenyanMobileIp(this.rng), c.devices[0], c.appUa];
    }
    if (channel === 'WEB') return [this.rng.chance(0.9) ? c.homeIp : kenyanMobileIp(this.rng), c.webDevice, c.webUa];
    return [undefined, undefined, undefined];
  }

  // ----- amounts -----

  private logAmount(median: number, sigma: number, min: number, max: number): number {
    let x = this.rng.logNormalMedian(median, sigma);
    for (let i = 0; i < 3 && (x < min || x > max); i++) x = this.rng.logNormalMedian(median, sigma);
    return x < min ? min : Math.min(x, max);
  }

  /** M-PESA style: whole shillings, often round hundreds/thousands or a popular amount. */
  private mobileRound(x: number, max: number): number {
    const r = this.rng.float();
    if (r < 0.1) return this.popular(x, max);
    if (r < 0.45 && x >= 300) return Math.round(x / 100) * 100;
    if (r < 0.55 && x >= 5_000) return Math.round(x / 1000) * 1000;
    if (r < 0.6 && x >= 100) return Math.round(x / 50) * 50;
    return Math.max(1, Math.round(x));
  }

  /** Bank transfers: mostly whole shillings, sometimes cents. */
  private bankRound(x: number, max: number): number {
    const r = this.rng.float();
    if (r < 0.08) return this.popular(x, max);
    if (r < 0.45) return Math.round(x / 100) * 100 || 100;
    if (r < 0.62) return Math.round(x / 1000) * 1000 || 1000;
    if (r < 0.88) return Math.max(1, Math.round(x));
    return Math.round(x * 100) / 100;
  }

  private cents(x: number): number {
    return Math.max(0.01, Math.round(x * 100) / 100);
  }

  /** The nearest "round" amount people like to send (1,000, 2,500, 50,000, 3,000,000 …), at most max. */
  private popular(x: number, max: number): number {
    if (x > 400_000) {
      const unit = x >= 5_000_000 ? 1_000_000 : 100_000;
      const round = Math.round(x / unit) * unit;
      return round <= max ? round : Math.max(unit, Math.floor(x / unit) * unit);
    }
    let best = POPULAR_AMOUNTS[0]!;
    for (const p of POPULAR_AMOUNTS) {
      if (p > max) break;
      if (Math.abs(Math.log(p / x)) < Math.abs(Math.log(best / x))) best = p;
    }
    return best;
  }

  // ----- descriptions -----

  private estate(c: CustCtx): string {
    return c.county.estates.length > 0 ? c.county.estates[Math.floor(this.rng.float() * c.county.estates.length)]! : c.county.town;
  }

  private personalDescription(c: CustCtx): string | undefined {
    const r = this.rng.float() * 100;
    // Rent is paid in the first week, school fees at the start of term.
    const rentBoost = this.dom <= 7 ? 10 : 0;
    const feesBoost = this.month === 0 || this.month === 4 || this.month === 8 ? 5 : 0;
    if (r < 17) return undefined;
    if (r < 17 + 6 + rentBoost) return `Rent ${MONTHS[this.month]} – ${this.estate(c)}`;
    if (r < 27 + rentBoost + feesBoost) return 'School fees – ' + this.rng.pick(SCHOOLS);
    if (r < 31 + rentBoost + feesBoost) return 'Hospital bill – ' + this.rng.pick(HOSPITALS);
    if (r < 35 + rentBoost + feesBoost) return 'Chama contribution – ' + this.rng.pick(CHAMAS);
    if (r < 37 + rentBoost + feesBoost) return 'Fees – ' + this.rng.pick(UNIVERSITIES);
    if (r < 40 + rentBoost + feesBoost) return 'Sacco deposit – ' + this.rng.pick(SACCOS);
    return this.rng.pick(PERSONAL_DESCRIPTIONS);
  }

  private businessDescription(): string {
    const r = this.rng.float();
    if (r < 0.35) return 'Supplier payment INV-' + this.rng.int(1000, 9999);
    if (r < 0.45) return 'Payment for LPO ' + this.rng.int(1000, 9999);
    if (r < 0.55) return 'Casual wages wk ' + this.rng.int(1, 52);
    if (r < 0.62) return 'Transport – ' + this.rng.pick(['Mombasa Rd', 'Eldoret', 'Kisumu', 'Nakuru', 'Thika']);
    if (r < 0.7) return 'Stock purchase – ' + this.rng.pick(['Gikomba', 'Eastleigh', 'Kongowea', 'Marikiti', 'Industrial Area']);
    if (r < 0.77) return 'Commission ' + MONTHS[this.month];
    if (r < 0.84) return `Rent ${MONTHS[this.month]} – ${this.rng.pick(['Industrial Area godown', 'Westlands office', 'Shop – Moi Avenue', 'Ngara stall'])}`;
    if (r < 0.92) return 'Cement – ' + this.rng.pick(['Bamburi', 'Savannah', 'Mombasa Cement', 'Simba Cement']);
    return 'Refund – overpayment';
  }

  private payrollMonth(): string {
    return `${MONTHS[this.month]} ${this.dateIso.slice(0, 4)}`;
  }

  // ----- assembling -----

  private make(
    paymentType: string,
    instrument: string,
    clearing: string,
    source: PaymentInput['paymentSource'],
    amount: number,
    currency: string,
    channel: Channel,
    country: string,
    customerId: string,
    debtor: string,
    creditor: string,
    ip: string | undefined,
    device: string | undefined,
    ua: string | undefined,
    description: string | undefined,
  ): PaymentInput {
    const p: PaymentInput = {
      transactionReference: this.reference,
      tenantId: this.tenantId,
      paymentType,
      localInstrumentationCode: instrument,
      clearingSystemCode: clearing,
      paymentSource: source,
      amount,
      currency,
      timestamp: this.timestamp,
      channel,
      country,
      customerId,
      debtorAccount: debtor,
      creditorAccount: creditor,
    };
    if (ip !== undefined) p.ipAddress = ip;
    if (device !== undefined) p.deviceId = device;
    if (ua !== undefined) p.userAgent = ua;
    if (description !== undefined) p.description = description;
    return p;
  }

  private makeDigital(
    c: CustCtx,
    channel: Channel,
    paymentType: string,
    instrument: string,
    clearing: string,
    source: PaymentInput['paymentSource'],
    amount: number,
    currency: string,
    country: string,
    debtor: string,
    creditor: string,
    description: string | undefined,
  ): PaymentInput {
    const [ip, device, ua] = this.footprintFor(c, channel);
    return this.make(paymentType, instrument, clearing, source, amount, currency, channel, country, c.ref, debtor, creditor, ip, device, ua, description);
  }

  // ----- ordinary traffic -----

  normal(ci: number): PaymentInput {
    const rng = this.rng;
    const c = this.custs[ci]!;
    const flow = FLOWS_BY_SEGMENT[c.seg].pick(rng);
    switch (flow) {
      case F_B2C: {
        const channel = (c.ussdUser ? CH_USSD_USER : CH_MOBILE_MONEY).pick(rng);
        const r = rng.float();
        let to: string;
        if (r < 0.3) to = c.phoneDigits;
        else if (r < 0.75) to = this.favouritePhone(c, Math.floor(rng.float() * 6));
        else if (r < 0.85) to = this.otherCustomer(ci).phoneDigits;
        else to = this.randomPhone(false);
        const debtor = this.debitOf(c);
        if (debtor === 'MW-' + to) to = this.favouritePhone(c, 0); // wallet-only customers
        const business = c.seg !== 'RETAIL' && rng.chance(0.6);
        const amount = this.mobileRound(this.logAmount(business ? 6_000 : 2_000, 1.1, 50, 250_000), 250_000);
        const desc = business
          ? rng.chance(0.5)
            ? 'Casual wages wk ' + rng.int(1, 52)
            : this.businessDescription()
          : to === c.phoneDigits
            ? rng.chance(0.5)
              ? 'To own M-PESA'
              : undefined
            : this.personalDescription(c);
        return this.makeDigital(c, channel, 'MOBILE_MONEY', 'MPESA_B2C', 'MPESA', 'BANK_CLIENT', amount, 'KES', 'KE', debtor, 'MW-' + to, desc);
      }
      case F_PAYBILL: {
        const channel = (c.ussdUser ? CH_USSD_USER : CH_MOBILE_MONEY).pick(rng);
        const biller = BILLER_TABLE.pick(rng);
        if (biller === null) {
          // School fees and sacco paybills.
          if (rng.chance(0.7)) {
            const s = Math.floor(rng.float() * SCHOOLS.length);
            const amount = Math.round(this.logAmount(18_000, 0.8, 1_000, 250_000) / 100) * 100;
            return this.makeDigital(
              c,
              channel,
              'MOBILE_MONEY',
              'MPESA_PAYBILL',
              'MPESA',
              'BANK_CLIENT',
              amount,
              'KES',
              'KE',
              this.debitOf(c),
              'PB-' + this.schoolPaybills[s],
              'School fees – ' + SCHOOLS[s],
            );
          }
          const amount = this.mobileRound(this.logAmount(4_000, 0.9, 200, 150_000), 150_000);
          return this.makeDigital(
            c,
            channel,
            'MOBILE_MONEY',
            'MPESA_PAYBILL',
            'MPESA',
            'BANK_CLIENT',
            amount,
            'KES',
            'KE',
            this.debitOf(c),
            'PB-' + String(400_000 + (c.hash % 500_000)),
            'Sacco deposit – ' + SACCOS[c.hash % SACCOS.length],
          );
        }
        const raw = this.logAmount(biller.median, biller.sigma, biller.min, biller.max);
        const amount = rng.chance(0.5) ? Math.max(50, Math.round(raw / 50) * 50) : Math.max(1, Math.round(raw));
        return this.makeDigital(
          c,
          channel,
          'MOBILE_MONEY',
          'MPESA_PAYBILL',
          'MPESA',
          'BANK_CLIENT',
          amount,
          'KES',
          'KE',
          this.debitOf(c),
          'PB-' + biller.paybill,
          biller.desc[Math.floor(rng.float() * biller.desc.length)],
        );
      }
      case F_BUYGOODS: {
        const channel = (c.ussdUser ? CH_USSD_USER : CH_MOBILE_MONEY).pick(rng);
        const amount = Math.max(10, Math.round(this.logAmount(650, 1, 10, 150_000)));
        const till =
          'TILL-' +
          (rng.chance(0.7) ? String(100_000 + (hash3(this.salt, c.hash, 200 + Math.floor(rng.float() * 8)) % 9_900_000)) : String(rng.int(100_000, 9_999_999)));
        const desc = rng.pick(BUYGOODS_DESCRIPTIONS);
        return this.makeDigital(c, channel, 'MOBILE_MONEY', 'MPESA_BUYGOODS', 'MPESA', 'BANK_CLIENT', amount, 'KES', 'KE', this.debitOf(c), till, desc);
      }
      case F_AIRTEL: {
        const channel = rng.chance(0.5) ? 'USSD' : 'MOBILE';
        const debtor = this.debitOf(c);
        const to = c.airtel && rng.chance(0.4) && debtor !== 'MW-' + c.phoneDigits ? c.phoneDigits : this.randomPhone(true);
        const amount = this.mobileRound(this.logAmount(1_200, 1.1, 50, 150_000), 150_000);
        return this.makeDigital(
          c,
          channel,
          'MOBILE_MONEY',
          'AIRTEL_MONEY',
          'AIRTEL',
          'BANK_CLIENT',
          amount,
          'KES',
          'KE',
          debtor,
          'MW-' + to,
          this.personalDescription(c),
        );
      }
      case F_C2B_IN: {
        const creditor = this.debitOf(c);
        const from = c.seg === 'RETAIL' && rng.chance(0.7) && creditor !== 'MW-' + c.phoneDigits ? c.phoneDigits : this.randomPhone(false);
        const amount = this.mobileRound(this.logAmount(c.seg === 'RETAIL' ? 3_500 : 7_000, 1.15, 10, 250_000), 250_000);
        const desc =
          from === c.phoneDigits
            ? 'M-PESA deposit'
            : c.seg === 'RETAIL'
              ? this.personalDescription(c)
              : rng.pick(['Customer payment', 'Goods', 'Invoice ' + rng.int(100, 9999), 'Order ' + rng.int(1000, 99999)]);
        return this.make(
          'MOBILE_MONEY',
          'MPESA_C2B',
          'MPESA',
          'CLEARING_SYSTEM',
          amount,
          'KES',
          'MOBILE',
          'KE',
          c.ref,
          'MW-' + from,
          creditor,
          undefined,
          undefined,
          undefined,
          desc,
        );
      }
      case F_PESALINK_OUT: {
        const channel = CH_PESALINK.pick(rng);
        const business = c.seg !== 'RETAIL' && rng.chance(0.7);
        const to = rng.chance(0.6) ? this.favouriteAccount(c, Math.floor(rng.float() * 5)) : this.randomExternalAccount();
        const amount = this.bankRound(this.logAmount(business ? 60_000 : 12_000, 1.2, 100, 999_999), 999_999);
        return this.makeDigital(
          c,
          channel,
          'INSTANT_TRANSFER',
          'PESALINK',
          'IPSL',
          'BANK_CLIENT',
          amount,
          'KES',
          'KE',
          this.debitOf(c),
          to,
          business ? this.businessDescription() : this.personalDescription(c),
        );
      }
      case F_PESALINK_IN: {
        const amount = this.bankRound(this.logAmount(c.seg === 'RETAIL' ? 10_000 : 45_000, 1.2, 100, 999_999), 999_999);
        const desc =
          c.seg === 'RETAIL'
            ? this.personalDescription(c)
            : rng.pick(['Customer payment', 'Invoice settlement', 'Payment for goods', 'Deposit – order ' + rng.int(1000, 99999)]);
        return this.make(
          'INSTANT_TRANSFER',
          'PESALINK',
          'IPSL',
          'CLEARING_SYSTEM',
          amount,
          'KES',
          CH_INCOMING.pick(rng),
          'KE',
          c.ref,
          this.randomExternalAccount(),
          this.debitOf(c),
          undefined,
          undefined,
          undefined,
          desc,
        );
      }
      case F_INTERNAL: {
        const other = this.otherCustomer(ci);
        const channel = CH_INTERNAL.pick(rng);
        const amount = this.bankRound(this.logAmount(8_000, 1.3, 50, 2_000_000), 2_000_000);
        return this.makeDigital(
          c,
          channel,
          'INTERNAL_TRANSFER',
          'BOOK',
          'INTERNAL',
          'BOTH',
          amount,
          'KES',
          'KE',
          this.debitOf(c),
          other.debit[0]!,
          this.personalDescription(c),
        );
      }
      case F_EFT_OUT: {
        const channel = CH_EFT.pick(rng);
        let amount: number;
        let desc: string;
        const r = rng.float();
        if (c.seg === 'RETAIL') {
          amount = this.cents(this.logAmount(15_000, 1, 500, 2_000_000));
          desc = rng.pick([
            'Insurance premium – Jubilee',
            'Insurance premium – Britam',
            'Sacco deposit – ' + rng.pick(SACCOS),
            'Fees – ' + rng.pick(UNIVERSITIES),
            'Standing order',
          ]);
        } else if (r < (this.dom >= 24 ? 0.6 : 0.15)) {
          amount = this.cents(this.logAmount(c.seg === 'CORPORATE' ? 180_000 : 60_000, 0.8, 8_000, 5_000_000));
          desc = rng.pick(['Payroll ', 'Salary ', 'Salaries ']) + this.payrollMonth();
        } else if (r < 0.4) {
          amount = this.cents(this.logAmount(60_000, 1.2, 1_000, 10_000_000));
          desc = rng.pick(['PAYE ', 'NSSF remittance ', 'SHIF contribution ', 'Housing levy ']) + this.payrollMonth();
        } else {
          amount = this.cents(this.logAmount(85_000, 1.3, 500, 20_000_000));
          desc = this.businessDescription();
        }
        return this.makeDigital(
          c,
          channel,
          'EFT',
          'ACH',
          'KBA_ACH',
          'BANK_CLIENT',
          amount,
          'KES',
          'KE',
          this.debitOf(c),
          rng.chance(0.5) ? this.favouriteAccount(c, 10 + Math.floor(rng.float() * 8)) : this.randomExternalAccount(),
          desc,
        );
      }
      case F_EFT_IN: {
        const salary = c.seg === 'RETAIL' || c.seg === 'PRIVATE_BANKING' ? rng.chance(0.8) : rng.chance(0.1);
        const amount = salary
          ? this.cents(this.logAmount(c.seg === 'PRIVATE_BANKING' ? 450_000 : 65_000, 0.7, 8_000, 3_000_000))
          : this.cents(this.logAmount(95_000, 1.2, 500, 20_000_000));
        const payer = c.hash % 7 === 0 ? 'Teachers Service Commission' : c.hash % 7 === 1 ? `County Government of ${c.county.name}` : c.employer;
        const desc = salary
          ? `Salary ${this.payrollMonth()} – ${payer}`
          : rng.pick(['Invoice settlement', 'Payment – INV-' + rng.int(1000, 9999), 'Refund', 'Dividend', 'Insurance claim settlement']);
        const debtor = this.externalAccountFromHash(hash3(this.salt, c.hash, 999), hash3(this.salt, c.hash, 998));
        return this.make(
          'EFT',
          'ACH',
          'KBA_ACH',
          'CLEARING_SYSTEM',
          amount,
          'KES',
          rng.chance(0.85) ? 'WEB' : 'BRANCH',
          'KE',
          c.ref,
          salary ? debtor : this.randomExternalAccount(),
          this.debitOf(c),
          undefined,
          undefined,
          undefined,
          desc,
        );
      }
      case F_RTGS_OUT: {
        const channel = CH_HIGH_VALUE.pick(rng);
        const amount = this.bankRound(this.logAmount(2_800_000, 0.8, 1_000_000, 50_000_000), 50_000_000);
        const desc = rng.pick([
          'Land purchase – ' + rng.pick(['Kitengela plot', 'Ruiru plot', 'Syokimau plot', 'Nanyuki plot']),
          'Vehicle purchase – ' + rng.pick(['Toyota Prado', 'Isuzu FRR', 'Toyota Hilux', 'Mercedes Actros']),
          'Supplier settlement INV-' + rng.int(1000, 9999),
          'Construction – phase ' + rng.int(1, 4) + ' payment',
          'Fertilizer stock – ' + rng.pick(['Eldoret', 'Nakuru', 'Kitale']),
          'Capital injection',
          'KRA – corporation tax',
          'Property deposit – ' + rng.pick(['Syokimau', 'Kilimani', 'Nyali', 'Milimani']),
        ]);
        return this.makeDigital(c, channel, 'RTGS', 'KEPSS', 'KEPSS', 'BANK_CLIENT', amount, 'KES', 'KE', this.debitOf(c), this.randomExternalAccount(), desc);
      }
      case F_RTGS_IN: {
        const amount = this.bankRound(this.logAmount(2_500_000, 0.8, 1_000_000, 50_000_000), 50_000_000);
        const desc = rng.pick([
          `Tender payment – County Government of ${c.county.name}`,
          'Sale of land',
          'Loan disbursement',
          'Dividend',
          'Proceeds – vehicle sale',
          'Contract payment – certificate ' + rng.int(1, 12),
        ]);
        return this.make(
          'RTGS',
          'KEPSS',
          'KEPSS',
          'CLEARING_SYSTEM',
          amount,
          'KES',
          CH_HIGH_VALUE.pick(rng),
          'KE',
          c.ref,
          this.randomExternalAccount(),
          this.debitOf(c),
          undefined,
          undefined,
          undefined,
          desc,
        );
      }
      case F_CARD_POS: {
        // Card-present payments at a merchant or agent terminal (there is no POS channel).
        const mi = Math.floor(rng.float() * MERCHANTS.length);
        const m = MERCHANTS[mi]!;
        let amount = this.logAmount(m.median, m.sigma, 50, m.max);
        amount = m.round > 0 ? Math.max(m.round, Math.round(amount / m.round) * m.round) : rng.chance(0.4) ? this.cents(amount) : Math.round(amount);
        return this.make(
          'CARD_PAYMENT',
          'POS',
          rng.chance(0.7) ? 'VISA' : 'MASTERCARD',
          'BANK_CLIENT',
          amount,
          'KES',
          'AGENT',
          'KE',
          c.ref,
          this.debitOf(c),
          this.merchantIds[mi]!,
          undefined,
          undefined,
          undefined,
          m.prefix + m.name,
        );
      }
      case F_CARD_ECOM: {
        const channel = CH_ECOM.pick(rng);
        const m = ECOM_TABLE.pick(rng);
        const raw = this.logAmount(m.median, m.sigma, m.currency === 'KES' ? 50 : 1, m.currency === 'KES' ? 300_000 : 3_000);
        const amount = m.currency === 'KES' ? Math.round(raw) : this.cents(raw);
        return this.makeDigital(
          c,
          channel,
          'CARD_PAYMENT',
          'ECOM',
          rng.chance(0.65) ? 'VISA' : 'MASTERCARD',
          'BANK_CLIENT',
          amount,
          m.currency,
          m.country,
          this.debitOf(c),
          this.ecomIds[ECOM.indexOf(m)]!,
          m.desc(rng),
        );
      }
      case F_ATM: {
        const amount = Math.min(40_000, Math.max(500, Math.round(this.logAmount(4_000, 0.8, 500, 40_000) / 500) * 500));
        const local = rng.chance(0.85);
        const code = local ? c.county.atm : rng.chance(0.6) ? 'NBI' : rng.pick(COUNTIES).atm;
        const atm = `ATM-${code}-${pad(local ? (c.hash + Math.floor(rng.float() * 3)) % 200 : rng.int(0, 199), 4)}`;
        return this.make(
          'CASH_WITHDRAWAL',
          'ATM',
          rng.chance(0.8) ? 'INTERNAL' : 'KENSWITCH',
          'BANK_CLIENT',
          amount,
          'KES',
          'ATM',
          'KE',
          c.ref,
          this.debitOf(c),
          atm,
          undefined,
          undefined,
          undefined,
          'ATM cash withdrawal',
        );
      }
      case F_AGENT_WD: {
        const amount = Math.max(100, Math.round(this.logAmount(3_000, 1, 100, 100_000) / 50) * 50);
        const agent = 'AGT-' + String(100_000 + ((c.hash + Math.floor(rng.float() * 2) * 7919) % 900_000));
        return this.make(
          'CASH_WITHDRAWAL',
          'AGENT',
          'INTERNAL',
          'BANK_CLIENT',
          amount,
          'KES',
          'AGENT',
          'KE',
          c.ref,
          this.debitOf(c),
          agent,
          undefined,
          undefined,
          undefined,
          'Agent cash withdrawal',
        );
      }
      case F_SWIFT_OUT: {
        const corridor = SWIFT_OUT_TABLE.pick(rng);
        const amount = this.cents(this.logAmount(corridor.currency === 'GBP' ? 3_200 : 4_500, 1.1, 200, 70_000));
        const channel = CH_HIGH_VALUE.pick(rng);
        return this.makeDigital(
          c,
          channel,
          'SWIFT_TRANSFER',
          'MT103',
          'SWIFT',
          'BANK_CLIENT',
          amount,
          corridor.currency,
          corridor.country,
          this.debitOf(c),
          foreignAccount(rng, corridor.country),
          rng.pick(corridor.purposes),
        );
      }
      case F_SWIFT_IN: {
        const corridor = SWIFT_IN_TABLE.pick(rng);
        const purpose = rng.pick(corridor.purposes);
        const amount = this.cents(this.logAmount(purpose.startsWith('Export') ? 9_000 : 450, purpose.startsWith('Export') ? 1 : 0.9, 50, 60_000));
        const remitter = personName(rng, MIX_TABLE.pick(rng), rng.chance(0.5));
        const desc = purpose.endsWith('remittance') || purpose === 'Remittance' ? `${purpose} – ${remitter.first} ${remitter.surname}` : purpose;
        return this.make(
          'SWIFT_TRANSFER',
          'MT103',
          'SWIFT',
          'CLEARING_SYSTEM',
          amount,
          corridor.currency,
          'WEB',
          corridor.country,
          c.ref,
          foreignAccount(rng, corridor.country),
          this.debitOf(c),
          undefined,
          undefined,
          undefined,
          desc,
        );
      }
      case F_REGIONAL: {
        const uganda = rng.chance(0.55);
        const country = uganda ? 'UG' : 'TZ';
        const currency = uganda ? 'UGX' : 'TZS';
        const kes = this.logAmount(120_000, 1, 5_000, 3_000_000);
        const amount = Math.max(1000, Math.round(kes / KES_PER_UNIT[currency]! / 1000) * 1000);
        const eaps = rng.chance(0.6);
        return this.makeDigital(
          c,
          CH_HIGH_VALUE.pick(rng),
          eaps ? 'CROSS_BORDER_TRANSFER' : 'SWIFT_TRANSFER',
          eaps ? 'EAPS' : 'MT103',
          eaps ? 'EAPS' : 'SWIFT',
          'BANK_CLIENT',
          amount,
          currency,
          country,
          this.debitOf(c),
          foreignAccount(rng, country),
          rng.pick(REGIONAL_PURPOSES[country]!),
        );
      }
      default: {
        // F_LOAN: repayment to the customer's own loan account, else to another lender's paybill.
        const channel = (c.ussdUser ? CH_USSD_USER : CH_LOAN).pick(rng);
        const amount = this.cents(this.logAmount(c.seg === 'RETAIL' ? 8_500 : 60_000, 0.9, 500, 5_000_000));
        if (c.loan !== null) {
          return this.makeDigital(
            c,
            channel,
            'INTERNAL_TRANSFER',
            'BOOK',
            'INTERNAL',
            'BANK_CLIENT',
            amount,
            'KES',
            'KE',
            this.debitOf(c),
            c.loan,
            `Loan repayment ${this.payrollMonth()}`,
          );
        }
        return this.makeDigital(
          c,
          channel,
          'MOBILE_MONEY',
          'MPESA_PAYBILL',
          'MPESA',
          'BANK_CLIENT',
          Math.round(Math.min(amount, this.logAmount(150_000, 0.3, 50_000, 250_000))),
          'KES',
          'KE',
          this.debitOf(c),
          'PB-522522',
          'Loan repayment – KCB',
        );
      }
    }
  }

  // ----- risky traffic -----

  /** One payment of a single-payment scenario; returns the scenario actually used. */
  risky(scenario: number): [PaymentInput, number] {
    const rng = this.rng;
    switch (scenario) {
      case S_LARGE: {
        const c = this.custs[this.pickBusinessCustomer()]!;
        if (rng.chance(0.65)) {
          const amount = rng.chance(0.5)
            ? Math.round(this.logAmount(18_000_000, 0.6, 10_500_000, 95_000_000) / 1000) * 1000
            : this.cents(this.logAmount(18_000_000, 0.6, 10_500_000, 95_000_000));
          const desc = rng.pick([
            'Property purchase – Karen',
            'Land purchase – Kajiado',
            'Investment – fixed income',
            'Loan settlement',
            'Share purchase',
            'Project financing – phase 2',
            'Consultancy fees',
            'Payment',
            undefined,
          ]);
          if (rng.chance(0.25)) {
            return [
              this.make(
                'RTGS',
                'KEPSS',
                'KEPSS',
                'CLEARING_SYSTEM',
                amount,
                'KES',
                'WEB',
                'KE',
                c.ref,
                this.randomExternalAccount(),
                c.debit[0]!,
                undefined,
                undefined,
                undefined,
                desc,
              ),
              S_LARGE,
            ];
          }
          return [
            this.makeDigital(
              c,
              CH_HIGH_VALUE.pick(rng),
              'RTGS',
              'KEPSS',
              'KEPSS',
              'BANK_CLIENT',
              amount,
              'KES',
              'KE',
              c.debit[0]!,
              this.randomExternalAccount(),
              desc,
            ),
            S_LARGE,
          ];
        }
        const currency = rng.weighted([
          ['USD', 70],
          ['EUR', 15],
          ['GBP', 15],
        ] as const);
        const minForeign = Math.ceil(10_600_000 / KES_PER_UNIT[currency]!);
        const amount = this.cents(this.logAmount(minForeign * 1.8, 0.6, minForeign, minForeign * 9));
        const country = rng.pick(['US', 'GB', 'CN', 'ZA', 'CH', 'MU', 'DE']);
        const desc = rng.pick([
          'Investment – offshore fund',
          'Property purchase – abroad',
          'Equipment import',
          'Consultancy fees',
          'Dividend repatriation',
          'Loan repayment – offshore lender',
        ]);
        return [
          this.makeDigital(
            c,
            CH_HIGH_VALUE.pick(rng),
            'SWIFT_TRANSFER',
            'MT103',
            'SWIFT',
            'BANK_CLIENT',
            amount,
            currency,
            country,
            c.debit[0]!,
            foreignAccount(rng, country),
            desc,
          ),
          S_LARGE,
        ];
      }
      case S_HIGH_RISK_COUNTRY:
      case S_ELEVATED_COUNTRY: {
        const c = this.custs[this.pickCustomer()]!;
        let country: string;
        let desc: string;
        if (scenario === S_HIGH_RISK_COUNTRY) {
          country = HIGH_RISK_DESTINATIONS.pick(rng);
          desc = rng.pick([
            'Family support',
            'Trade settlement',
            'Consultancy',
            'Goods – invoice ' + rng.int(1000, 9999),
            'Charity donation',
            'Business investment',
            'Medical support',
          ]);
        } else if (rng.chance(0.5)) {
          country = 'NG';
          desc = rng.pick(['Crude oil deal – deposit', 'Investment return', 'Business partnership – Lagos', 'Contract payment – Abuja', 'Car import – Lagos']);
        } else {
          country = 'AE';
          desc = rng.pick([
            'Gold purchase – Dubai',
            'Electronics stock – Deira',
            'Property deposit – Dubai Marina',
            'Trade settlement – Jebel Ali',
            'Visa and work permit fees',
          ]);
        }
        const amount = this.cents(this.logAmount(scenario === S_HIGH_RISK_COUNTRY ? 6_000 : 12_000, 0.9, 500, 150_000));
        if (rng.chance(0.2)) {
          return [
            this.make(
              'SWIFT_TRANSFER',
              'MT103',
              'SWIFT',
              'CLEARING_SYSTEM',
              amount,
              'USD',
              'WEB',
              country,
              c.ref,
              foreignAccount(rng, country),
              c.debit[0]!,
              undefined,
              undefined,
              undefined,
              desc,
            ),
            scenario,
          ];
        }
        return [
          this.makeDigital(
            c,
            CH_HIGH_VALUE.pick(rng),
            'SWIFT_TRANSFER',
            'MT103',
            'SWIFT',
            'BANK_CLIENT',
            amount,
            'USD',
            country,
            c.debit[0]!,
            foreignAccount(rng, country),
            desc,
          ),
          scenario,
        ];
      }
      case S_NIGHT: {
        const c = this.custs[this.pickCustomer()]!;
        const channel: Channel = rng.chance(0.8) ? 'MOBILE' : 'WEB';
        const desc = rng.pick([undefined, undefined, 'Urgent', 'Emergency', 'Loan', 'Payment', 'Business']);
        if (rng.chance(0.45)) {
          const amount = Math.round(this.logAmount(150_000, 0.4, 70_000, 250_000) / 1000) * 1000;
          return [
            this.makeDigital(
              c,
              channel,
              'MOBILE_MONEY',
              'MPESA_B2C',
              'MPESA',
              'BANK_CLIENT',
              amount,
              'KES',
              'KE',
              c.debit[0]!,
              'MW-' + this.randomPhone(rng.chance(0.2)),
              desc,
            ),
            S_NIGHT,
          ];
        }
        const amount = this.bankRound(this.logAmount(450_000, 0.5, 200_000, 999_999), 999_999);
        return [
          this.makeDigital(
            c,
            channel,
            'INSTANT_TRANSFER',
            'PESALINK',
            'IPSL',
            'BANK_CLIENT',
            amount,
            'KES',
            'KE',
            c.debit[0]!,
            this.randomExternalAccount(),
            desc,
          ),
          S_NIGHT,
        ];
      }
      case S_SUSPICIOUS_DESC: {
        const c = this.custs[this.pickCustomer()]!;
        const desc = rng.pick(SUSPICIOUS_DESCRIPTIONS);
        const r = rng.float();
        if (r < 0.15 || desc === 'Gift card purchase') {
          const amount = this.cents(this.logAmount(400, 0.8, 50, 3_000));
          return [
            this.makeDigital(
              c,
              'WEB',
              'CARD_PAYMENT',
              'ECOM',
              'VISA',
              'BANK_CLIENT',
              amount,
              'USD',
              'US',
              c.debit[0]!,
              'MID-' + rng.digits(15),
              rng.pick(['Gift card purchase', 'Steam gift cards', 'iTunes gift cards x5']),
            ),
            S_SUSPICIOUS_DESC,
          ];
        }
        if (r < 0.45) {
          const amount = this.mobileRound(this.logAmount(60_000, 0.7, 10_000, 250_000), 250_000);
          return [
            this.makeDigital(
              c,
              rng.chance(0.8) ? 'MOBILE' : 'USSD',
              'MOBILE_MONEY',
              'MPESA_B2C',
              'MPESA',
              'BANK_CLIENT',
              amount,
              'KES',
              'KE',
              c.debit[0]!,
              'MW-' + this.randomPhone(false),
              desc,
            ),
            S_SUSPICIOUS_DESC,
          ];
        }
        if (r < 0.85) {
          const amount = this.bankRound(this.logAmount(180_000, 0.8, 20_000, 999_999), 999_999);
          return [
            this.makeDigital(
              c,
              CH_PESALINK.pick(rng),
              'INSTANT_TRANSFER',
              'PESALINK',
              'IPSL',
              'BANK_CLIENT',
              amount,
              'KES',
              'KE',
              c.debit[0]!,
              this.randomExternalAccount(),
              desc,
            ),
            S_SUSPICIOUS_DESC,
          ];
        }
        const amount = this.cents(this.logAmount(5_000, 0.9, 300, 60_000));
        const country = rng.pick(['SC', 'KY', 'VG', 'LT']);
        return [
          this.makeDigital(
            c,
            'WEB',
            'SWIFT_TRANSFER',
            'MT103',
            'SWIFT',
            'BANK_CLIENT',
            amount,
            'USD',
            country,
            c.debit[0]!,
            foreignAccount(rng, country),
            desc,
          ),
          S_SUSPICIOUS_DESC,
        ];
      }
      case S_ROUND: {
        const c = this.custs[this.pickBusinessCustomer()]!;
        const desc = rng.pick([undefined, 'Payment', 'Transfer', 'Investment', 'Loan', 'Deposit']);
        if (rng.chance(0.6)) {
          const amount = rng.pick([2_000_000, 3_000_000, 5_000_000, 5_000_000, 5_000_000, 10_000_000, 15_000_000, 20_000_000]);
          return [
            this.makeDigital(
              c,
              CH_HIGH_VALUE.pick(rng),
              'RTGS',
              'KEPSS',
              'KEPSS',
              'BANK_CLIENT',
              amount,
              'KES',
              'KE',
              c.debit[0]!,
              this.randomExternalAccount(),
              desc,
            ),
            S_ROUND,
          ];
        }
        const amount = rng.pick([300_000, 500_000, 500_000, 700_000, 900_000]);
        return [
          this.makeDigital(
            c,
            CH_PESALINK.pick(rng),
            'INSTANT_TRANSFER',
            'PESALINK',
            'IPSL',
            'BANK_CLIENT',
            amount,
            'KES',
            'KE',
            c.debit[0]!,
            this.randomExternalAccount(),
            desc,
          ),
          S_ROUND,
        ];
      }
      default: {
        // S_DORMANT: a long-dormant account suddenly sends a large transfer.
        const ci = this.pickDormantCustomer();
        if (ci < 0) return this.risky(S_SUSPICIOUS_DESC);
        const c = this.custs[ci]!;
        const channel: Channel = rng.chance(0.6) ? 'MOBILE' : 'WEB';
        const fresh = rng.chance(0.5);
        const [ip0, dev0, ua0] = this.footprintFor(c, channel);
        const ip = fresh ? (rng.chance(0.5) ? foreignIp(rng) : kenyanMobileIp(rng)) : ip0;
        const dev = fresh ? 'dev-' + rng.hex(16) : dev0;
        const ua = fresh ? (channel === 'MOBILE' ? rng.pick(FRAUD_APP_UAS) : rng.pick(FRAUD_WEB_UAS)) : ua0;
        const pesalink = rng.chance(0.7);
        const amount = pesalink
          ? this.bankRound(this.logAmount(500_000, 0.4, 300_000, 999_999), 999_999)
          : this.bankRound(this.logAmount(1_800_000, 0.4, 1_000_000, 3_000_000), 3_000_000);
        return [
          this.make(
            pesalink ? 'INSTANT_TRANSFER' : 'RTGS',
            pesalink ? 'PESALINK' : 'KEPSS',
            pesalink ? 'IPSL' : 'KEPSS',
            'BANK_CLIENT',
            amount,
            'KES',
            channel,
            'KE',
            c.ref,
            c.dormant!,
            this.randomExternalAccount(),
            ip,
            dev,
            ua,
            rng.pick([undefined, 'Payment', 'Transfer', 'Family']),
          ),
          S_DORMANT,
        ];
      }
    }
  }

  planBurst(scenario: number): Burst {
    const rng = this.rng;
    if (scenario === S_NEW_DEVICE) {
      const cust = this.pickCustomer();
      const channel: Channel = rng.chance(0.6) ? 'MOBILE' : 'WEB';
      const pesalink = rng.chance(0.6);
      return {
        scenario,
        cust,
        device: 'dev-' + rng.hex(16),
        ip: foreignIp(rng),
        ua: channel === 'MOBILE' ? rng.pick(FRAUD_APP_UAS) : rng.pick(FRAUD_WEB_UAS),
        channel,
        pesalink,
        creditor: pesalink ? this.randomExternalAccount() : 'MW-' + this.randomPhone(false),
        desc: rng.pick([undefined, undefined, 'Payment', 'Loan', 'Upkeep', 'Transfer']),
      };
    }
    // Structuring: several transfers just under KES 1,000,000 on the same day.
    const cust = this.pickCustomer();
    const c = this.custs[cust]!;
    const channel: Channel = rng.weighted([
      ['MOBILE', 40],
      ['WEB', 35],
      ['BRANCH', 25],
    ] as const);
    const [ip, device, ua] = this.footprintFor(c, channel);
    return {
      scenario,
      cust,
      device: device ?? '',
      ip: ip ?? '',
      ua: ua ?? '',
      channel,
      pesalink: rng.chance(0.65),
      creditor: rng.chance(0.4) ? this.randomExternalAccount() : '',
      desc: rng.pick([undefined, 'Supplier payment', 'Goods', 'Deposit', 'Business', 'Stock']),
    };
  }

  burstPayment(b: Burst): PaymentInput {
    const rng = this.rng;
    const c = this.custs[b.cust]!;
    const opt = (s: string): string | undefined => (s === '' ? undefined : s);
    if (b.scenario === S_NEW_DEVICE) {
      const amount = b.pesalink
        ? this.bankRound(this.logAmount(250_000, 0.6, 50_000, 999_999), 999_999)
        : Math.round(this.logAmount(120_000, 0.5, 30_000, 250_000) / 500) * 500;
      return b.pesalink
        ? this.make(
            'INSTANT_TRANSFER',
            'PESALINK',
            'IPSL',
            'BANK_CLIENT',
            amount,
            'KES',
            b.channel,
            'KE',
            c.ref,
            c.debit[0]!,
            b.creditor,
            b.ip,
            b.device,
            b.ua,
            b.desc,
          )
        : this.make(
            'MOBILE_MONEY',
            'MPESA_B2C',
            'MPESA',
            'BANK_CLIENT',
            amount,
            'KES',
            b.channel,
            'KE',
            c.ref,
            c.debit[0]!,
            b.creditor,
            b.ip,
            b.device,
            b.ua,
            b.desc,
          );
    }
    const amount = rng.pick([990_000, 990_000, 995_000, 985_000, 998_000, 999_000, 990_000, 980_000, 999_500]);
    const creditor = b.creditor !== '' ? b.creditor : this.randomExternalAccount();
    return b.pesalink
      ? this.make(
          'INSTANT_TRANSFER',
          'PESALINK',
          'IPSL',
          'BANK_CLIENT',
          amount,
          'KES',
          b.channel,
          'KE',
          c.ref,
          c.debit[0]!,
          creditor,
          opt(b.ip),
          opt(b.device),
          opt(b.ua),
          b.desc,
        )
      : this.make(
          'EFT',
          'ACH',
          'KBA_ACH',
          'BANK_CLIENT',
          amount,
          'KES',
          b.channel,
          'KE',
          c.ref,
          c.debit[0]!,
          creditor,
          opt(b.ip),
          opt(b.device),
          opt(b.ua),
          b.desc,
        );
  }
}

// ---------------------------------------------------------------------------------------------
// Payment stream
// ---------------------------------------------------------------------------------------------

const TAG_SPACE = 1_048_576; // key = offsetSeconds * TAG_SPACE + tag
const TAG_BURST = 32;

function* paymentStream(options: DemoPaymentsOptions, sink: { scenario: DemoRiskScenario | null }): Generator<PaymentInput> {
  const { days, paymentsPerDay, now, customers } = options;
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a non-negative integer, got ${days}`);
  if (!Number.isInteger(paymentsPerDay) || paymentsPerDay < 0) throw new RangeError(`paymentsPerDay must be a non-negative integer, got ${paymentsPerDay}`);
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('now must be a valid Date');
  const riskyShare = options.riskyShare ?? 0.04;
  if (!(riskyShare >= 0 && riskyShare <= 1)) throw new RangeError(`riskyShare must be within [0, 1], got ${riskyShare}`);
  if (days === 0 || paymentsPerDay === 0) return;

  const rng = createRng(deriveSeed(options.seed, 0x9a7e17));
  const factory = new PaymentFactory(rng, customers, options.seed, options.tenantId ?? 'WEKEZA-KE');
  if (factory.activeCount === 0) throw new RangeError('payments need at least one customer with an active CURRENT/SAVINGS/MOBILE_WALLET account');

  // Share of planned events that are risky, so that about `riskyShare` of payments are.
  const pEvent = riskyShare / (MEAN_EVENT_SIZE * (1 - riskyShare) + riskyShare);
  const hours = new WeightedTable(HOUR_WEIGHTS.map((w, h) => [h, w] as const));
  const fraudHours = new WeightedTable(HOUR_WEIGHTS.map((w, h) => [h, h < 5 || h >= 21 ? w * 4 : w] as const));
  // Whole seconds, so that formatted timestamps stay within [now - days, now].
  const firstSec = Math.ceil((nowMs - days * DAY_MS) / 1000);
  const keys = new Float64Array(paymentsPerDay);
  let seq = 0;

  for (let d = 0; d < days; d++) {
    const startSec = firstSec + d * DAY_S;
    const startTod = (((startSec + NAIROBI_OFFSET_S) % DAY_S) + DAY_S) % DAY_S;
    const offsetOf = (tod: number): number => (tod - startTod + DAY_S) % DAY_S;
    const bursts: Burst[] = [];
    let n = 0;
    while (n < paymentsPerDay) {
      if (riskyShare === 0 || rng.float() >= pEvent) {
        keys[n++] = offsetOf(hours.pick(rng) * 3600 + Math.floor(rng.float() * 3600)) * TAG_SPACE;
        continue;
      }
      const scenario = SCENARIO_TABLE.pick(rng);
      if (scenario === S_NIGHT) {
        keys[n++] = offsetOf(Math.floor(rng.float() * 5 * 3600)) * TAG_SPACE + S_NIGHT;
      } else if ((scenario === S_NEW_DEVICE || scenario === S_STRUCTURING) && bursts.length < TAG_SPACE - TAG_BURST) {
        const size = Math.min(paymentsPerDay - n, (scenario === S_NEW_DEVICE ? NEW_DEVICE_BURST : STRUCTURING_BURST).pick(rng));
        const tag = TAG_BURST + bursts.length;
        bursts.push(factory.planBurst(scenario));
        const table = scenario === S_NEW_DEVICE ? fraudHours : hours;
        let offset = offsetOf(table.pick(rng) * 3600 + Math.floor(rng.float() * 3600));
        const gaps: number[] = [];
        let span = 0;
        for (let j = 1; j < size; j++) {
          const gap = scenario === S_NEW_DEVICE ? rng.int(40, 480) : rng.int(15 * 60, 110 * 60);
          gaps.push(gap);
          span += gap;
        }
        if (offset + span >= DAY_S) offset = DAY_S - 1 - span;
        keys[n++] = offset * TAG_SPACE + tag;
        for (const gap of gaps) {
          offset += gap;
          keys[n++] = offset * TAG_SPACE + tag;
        }
      } else {
        keys[n++] = offsetOf(hours.pick(rng) * 3600 + Math.floor(rng.float() * 3600)) * TAG_SPACE + scenario;
      }
    }
    keys.sort();

    for (let i = 0; i < paymentsPerDay; i++) {
      const key = keys[i]!;
      const offset = Math.floor(key / TAG_SPACE);
      const tag = key - offset * TAG_SPACE;
      factory.setTime(startSec + offset, seq++);
      let payment: PaymentInput;
      if (tag === 0) {
        payment = factory.normal(factory.pickCustomer());
        sink.scenario = null;
      } else if (tag >= TAG_BURST) {
        const burst = bursts[tag - TAG_BURST]!;
        payment = factory.burstPayment(burst);
        sink.scenario = SCENARIO_NAMES[burst.scenario]!;
      } else {
        const [p, used] = factory.risky(tag);
        payment = p;
        sink.scenario = SCENARIO_NAMES[used]!;
      }
      yield payment;
    }
  }
}
