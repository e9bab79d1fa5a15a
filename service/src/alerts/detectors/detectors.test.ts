import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PATTERN_THRESHOLDS as D } from '../../../../shared/src/alert-threshold-defaults.ts';
import { AlertEvidence } from '../../../../shared/src/alerts.ts';
import { detectPayment } from './detect.ts';
import { detectEngineFailure, type EngineWindow } from './engine-failure.ts';
import { PaymentIndex, windowsFor } from './facts.ts';
import { countryDistanceKm } from './geo.ts';
import type { ContactChangeFact, DetectorCandidate, DetectorPayment, ThresholdMap, TriggerExtras } from './types.ts';

/** Pure detector tests: payments built in memory, facts cut by the same PaymentIndex the stream and backtests use. */

const T0 = Date.parse('2026-11-20T09:00:00.000Z');
const MIN = 60_000;
let seq = 0;

function pay(minutes: number, over: Partial<DetectorPayment> = {}): DetectorPayment {
  seq += 1;
  const atMs = T0 + minutes * MIN;
  return {
    assessmentId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    transactionReference: `TX-${seq}`,
    tenantId: 'WEKEZA-KE',
    customerRef: 'CIF-1',
    amountKes: 5_000,
    occurredAt: new Date(atMs).toISOString(),
    atMs,
    channel: 'MOBILE',
    country: 'KE',
    debtorAccount: '0100-CIF-1',
    creditorAccount: 'MW-1',
    deviceId: 'dev-1',
    riskLevel: 'LOW',
    caseId: null,
    deviceKnown: true,
    ruleHits: [],
    ...over,
  };
}

const NO_EXTRAS: TriggerExtras = { anomalyScore: null, configurationId: null, alerting: null, payeeKnown: null };

/** Runs one pattern's default (or given) thresholds on the trigger, with every payment in `all` stored. */
function run(
  pattern: keyof typeof D,
  trigger: DetectorPayment,
  all: DetectorPayment[],
  opts: { extras?: Partial<TriggerExtras>; changes?: ContactChangeFact[]; thresholds?: ThresholdMap } = {},
): DetectorCandidate[] {
  const thresholds = opts.thresholds ?? ({ [pattern]: D[pattern] } as ThresholdMap);
  const index = new PaymentIndex();
  index.add([...all, trigger]);
  index.addContactChanges(opts.changes ?? []);
  const found = detectPayment(index.factsFor(trigger, { ...NO_EXTRAS, ...opts.extras }, windowsFor(thresholds)), thresholds);
  for (const c of found) AlertEvidence.parse(c.evidence);
  return found.filter((c) => c.pattern === pattern);
}

describe('alert detectors (pure)', { timeout: 30_000 }, () => {
  it('STRUCTURING: three payments just below KES 1,000,000 within 72 h; not at the threshold, not counting later payments', () => {
    const a = pay(0, { amountKes: 950_000 });
    const b = pay(600, { amountKes: 990_000 });
    const c = pay(1200, { amountKes: 905_000 });
    const [alert] = run('STRUCTURING', c, [a, b]);
    assert.ok(alert);
    assert.equal(alert.entityType, 'CUSTOMER');
    assert.equal(alert.entityId, 'CIF-1');
    assert.equal(alert.severity, 'HIGH');
    assert.equal(alert.evidence.figures.count, 3);
    assert.equal(alert.evidence.payments.length, 3);
    assert.equal(alert.detectedAt, c.occurredAt);
    // At the threshold is not "below"; 899,999 is outside the 10 % band.
    assert.deepEqual(run('STRUCTURING', c, [a, pay(600, { amountKes: 1_000_000 })]), []);
    assert.deepEqual(run('STRUCTURING', c, [a, pay(600, { amountKes: 899_999 })]), []);
    // As of the trigger: a third payment after it does not complete the pattern for it.
    assert.deepEqual(run('STRUCTURING', b, [a, c]), []);
    // Outside the 72 h window.
    assert.deepEqual(run('STRUCTURING', c, [pay(1200 - 73 * 60, { amountKes: 950_000 }), b]), []);
  });

  it('FAN_IN: ten payers into one account within 24 h; nine are not enough', () => {
    const payers = Array.from({ length: 9 }, (_, i) => pay(i * 10, { customerRef: `CIF-P${i}`, debtorAccount: `ACC-P${i}`, creditorAccount: 'MULE-1' }));
    const tenth = pay(200, { customerRef: 'CIF-P9', debtorAccount: 'ACC-P9', creditorAccount: 'MULE-1' });
    const [alert] = run('FAN_IN', tenth, payers);
    assert.equal(alert?.entityType, 'ACCOUNT');
    assert.equal(alert?.entityId, 'MULE-1');
    assert.equal(alert?.evidence.figures.payers, 10);
    assert.deepEqual(run('FAN_IN', tenth, payers.slice(1)), []);
    // The same payer ten times is one payer.
    assert.deepEqual(
      run(
        'FAN_IN',
        tenth,
        Array.from({ length: 9 }, (_, i) => pay(i, { debtorAccount: 'ACC-P9', creditorAccount: 'MULE-1' })),
      ),
      [],
    );
  });

  it('FAN_OUT: one account paying ten payees within 24 h; ten payments to one payee are not', () => {
    const outs = Array.from({ length: 9 }, (_, i) => pay(i * 10, { creditorAccount: `PAYEE-${i}` }));
    const last = pay(120, { creditorAccount: 'PAYEE-9' });
    const [alert] = run('FAN_OUT', last, outs);
    assert.equal(alert?.entityId, '0100-CIF-1');
    assert.equal(alert?.evidence.figures.payees, 10);
    assert.deepEqual(
      run(
        'FAN_OUT',
        last,
        Array.from({ length: 9 }, (_, i) => pay(i * 10, { creditorAccount: 'PAYEE-9' })),
      ),
      [],
    );
  });

  it('RAPID_IN_OUT: KES 500,000 in, 90 % out within two hours; too little out, or too late, is not', () => {
    const inflow = pay(0, { customerRef: 'CIF-X', debtorAccount: 'ACC-X', creditorAccount: 'ACC-M', amountKes: 500_000 });
    const out1 = pay(30, { customerRef: 'CIF-M', debtorAccount: 'ACC-M', creditorAccount: 'ACC-Y', amountKes: 250_000 });
    const out2 = pay(60, { customerRef: 'CIF-M', debtorAccount: 'ACC-M', creditorAccount: 'ACC-Z', amountKes: 200_000 });
    const [alert] = run('RAPID_IN_OUT', out2, [inflow, out1]);
    assert.equal(alert?.entityId, 'ACC-M');
    assert.equal(alert?.evidence.figures.inKes, 500_000);
    assert.equal(alert?.evidence.figures.outKes, 450_000);
    assert.deepEqual(run('RAPID_IN_OUT', out1, [inflow]), [], '50 % out is below 80 %');
    const late = pay(180, { customerRef: 'CIF-M', debtorAccount: 'ACC-M', creditorAccount: 'ACC-Z', amountKes: 450_000 });
    assert.deepEqual(run('RAPID_IN_OUT', late, [inflow]), [], 'three hours later is outside the two-hour window');
    const small = pay(0, { debtorAccount: 'ACC-X', creditorAccount: 'ACC-M', amountKes: 150_000 });
    assert.deepEqual(run('RAPID_IN_OUT', pay(20, { debtorAccount: 'ACC-M', amountKes: 150_000 }), [small]), [], 'less than KES 200,000 in');
  });

  it('VELOCITY: more than ten payments, or more than KES 2,000,000, by one customer in an hour', () => {
    const ten = Array.from({ length: 10 }, (_, i) => pay(i * 5));
    const eleventh = pay(55);
    assert.equal(run('VELOCITY', eleventh, ten)[0]?.evidence.figures.count, 11);
    assert.deepEqual(run('VELOCITY', eleventh, ten.slice(1)), []);
    const big = run('VELOCITY', pay(10, { amountKes: 1_500_000 }), [pay(0, { amountKes: 600_000 })]);
    assert.equal(big[0]?.evidence.figures.totalKes, 2_100_000);
    // One large payment alone is not velocity, however large.
    assert.deepEqual(run('VELOCITY', pay(10, { amountKes: 5_000_000 }), []), []);
    // Other customers' payments do not count.
    assert.deepEqual(
      run(
        'VELOCITY',
        eleventh,
        Array.from({ length: 10 }, (_, i) => pay(i, { customerRef: `CIF-O${i}` })),
      ),
      [],
    );
  });

  it('GEO_IMPOSSIBLE_TRAVEL: Kenya then the United Kingdom two hours apart; Kenya then Uganda is possible', () => {
    assert.ok((countryDistanceKm('KE', 'GB') ?? 0) > 6000);
    assert.equal(countryDistanceKm('KE', 'ke'), 0);
    assert.equal(countryDistanceKm('KE', 'XX'), null);
    // ATM and agent payments place the customer; a remote payment's country is where the money goes.
    const ke = pay(0, { country: 'KE', channel: 'ATM' });
    const [alert] = run('GEO_IMPOSSIBLE_TRAVEL', pay(120, { country: 'GB', channel: 'ATM' }), [ke]);
    assert.equal(alert?.entityId, 'CIF-1');
    assert.ok(Number(alert?.evidence.figures.speedKmh) > 900);
    assert.equal(run('GEO_IMPOSSIBLE_TRAVEL', pay(120, { country: 'GB', channel: 'AGENT' }), [ke]).length, 1);
    assert.deepEqual(run('GEO_IMPOSSIBLE_TRAVEL', pay(120, { country: 'UG', channel: 'ATM' }), [ke]), []);
    assert.deepEqual(run('GEO_IMPOSSIBLE_TRAVEL', pay(25 * 60, { country: 'GB', channel: 'ATM' }), [ke]), [], 'outside the 24 h lookback');
    assert.deepEqual(run('GEO_IMPOSSIBLE_TRAVEL', pay(120, { country: 'GB', channel: 'BRANCH' }), [ke]), [], 'a branch payment’s country is the destination');
    assert.deepEqual(run('GEO_IMPOSSIBLE_TRAVEL', pay(120, { country: 'GB', channel: 'MOBILE' }), [ke]), [], 'a mobile transfer abroad is not travel');
    assert.deepEqual(run('GEO_IMPOSSIBLE_TRAVEL', pay(120, { country: 'KE', channel: 'ATM' }), [pay(60, { country: 'GB', channel: 'WEB' })]), []);
  });

  it('DEVICE_SHARED: four customers on one device within 24 h; three are not', () => {
    const others = ['CIF-A', 'CIF-B', 'CIF-C'].map((c, i) => pay(i * 60, { customerRef: c, deviceId: 'dev-shared' }));
    const [alert] = run('DEVICE_SHARED', pay(200, { customerRef: 'CIF-D', deviceId: 'dev-shared' }), others);
    assert.equal(alert?.entityType, 'DEVICE');
    assert.equal(alert?.entityId, 'dev-shared');
    assert.deepEqual(run('DEVICE_SHARED', pay(200, { customerRef: 'CIF-A', deviceId: 'dev-shared' }), others), []);
    assert.deepEqual(run('DEVICE_SHARED', pay(200, { customerRef: 'CIF-D', deviceId: null }), others), []);
  });

  it('DEVICE_CHURN: a customer on three new devices within 24 h; a known device does not trigger', () => {
    const fresh = [pay(0, { deviceId: 'd-1', deviceKnown: false }), pay(60, { deviceId: 'd-2', deviceKnown: false })];
    assert.equal(run('DEVICE_CHURN', pay(120, { deviceId: 'd-3', deviceKnown: false }), fresh)[0]?.evidence.figures.newDevices, 3);
    assert.deepEqual(run('DEVICE_CHURN', pay(120, { deviceId: 'd-1', deviceKnown: true }), fresh), []);
    // Without stored facts, "new" is "not seen earlier": d-1 again is not new.
    const unknown = [pay(0, { deviceId: 'd-1', deviceKnown: null }), pay(60, { deviceId: 'd-2', deviceKnown: null })];
    assert.deepEqual(run('DEVICE_CHURN', pay(120, { deviceId: 'd-1', deviceKnown: null }), unknown), []);
    assert.equal(run('DEVICE_CHURN', pay(120, { deviceId: 'd-3', deviceKnown: null }), unknown).length, 1);
  });

  it('ACCOUNT_TAKEOVER: new device, then changed phone, then a large transfer to a new payee — in that order only', () => {
    const newDevice = pay(0, { deviceId: 'dev-new', deviceKnown: false });
    const change: ContactChangeFact = { customerRef: 'CIF-1', field: 'PHONE', changedAt: new Date(T0 + 30 * MIN).toISOString(), atMs: T0 + 30 * MIN };
    const transfer = pay(90, { amountKes: 150_000, creditorAccount: 'NEW-PAYEE', deviceId: 'dev-new', deviceKnown: true });
    const [alert] = run('ACCOUNT_TAKEOVER', transfer, [newDevice], { changes: [change], extras: { payeeKnown: false } });
    assert.equal(alert?.severity, 'CRITICAL');
    assert.equal(alert?.evidence.figures.contactField, 'PHONE');
    assert.deepEqual(
      alert?.evidence.payments.map((p) => p.transactionReference).sort(),
      [newDevice.transactionReference, transfer.transactionReference].sort(),
    );
    // Contact change before the new device: not the takeover sequence.
    const early: ContactChangeFact = { ...change, changedAt: new Date(T0 - 10 * MIN).toISOString(), atMs: T0 - 10 * MIN };
    assert.deepEqual(run('ACCOUNT_TAKEOVER', transfer, [newDevice], { changes: [early], extras: { payeeKnown: false } }), []);
    // A payee paid before, or a small amount, or no contact change.
    assert.deepEqual(run('ACCOUNT_TAKEOVER', transfer, [newDevice], { changes: [change], extras: { payeeKnown: true } }), []);
    assert.deepEqual(run('ACCOUNT_TAKEOVER', { ...transfer, amountKes: 90_000 }, [newDevice], { changes: [change], extras: { payeeKnown: false } }), []);
    assert.deepEqual(run('ACCOUNT_TAKEOVER', transfer, [newDevice], { extras: { payeeKnown: false } }), []);
    // Another customer's contact change does not count.
    assert.deepEqual(run('ACCOUNT_TAKEOVER', transfer, [newDevice], { changes: [{ ...change, customerRef: 'CIF-2' }], extras: { payeeKnown: false } }), []);
  });

  it('HIGH_RISK_BURST: three HIGH/CRITICAL payments for a customer or merchant in an hour; by channel and tenant when asked', () => {
    const highs = [pay(0, { riskLevel: 'HIGH', creditorAccount: 'SHOP-1' }), pay(10, { riskLevel: 'CRITICAL', creditorAccount: 'SHOP-1' })];
    const trigger = pay(20, { riskLevel: 'HIGH', creditorAccount: 'SHOP-1' });
    const found = run('HIGH_RISK_BURST', trigger, highs);
    assert.deepEqual(found.map((c) => `${c.entityType}:${c.entityId}`).sort(), ['ACCOUNT:SHOP-1', 'CUSTOMER:CIF-1']);
    assert.equal(found[0]?.evidence.figures.critical, 1);
    assert.deepEqual(run('HIGH_RISK_BURST', { ...trigger, riskLevel: 'MEDIUM' }, highs), [], 'a payment that is not high-risk does not extend a burst');
    assert.deepEqual(run('HIGH_RISK_BURST', trigger, [highs[0]!, pay(10, { riskLevel: 'LOW', creditorAccount: 'SHOP-1' })]), []);
    const byChannel = { HIGH_RISK_BURST: { ...D.HIGH_RISK_BURST, groupBy: ['CHANNEL' as const, 'TENANT' as const] } };
    const spread = [pay(0, { riskLevel: 'HIGH', customerRef: 'CIF-A' }), pay(5, { riskLevel: 'HIGH', customerRef: 'CIF-B', channel: 'WEB' })];
    const channel = run('HIGH_RISK_BURST', pay(10, { riskLevel: 'HIGH', customerRef: 'CIF-C' }), spread, { thresholds: byChannel });
    assert.deepEqual(
      channel.map((c) => `${c.entityType}:${c.entityId}`),
      ['TENANT:WEKEZA-KE'],
      'two MOBILE + one WEB: the tenant has three, the channel two',
    );
  });

  it('UNUSUAL_TRANSACTION: anomaly score at or above 75 of 100', () => {
    const p = pay(0);
    assert.equal(run('UNUSUAL_TRANSACTION', p, [], { extras: { anomalyScore: 0.75 } })[0]?.entityType, 'PAYMENT');
    assert.deepEqual(run('UNUSUAL_TRANSACTION', p, [], { extras: { anomalyScore: 0.74 } }), []);
    assert.deepEqual(run('UNUSUAL_TRANSACTION', p, [], { extras: { anomalyScore: null } }), []);
  });

  it('RISKY_PAYMENT: at or above the deciding configuration version’s alert level, carrying the configuration', () => {
    const configurationId = '11111111-1111-4111-8111-111111111111';
    const alerting = { enabled: true, minRiskLevel: 'HIGH' as const, channels: ['EMAIL' as const], recipients: [] };
    const [alert] = run('RISKY_PAYMENT', pay(0, { riskLevel: 'CRITICAL' }), [], { extras: { alerting, configurationId } });
    assert.equal(alert?.severity, 'CRITICAL');
    assert.equal(alert?.configurationId, configurationId);
    assert.deepEqual(run('RISKY_PAYMENT', pay(0, { riskLevel: 'MEDIUM' }), [], { extras: { alerting, configurationId } }), []);
    assert.deepEqual(
      run('RISKY_PAYMENT', pay(0, { riskLevel: 'CRITICAL' }), [], { extras: { alerting: { ...alerting, enabled: false }, configurationId } }),
      [],
    );
    assert.deepEqual(run('RISKY_PAYMENT', pay(0, { riskLevel: 'CRITICAL' }), []), [], 'no alert settings (built-in default)');
  });

  it('ENGINE_FAILURE: error rate above 20 % of at least 20 calls, or the breaker open', () => {
    const w: EngineWindow = {
      tenantId: 'WEKEZA-KE',
      engine: 'Bank fraud engine',
      windowMinutes: 15,
      at: '2026-11-20T09:15:00.000Z',
      calls: 20,
      failed: 3,
      timedOut: 2,
      breakerOpen: 0,
      samples: [],
    };
    const alert = detectEngineFailure(w, D.ENGINE_FAILURE);
    assert.equal(alert?.entityType, 'ENGINE');
    assert.equal(alert?.evidence.figures.errorRate, 0.25);
    assert.equal(detectEngineFailure({ ...w, failed: 2, timedOut: 2 }, D.ENGINE_FAILURE), null, '20 % is not above 20 %');
    assert.equal(detectEngineFailure({ ...w, calls: 19, failed: 19, timedOut: 0 }, D.ENGINE_FAILURE), null, 'too few calls to judge a rate');
    assert.match(detectEngineFailure({ ...w, calls: 2, failed: 0, timedOut: 0, breakerOpen: 4 }, D.ENGINE_FAILURE)?.title ?? '', /circuit breaker open/);
  });

  it('evidence stays within the schema’s limits for large patterns', () => {
    const many = Array.from({ length: 400 }, (_, i) => pay(i % 50, { customerRef: `CIF-${i}`, debtorAccount: `A-${i}`, creditorAccount: 'MULE-9' }));
    const [alert] = run('FAN_IN', pay(55, { creditorAccount: 'MULE-9', debtorAccount: 'A-last' }), many);
    assert.equal(alert?.evidence.figures.payers, 401);
    assert.equal(alert?.evidence.payments.length, 50);
    assert.ok(alert!.evidence.customers.length <= 200);
  });
});
