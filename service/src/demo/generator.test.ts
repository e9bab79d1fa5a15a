import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PaymentInput } from '../../../shared/src/payments.ts';
import { Customer } from '../../../shared/src/customers.ts';
import {
  KENYA_COUNTIES,
  createRng,
  generateDemoBank,
  generateDemoCustomers,
  generateLabelledPayments,
  generatePayments,
  type DemoBankOptions,
  type DemoCustomer,
} from './generator.ts';

const DAY_MS = 86_400_000;
// An instant with milliseconds, in the middle of a Nairobi morning.
const NOW = new Date('2025-06-15T06:42:17.345Z');
const SMALL: DemoBankOptions = { seed: 20250615, customers: 300, days: 14, paymentsPerDay: 800, now: NOW };

// Independent reference data (deliberately not imported from the generator).
const COUNTIES_47 = [
  'Mombasa',
  'Kwale',
  'Kilifi',
  'Tana River',
  'Lamu',
  'Taita-Taveta',
  'Garissa',
  'Wajir',
  'Mandera',
  'Marsabit',
  'Isiolo',
  'Meru',
  'Tharaka-Nithi',
  'Embu',
  'Kitui',
  'Machakos',
  'Makueni',
  'Nyandarua',
  'Nyeri',
  'Kirinyaga',
  "Murang'a",
  'Kiambu',
  'Turkana',
  'West Pokot',
  'Samburu',
  'Trans Nzoia',
  'Uasin Gishu',
  'Elgeyo-Marakwet',
  'Nandi',
  'Baringo',
  'Laikipia',
  'Nakuru',
  'Narok',
  'Kajiado',
  'Kericho',
  'Bomet',
  'Kakamega',
  'Vihiga',
  'Bungoma',
  'Busia',
  'Siaya',
  'Kisumu',
  'Homa Bay',
  'Migori',
  'Kisii',
  'Nyamira',
  'Nairobi',
];
const KES_PER_UNIT: Record<string, number> = { KES: 1, USD: 129, EUR: 140, GBP: 165, UGX: 0.035, TZS: 0.05 };
const RISKY_COUNTRIES = new Set(['IR', 'KP', 'SY', 'MM', 'AF', 'YE', 'SO', 'NG', 'AE']);
const KENYAN_IP = /^(105\.(16\d|17[0-5])\.|41\.90\.|41\.80\.|197\.232\.|154\.159\.)/;

function nairobiHour(timestamp: string): number {
  assert.match(timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/);
  return Number(timestamp.slice(11, 13));
}

function kesEquivalent(p: PaymentInput): number {
  const rate = KES_PER_UNIT[p.currency];
  assert.ok(rate !== undefined, `unexpected currency ${p.currency}`);
  return p.amount * rate;
}

function isRiskyByIndependentCheck(p: PaymentInput): boolean {
  return kesEquivalent(p) >= 10_000_000 || RISKY_COUNTRIES.has(p.country) || nairobiHour(p.timestamp) < 5;
}

let smallBank: ReturnType<typeof generateDemoBank> | undefined;
function bank(): ReturnType<typeof generateDemoBank> {
  smallBank ??= generateDemoBank(SMALL);
  return smallBank;
}

function shareOf<T>(items: readonly T[], pred: (item: T) => boolean): number {
  let n = 0;
  for (const item of items) if (pred(item)) n++;
  return n / items.length;
}

test('createRng is deterministic and its helpers stay in range', () => {
  const a = createRng(7);
  const b = createRng(7);
  const c = createRng(8);
  const seqA = Array.from({ length: 50 }, () => a.next());
  assert.deepEqual(
    seqA,
    Array.from({ length: 50 }, () => b.next()),
  );
  assert.notDeepEqual(
    seqA,
    Array.from({ length: 50 }, () => c.next()),
  );

  const r = createRng(123);
  const seen = new Set<number>();
  let sum = 0;
  let sumSq = 0;
  const n = 20_000;
  for (let i = 0; i < n; i++) {
    const f = r.float();
    assert.ok(f >= 0 && f < 1);
    const k = r.int(3, 7);
    assert.ok(Number.isInteger(k) && k >= 3 && k <= 7);
    seen.add(k);
    const z = r.normal();
    sum += z;
    sumSq += z * z;
  }
  assert.deepEqual([...seen].sort(), [3, 4, 5, 6, 7], 'int() covers both bounds');
  assert.ok(Math.abs(sum / n) < 0.05, 'normal() mean ≈ 0');
  assert.ok(Math.abs(sumSq / n - 1) < 0.05, 'normal() variance ≈ 1');
  assert.equal(r.hex(16).length, 16);
  assert.match(r.hex(16), /^[0-9a-f]{16}$/);
  assert.match(r.digits(13), /^\d{13}$/);
  const picks = new Map<string, number>();
  for (let i = 0; i < 10_000; i++) {
    const w = r.weighted([
      ['a', 1],
      ['b', 9],
    ] as const);
    picks.set(w, (picks.get(w) ?? 0) + 1);
  }
  assert.ok((picks.get('b') ?? 0) > 8_500 && (picks.get('b') ?? 0) < 9_500, 'weighted() honours weights');
  assert.throws(() => createRng(1.5), RangeError);
});

test('same seed and options give byte-identical output; another seed differs', () => {
  const first = bank();
  const second = generateDemoBank(SMALL);
  assert.deepStrictEqual(second, first);
  assert.equal(JSON.stringify(second), JSON.stringify(first));

  const other = generateDemoBank({ ...SMALL, seed: SMALL.seed + 1 });
  assert.notDeepStrictEqual(other.customers, first.customers);
  assert.notDeepStrictEqual(other.payments, first.payments);
  const sameNames = shareOf(other.customers, (c) => first.customers.some((f) => f.nationalId === c.nationalId));
  assert.ok(sameNames < 0.05, 'a different seed gives different customers');
});

test('every customer passes the Customer schema and looks Kenyan', () => {
  const customers = generateDemoCustomers({ seed: 99, count: 5_000, now: NOW });
  assert.equal(customers.length, 5_000);
  const counties = new Set(COUNTIES_47);
  assert.equal(counties.size, 47);
  assert.deepEqual([...KENYA_COUNTIES].sort(), [...counties].sort());
  const seenCounties = new Set<string>();
  const today = NOW.toISOString().slice(0, 10);
  const fifteenYearsAgo = new Date(NOW.getTime() - 15.01 * 365.25 * DAY_MS).toISOString().slice(0, 10);
  for (const c of customers) {
    Customer.omit({ id: true }).parse(c);
    assert.match(c.customerRef, /^CIF-\d{8}$/);
    assert.match(c.nationalId, /^[1-3]\d{7}$/);
    assert.match(c.phone, /^\+254(7\d{8}|1\d{8})$/);
    if (c.email !== null) assert.match(c.email, /^[a-z0-9.]+@[a-z0-9.-]+\.[a-z]+$/);
    assert.ok(counties.has(c.county), `unknown county ${c.county}`);
    seenCounties.add(c.county);
    assert.ok(c.customerSince >= fifteenYearsAgo && c.customerSince <= today, c.customerSince);
    assert.ok(c.accounts.length >= 1 && c.accounts.length <= 3);
    for (const a of c.accounts) {
      if (a.type === 'MOBILE_WALLET') assert.equal(a.accountNumber, 'MW-' + c.phone.slice(1));
      else assert.match(a.accountNumber, /^01\d{11}$/);
      assert.ok(a.openedOn >= c.customerSince && a.openedOn <= today);
    }
    assert.ok(c.deviceIds.length >= 1 && c.deviceIds.length <= 2);
    for (const d of c.deviceIds) assert.match(d, /^dev-[0-9a-f]{16}$/);
    assert.match(c.homeIp, KENYAN_IP);
    const words = c.fullName.split(' ');
    assert.ok(words.length >= 2 && words.length <= 4, c.fullName);
    assert.ok(!/lorem|ipsum|test/i.test(c.fullName));
  }
  assert.ok(seenCounties.size >= 45, `only ${seenCounties.size} counties used`);
  const nairobi = shareOf(customers, (c) => c.county === 'Nairobi');
  const lamu = shareOf(customers, (c) => c.county === 'Lamu');
  assert.ok(nairobi > 0.06 && nairobi < 0.13 && lamu < 0.01, 'counties weighted by population');

  const unique = (values: string[]): void => assert.equal(new Set(values).size, values.length);
  unique(customers.map((c) => c.customerRef));
  unique(customers.map((c) => c.nationalId));
  unique(customers.map((c) => c.phone));
  unique(customers.flatMap((c) => c.accounts.map((a) => a.accountNumber)));
  unique(customers.flatMap((c) => c.deviceIds));
  unique(customers.flatMap((c) => (c.email === null ? [] : [c.email])));

  const ids23 = shareOf(customers, (c) => c.nationalId[0] === '2' || c.nationalId[0] === '3');
  assert.ok(ids23 > 0.85, 'national IDs mostly 2xxxxxxx–3xxxxxxx');
  const emails = shareOf(customers, (c) => c.email !== null);
  assert.ok(emails > 0.6 && emails < 0.8, `email share ${emails}`);
  assert.ok(shareOf(customers, (c) => c.segment === 'RETAIL') > 0.75);
  assert.ok(shareOf(customers, (c) => c.segment === 'PRIVATE_BANKING') < 0.05);
  assert.ok(shareOf(customers, (c) => c.kycStatus === 'VERIFIED') > 0.8);
  assert.ok(shareOf(customers, (c) => c.riskRating === 'LOW') > 0.65);
  const corporateEmails = customers.filter((c) => c.segment === 'CORPORATE' && c.email !== null);
  assert.ok(corporateEmails.length > 0 && corporateEmails.every((c) => c.email!.endsWith('.co.ke')), 'corporate e-mail at the employer');
});

test('every payment passes PaymentInput and is consistent with its customer', () => {
  const { customers, payments } = bank();
  assert.equal(payments.length, SMALL.days * SMALL.paymentsPerDay);
  const byRef = new Map<string, DemoCustomer>(customers.map((c) => [c.customerRef, c]));
  const allAccounts = new Set(customers.flatMap((c) => c.accounts.map((a) => a.accountNumber)));
  let homeIp = 0;
  let digital = 0;
  for (const p of payments) {
    assert.deepStrictEqual(PaymentInput.parse(p), p);
    assert.equal(p.tenantId, 'WEKEZA-KE');
    const c = byRef.get(p.customerId);
    assert.ok(c, `unknown customer ${p.customerId}`);
    const own = new Set(c.accounts.map((a) => a.accountNumber));
    // The demo always names both accounts (they are optional only in the contract).
    if (p.paymentSource === 'BANK_CLIENT') assert.ok(own.has(p.debtorAccount ?? ''), 'outgoing from an own account');
    if (p.paymentSource === 'CLEARING_SYSTEM') assert.ok(own.has(p.creditorAccount ?? ''), 'incoming to an own account');
    if (p.paymentSource === 'BOTH') assert.ok(own.has(p.debtorAccount ?? '') && allAccounts.has(p.creditorAccount ?? ''), 'both sides are bank clients');
    assert.equal(p.transactionReference.slice(3, 11), p.timestamp.slice(0, 10).replaceAll('-', ''));
    assert.match(p.transactionReference, /^WKZ\d{16}$/);
    assert.notEqual(p.debtorAccount, p.creditorAccount, 'no transfers to the same account');

    if (p.paymentSource !== 'CLEARING_SYSTEM' && (p.channel === 'MOBILE' || p.channel === 'WEB')) {
      assert.ok(p.ipAddress && p.deviceId && p.userAgent, 'digital channels carry ip, device and user agent');
      if (p.channel === 'MOBILE' && c.deviceIds.includes(p.deviceId)) assert.match(p.userAgent, /^WekezaMobile\//);
      if (p.channel === 'WEB' && c.deviceIds.includes(p.deviceId)) assert.match(p.userAgent, /^Mozilla\/5\.0/);
      digital++;
      if (p.ipAddress === c.homeIp) homeIp++;
    }
    if (p.channel === 'USSD' || p.channel === 'ATM' || p.channel === 'BRANCH' || p.channel === 'AGENT') {
      assert.equal(p.ipAddress, undefined);
      assert.equal(p.deviceId, undefined);
    }

    // Instruments and clearing systems that belong together.
    switch (p.localInstrumentationCode) {
      case 'MPESA_B2C':
      case 'MPESA_PAYBILL':
      case 'MPESA_BUYGOODS':
      case 'MPESA_C2B':
        assert.equal(p.paymentType, 'MOBILE_MONEY');
        assert.equal(p.clearingSystemCode, 'MPESA');
        assert.ok(Number.isInteger(p.amount) && p.amount <= 250_000, `M-PESA amount ${p.amount}`);
        break;
      case 'AIRTEL_MONEY':
        assert.equal(p.clearingSystemCode, 'AIRTEL');
        assert.match(p.creditorAccount ?? '', /^MW-254(73|75|76|78|10)\d{7}$/);
        break;
      case 'PESALINK':
        assert.equal(p.paymentType, 'INSTANT_TRANSFER');
        assert.equal(p.clearingSystemCode, 'IPSL');
        assert.ok(p.amount <= 999_999);
        break;
      case 'KEPSS':
        assert.equal(p.paymentType, 'RTGS');
        assert.ok(p.amount >= 1_000_000 && p.amount <= 100_000_000, `RTGS amount ${p.amount}`);
        break;
      case 'ACH':
        assert.equal(p.paymentType, 'EFT');
        assert.equal(p.clearingSystemCode, 'KBA_ACH');
        break;
      case 'POS':
      case 'ECOM':
        assert.equal(p.paymentType, 'CARD_PAYMENT');
        assert.ok(p.clearingSystemCode === 'VISA' || p.clearingSystemCode === 'MASTERCARD');
        break;
      case 'MT103':
        assert.equal(p.paymentType, 'SWIFT_TRANSFER');
        assert.equal(p.clearingSystemCode, 'SWIFT');
        assert.notEqual(p.country, 'KE');
        assert.notEqual(p.currency, 'KES');
        break;
      default:
        break;
    }
    if (p.currency === 'UGX') assert.equal(p.country, 'UG');
    if (p.currency === 'TZS') assert.equal(p.country, 'TZ');
    if (p.country === 'KE') assert.equal(p.currency, 'KES');
  }
  assert.ok(digital > 0 && homeIp / digital > 0.6, `home IP share ${homeIp / digital}`);

  const types = new Set(payments.map((p) => p.localInstrumentationCode));
  for (const t of ['MPESA_B2C', 'MPESA_PAYBILL', 'AIRTEL_MONEY', 'PESALINK', 'KEPSS', 'ACH', 'POS', 'ECOM', 'MT103']) assert.ok(types.has(t), `missing ${t}`);
  const currencies = new Set(payments.map((p) => p.currency));
  for (const cur of ['KES', 'USD', 'EUR', 'GBP', 'UGX', 'TZS']) assert.ok(currencies.has(cur), `missing ${cur}`);
  const sources = payments.map((p) => p.paymentSource);
  const bankClient = shareOf(sources, (s) => s === 'BANK_CLIENT');
  const both = shareOf(sources, (s) => s === 'BOTH');
  assert.ok(bankClient > 0.65 && both > 0 && both < 0.08 && both < shareOf(sources, (s) => s === 'CLEARING_SYSTEM'));
  assert.ok(payments.every((p) => p.description === undefined || !/lorem|ipsum/i.test(p.description)));
});

test('references, timestamps and the daily rhythm', () => {
  const { payments } = bank();
  const refs = new Set(payments.map((p) => p.transactionReference));
  assert.equal(refs.size, payments.length, 'transaction references are unique');

  const from = NOW.getTime() - SMALL.days * DAY_MS;
  let previous = -Infinity;
  const hours = new Array<number>(24).fill(0);
  for (const p of payments) {
    assert.ok(p.timestamp.endsWith('+03:00'));
    const t = Date.parse(p.timestamp);
    assert.ok(t >= from && t <= NOW.getTime(), `timestamp ${p.timestamp} outside the window`);
    assert.ok(t >= previous, 'payments come in time order');
    previous = t;
    hours[nairobiHour(p.timestamp)]++;
  }
  const peak = hours[8] + hours[9] + hours[17] + hours[18] + hours[19];
  const night = hours[1] + hours[2] + hours[3];
  assert.ok(night > 0, 'there is still some night activity');
  assert.ok(peak > 15 * night, `peaks dominate the night (${peak} vs ${night})`);
  assert.ok(hours[9] > hours[14] && hours[18] > hours[14], 'morning and evening peaks');
});

test('channel mix contains all six channels with plausible shares', () => {
  const { payments } = bank();
  const channels = payments.map((p) => p.channel);
  for (const ch of ['MOBILE', 'USSD', 'WEB', 'ATM', 'BRANCH', 'AGENT'] as const) {
    assert.ok(shareOf(channels, (c) => c === ch) > 0.01, `channel ${ch} missing or rare`);
  }
  assert.ok(shareOf(channels, (c) => c === 'MOBILE') > 0.3, 'mobile is the main channel');
});

test('risky payments: a sane share by an independent check, and each scenario is what it claims', () => {
  const customers = generateDemoCustomers({ seed: 4242, count: 2_000, now: NOW });
  const options = { seed: 4242, customers, days: 20, paymentsPerDay: 2_000, now: NOW };
  const labelled = [...generateLabelledPayments(options)];
  const payments = labelled.map((l) => l.payment);
  assert.deepStrictEqual(payments, [...generatePayments(options)], 'labels do not change the stream');

  const risky = shareOf(payments, isRiskyByIndependentCheck);
  assert.ok(risky > 0.02 && risky < 0.08, `independent risky share ${risky}`);
  const quiet = [...generatePayments({ ...options, riskyShare: 0 })];
  const baseline = shareOf(quiet, isRiskyByIndependentCheck);
  assert.ok(risky - baseline > 0.005, `risky scenarios add to the baseline (${baseline} → ${risky})`);

  const labelledShare = shareOf(labelled, (l) => l.scenario !== null);
  assert.ok(labelledShare > 0.03 && labelledShare < 0.06, `labelled share ${labelledShare}`);
  assert.ok(shareOf(quiet, (p) => p.amount === 990_000) < 0.001, 'no structuring without risky scenarios');

  const byRef = new Map(customers.map((c) => [c.customerRef, c]));
  const highRisk = new Set(['IR', 'KP', 'SY', 'MM', 'AF', 'YE', 'SO']);
  const seen = new Set<string>();
  const structuringPerCustomerDay = new Map<string, number>();
  for (const { payment: p, scenario } of labelled) {
    if (scenario === null) continue;
    seen.add(scenario);
    const c = byRef.get(p.customerId)!;
    switch (scenario) {
      case 'LARGE_VALUE':
        assert.ok(kesEquivalent(p) >= 10_000_000 && ['RTGS', 'SWIFT_TRANSFER'].includes(p.paymentType));
        break;
      case 'HIGH_RISK_COUNTRY':
        assert.ok(highRisk.has(p.country), p.country);
        break;
      case 'ELEVATED_RISK_COUNTRY':
        assert.ok(p.country === 'NG' || p.country === 'AE', p.country);
        break;
      case 'NIGHT_HIGH_VALUE':
        assert.ok(nairobiHour(p.timestamp) < 5 && p.amount >= 70_000);
        break;
      case 'NEW_DEVICE_FOREIGN_IP':
        assert.ok(p.deviceId !== undefined && !c.deviceIds.includes(p.deviceId), 'device is new');
        assert.ok(p.ipAddress !== undefined && !KENYAN_IP.test(p.ipAddress), `foreign IP ${p.ipAddress}`);
        break;
      case 'STRUCTURING': {
        assert.ok(p.amount >= 980_000 && p.amount < 1_000_000, `just below the threshold: ${p.amount}`);
        const key = p.customerId + p.timestamp.slice(0, 10);
        structuringPerCustomerDay.set(key, (structuringPerCustomerDay.get(key) ?? 0) + 1);
        break;
      }
      case 'SUSPICIOUS_DESCRIPTION':
        assert.match(p.description ?? '', /urgent|investment|crypto|usdt|bitcoin|gift card|forex|fee|itunes|steam|supplier bank details/i);
        break;
      case 'ROUND_AMOUNT':
        assert.equal(p.amount % 100_000, 0);
        break;
      case 'DORMANT_REACTIVATION':
        assert.equal(c.accounts.find((a) => a.accountNumber === p.debtorAccount)?.status, 'DORMANT');
        break;
    }
  }
  assert.equal(seen.size, 9, `all scenarios present: ${[...seen].join(', ')}`);
  const bursts = [...structuringPerCustomerDay.values()];
  assert.ok(bursts.filter((n) => n >= 3).length >= bursts.length / 2, 'structuring comes as several transfers a day');
});

test('streaming generator yields paymentsPerDay × days items and validates options', () => {
  const customers = generateDemoCustomers({ seed: 5, count: 150, now: NOW });
  let n = 0;
  for (const p of generatePayments({ seed: 5, customers, days: 3, paymentsPerDay: 1_234, now: NOW, tenantId: 'ACME-KE' })) {
    assert.equal(p.tenantId, 'ACME-KE');
    n++;
  }
  assert.equal(n, 3 * 1_234);
  assert.equal([...generatePayments({ seed: 5, customers, days: 0, paymentsPerDay: 10, now: NOW })].length, 0);
  assert.equal([...generatePayments({ seed: 5, customers, days: 2, paymentsPerDay: 1, now: NOW })].length, 2);
  assert.throws(() => [...generatePayments({ seed: 5, customers: [], days: 1, paymentsPerDay: 10, now: NOW })], RangeError);
  assert.throws(() => [...generatePayments({ seed: 5, customers, days: 1.5, paymentsPerDay: 10, now: NOW })], RangeError);
  assert.throws(() => generateDemoCustomers({ seed: 5, count: -1, now: NOW }), RangeError);
  assert.throws(() => generateDemoCustomers({ seed: 5, count: 1, now: new Date(Number.NaN) }), RangeError);
});
