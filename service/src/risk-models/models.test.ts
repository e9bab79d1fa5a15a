import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeLiquidity } from './liquidity.ts';
import { computeMarket } from './market.ts';
import { computeCredit, creditInputs, type CreditLoan } from './credit.ts';

const T = { timeout: 10_000 };
const close = (actual: number | null, expected: number, what: string) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-4, `${what}: ${actual} ≠ ${expected}`);
const liquidity = (
  level1: number,
  level2a: number,
  level2b: number,
  outflows30d: number,
  inflows30d: number,
  asf: number | null = null,
  rsf: number | null = null,
) =>
  computeLiquidity({
    asOf: '2026-11-20T00:00:00.000Z',
    currency: 'KES',
    level1,
    level2a,
    level2b,
    outflows30d,
    inflows30d,
    availableStableFunding: asf,
    requiredStableFunding: rsf,
  });

describe('the liquidity model (Basel III LCR and NSFR), worked by hand', T, () => {
  it('L1 100, L2A 50, L2B 30, outflows 200, inflows 180: no cap binds, inflows capped at 75 %', () => {
    // After haircuts: L1 100, L2A 50 × 0.85 = 42.5, L2B 30 × 0.5 = 15.
    // adj15 = max(15 − 15/85 × 142.5, 15 − 15/60 × 100, 0) = max(−10.15, −10, 0) = 0
    // adj40 = max(42.5 + 15 − 0 − 2/3 × 100, 0) = max(−9.17, 0) = 0  → HQLA = 157.5
    // Net outflows = 200 − min(180, 0.75 × 200 = 150) = 50 → LCR = 157.5 / 50 = 315 %.
    const r = liquidity(100, 50, 30, 200, 180);
    assert.deepEqual(r.afterHaircut, { level1: 100, level2a: 42.5, level2b: 15 });
    assert.equal(r.adjustment15, 0);
    assert.equal(r.adjustment40, 0);
    assert.equal(r.hqla, 157.5);
    assert.equal(r.inflowsCounted, 150);
    assert.equal(r.netOutflows, 50);
    assert.equal(r.lcr, 315);
    assert.equal(r.meetsLcrMinimum, true);
    assert.equal(r.nsfr, null);
  });

  it('the 40 % Level 2 cap: L1 10, L2A 100 counts only L1 / 0.6', () => {
    // L2A after haircut 85; adj40 = 85 − 2/3 × 10 = 78.333…; HQLA = 10 + 85 − 78.333 = 16.667 (L2 = 40 % of it).
    const r = liquidity(10, 100, 0, 100, 0);
    close(r.adjustment40, 78.333333, 'adjustment40');
    close(r.hqla, 16.666667, 'HQLA');
    close(r.lcr, 16.666667, 'LCR');
    assert.equal(r.meetsLcrMinimum, false);
  });

  it('the 15 % Level 2B cap: L1 100, L2B 100, inflows below the cap', () => {
    // L2B after haircut 50; adj15 = max(50 − 15/85 × 100, 50 − 15/60 × 100, 0) = max(32.353, 25) = 32.353;
    // adj40 = max(50 − 32.353 − 66.667, 0) = 0; HQLA = 150 − 32.353 = 117.647 (L2B 17.647 = 15 %).
    // Net outflows = 100 − min(20, 75) = 80 → LCR = 147.059 %.
    const r = liquidity(100, 0, 100, 100, 20);
    close(r.adjustment15, 32.352941, 'adjustment15');
    close(r.hqla, 117.647059, 'HQLA');
    close(r.afterHaircut.level2b - r.adjustment15, 0.15 * r.hqla, 'L2B is 15 % of HQLA');
    assert.equal(r.netOutflows, 80);
    close(r.lcr, 147.058824, 'LCR');
  });

  it('both caps at once: L1 30, L2A 60, L2B 60 → HQLA 50 = 60 % L1, 40 % L2 of which 15 % L2B', () => {
    // After haircuts 30, 51, 30. adj15 = max(30 − 15/85 × 81, 30 − 15/60 × 30, 0) = max(15.71, 22.5) = 22.5.
    // adj40 = max(51 + 30 − 22.5 − 2/3 × 30, 0) = 38.5. HQLA = 111 − 22.5 − 38.5 = 50.
    const r = liquidity(30, 60, 60, 40, 0);
    assert.equal(r.adjustment15, 22.5);
    assert.equal(r.adjustment40, 38.5);
    assert.equal(r.hqla, 50);
    assert.equal(r.lcr, 125);
  });

  it('NSFR = available / required stable funding', () => {
    const r = liquidity(100, 0, 0, 100, 0, 1200, 1000);
    assert.equal(r.nsfr, 120);
    assert.equal(r.meetsNsfrMinimum, true);
    assert.equal(liquidity(100, 0, 0, 100, 0, 900, 1000).meetsNsfrMinimum, false);
  });
});

describe('the credit model, worked by hand', T, () => {
  const M = 1_000_000;
  const loan = (sector: string, balance: number, daysPastDue = 0, provision = 0, status = 'ACTIVE'): CreditLoan => ({
    sector,
    balance: balance * M,
    daysPastDue,
    provision: provision * M,
    collateral: 0,
    status,
  });
  const loans = [
    loan('Real Estate', 45),
    loan('Real Estate', 15, 120, 2), // NPL, provision 13.3 % < 20 %: 150 % of (15 − 2) = 19.5
    loan('Agriculture', 50),
    loan('Trade', 30, 95, 9), // NPL, provision 30 % ≥ 20 %: 100 % of (30 − 9) = 21
    loan('Manufacturing', 10),
  ];
  const at = new Date('2026-11-20T12:00:00.000Z');

  it('concentration by sector, NPL ratio, provision coverage and risk-weighted assets', () => {
    const { inputs, customers } = creditInputs(loans, [], at);
    const r = computeCredit(inputs, customers);
    assert.equal(r.totalExposure, 150 * M);
    // Real Estate 60 / 150 = 40 % (High), Agriculture 33.3 % (High), Trade 20 % (Medium), Manufacturing 6.7 % (Low).
    assert.deepEqual(
      r.concentrationRisks.map((c) => [c.sector, Math.round(c.percentage * 100) / 100, c.riskLevel]),
      [
        ['Real Estate', 40, 'High'],
        ['Agriculture', 33.33, 'High'],
        ['Trade', 20, 'Medium'],
        ['Manufacturing', 6.67, 'Low'],
      ],
    );
    assert.deepEqual(r.largestSector, { sector: 'Real Estate', percentage: 40 });
    // NPL = 15 + 30 = 45 of 150 = 30 %; provisions 11 / NPL 45 = 24.444 %.
    assert.equal(r.nplBalance, 45 * M);
    assert.equal(r.nplRatio, 30);
    close(r.provisionCoverage, 24.444444, 'provision coverage');
    // RWA = 45 + 19.5 + 50 + 21 + 10 = 145.5.
    assert.equal(r.riskWeightedAssets, 145.5 * M);
  });

  it('a defaulted loan is non-performing whatever its days past due', () => {
    const { inputs } = creditInputs([loan('Trade', 10, 0, 0, 'DEFAULTED'), loan('Trade', 30)], [], at);
    assert.equal(computeCredit(inputs, []).nplRatio, 25);
  });

  it('large-transaction frequency (30 days) and velocity (24 hours) per customer', () => {
    const hour = 3_600_000;
    const big = (customerRef: string, hoursAgo: number) => ({ customerRef, amountKes: 12 * M, occurredAt: at.getTime() - hoursAgo * hour });
    const { inputs, customers } = creditInputs(
      loans,
      [big('CUST-A', 1), big('CUST-A', 5), big('CUST-A', 23), big('CUST-A', 240), big('CUST-B', 2), big('CUST-B', 30)],
      at,
    );
    const r = computeCredit(inputs, customers);
    assert.deepEqual(
      r.largeTransactions.customers.map((c) => [c.customerRef, c.count, c.velocity]),
      [
        ['CUST-A', 4, 3],
        ['CUST-B', 2, 1],
      ],
    );
    assert.equal(r.largeTransactions.maxVelocity, 3);
    assert.equal(inputs.largeTransaction.paymentsConsidered, 6);
  });
});

describe('the market model (FX net open position, shorthand method)', T, () => {
  it('nets each currency, takes the larger of net longs and net shorts, and compares it with capital', () => {
    // USD +300, EUR −150, GBP −70: net long 300, net short 220 → aggregate 300 = 15 % of 2000.
    const r = computeMarket({
      asOf: '2026-11-20T00:00:00.000Z',
      capital: 2000,
      positions: [
        { currency: 'EUR', long: 100, short: 250 },
        { currency: 'USD', long: 500, short: 200 },
        { currency: 'GBP', long: 50, short: 120 },
      ],
    });
    assert.deepEqual(
      r.byCurrency.map((p) => [p.currency, p.net]),
      [
        ['USD', 300],
        ['EUR', -150],
        ['GBP', -70],
      ],
    );
    assert.equal(r.totalNetLong, 300);
    assert.equal(r.totalNetShort, 220);
    assert.equal(r.aggregateOpenPosition, 300);
    assert.equal(r.shareOfCapital, 15);
    assert.equal(r.largestCurrency, 'USD');
  });
});
