import type { AlertEntityType, AlertEvidence, AlertPattern, AlertSeverity, PatternThresholds } from '../../../../shared/src/alerts.ts';
import { RISK_LEVEL_ORDER, RiskLevel } from '../../../../shared/src/assessments.ts';
import { between, evidenceOf, HOUR_MS, kes, MINUTE_MS, sumKes } from './evidence.ts';
import { countryDistanceKm } from './geo.ts';
import type { DetectorCandidate, DetectorPayment, PaymentFacts } from './types.ts';

/**
 * Pure detectors over one payment's facts (types.ts): each answers the alerts the payment
 * completes, or none. They read only the facts, so the stream, a backtest and a test decide the
 * same way from the same payments (ARCHITECTURE.md rule 3). A payment that keeps a pattern going
 * raises it again; slice A's alert.raise folds repeats within the rule's window into one alert.
 */
export type Thresholds<P extends AlertPattern> = Extract<PatternThresholds, { pattern: P }>;

const HIGH_RISK = new Set(['HIGH', 'CRITICAL']);
const isHighRisk = (p: DetectorPayment) => p.riskLevel !== null && HIGH_RISK.has(p.riskLevel);

export function candidate(
  f: PaymentFacts,
  pattern: AlertPattern,
  severity: AlertSeverity,
  title: string,
  entity: { type: AlertEntityType; id: string },
  evidence: AlertEvidence,
  configurationId: string | null = null,
): DetectorCandidate {
  return {
    tenantId: f.trigger.tenantId,
    pattern,
    severity,
    title: title.slice(0, 300),
    entityType: entity.type,
    entityId: entity.id.slice(0, 200),
    detectedAt: f.trigger.occurredAt,
    evidence,
    configurationId,
  };
}

/** HIGH/CRITICAL payments piling up for one customer, merchant (creditor account), channel or tenant. */
export function detectHighRiskBurst(f: PaymentFacts, t: Thresholds<'HIGH_RISK_BURST'>): DetectorCandidate[] {
  const p = f.trigger;
  if (!isHighRisk(p)) return [];
  const from = p.atMs - t.windowMinutes * MINUTE_MS;
  const out: DetectorCandidate[] = [];
  for (const key of t.groupBy) {
    const group =
      key === 'CUSTOMER'
        ? { list: f.customer, type: 'CUSTOMER' as const, id: p.customerRef, label: `customer ${p.customerRef}` }
        : key === 'ACCOUNT'
          ? p.creditorAccount
            ? { list: f.intoCreditor, type: 'ACCOUNT' as const, id: p.creditorAccount, label: `merchant account ${p.creditorAccount}` }
            : null
          : key === 'CHANNEL'
            ? { list: f.highRiskChannel, type: 'CHANNEL' as const, id: p.channel, label: `the ${p.channel} channel` }
            : { list: f.highRiskTenant, type: 'TENANT' as const, id: p.tenantId, label: `tenant ${p.tenantId}` };
    if (!group) continue;
    const burst = between(group.list, from, p.atMs).filter(isHighRisk);
    if (burst.length < t.minCount) continue;
    const critical = burst.filter((x) => x.riskLevel === 'CRITICAL').length;
    out.push(
      candidate(
        f,
        'HIGH_RISK_BURST',
        t.severity,
        `${burst.length} high-risk payments for ${group.label} in ${t.windowMinutes} min`,
        group,
        evidenceOf(burst, { count: burst.length, critical, windowMinutes: t.windowMinutes, minCount: t.minCount, groupBy: key, totalKes: sumKes(burst) }, [
          `${burst.length} payments scored HIGH or CRITICAL (${critical} CRITICAL) for ${group.label} within ${t.windowMinutes} minutes up to ${p.occurredAt}.`,
          `The threshold is ${t.minCount} in ${t.windowMinutes} minutes.`,
        ]),
      ),
    );
  }
  return out;
}

/** The isolation forest's score (0..1) at or above the threshold (given in percent). */
export function detectUnusualTransaction(f: PaymentFacts, t: Thresholds<'UNUSUAL_TRANSACTION'>): DetectorCandidate[] {
  const score = f.extras.anomalyScore;
  if (score === null || score * 100 < t.minAnomalyScore) return [];
  const p = f.trigger;
  return [
    candidate(
      f,
      'UNUSUAL_TRANSACTION',
      t.severity,
      `Unusual payment ${p.transactionReference}: anomaly score ${(score * 100).toFixed(1)}`,
      { type: 'PAYMENT', id: p.transactionReference },
      evidenceOf([p], { anomalyScore: score, minAnomalyScore: t.minAnomalyScore }, [
        `The anomaly model scored ${p.transactionReference} at ${(score * 100).toFixed(1)} out of 100, at or above ${t.minAnomalyScore}: unusual for this bank's payments.`,
      ]),
    ),
  ];
}

/** A payment at or above its configuration's alert level (seed 003 alerting_config), as the deciding version said. */
export function detectRiskyPayment(f: PaymentFacts): DetectorCandidate[] {
  const p = f.trigger;
  const alerting = f.extras.alerting;
  const level = RiskLevel.safeParse(p.riskLevel);
  if (!alerting?.enabled || !level.success || RISK_LEVEL_ORDER[level.data] < RISK_LEVEL_ORDER[alerting.minRiskLevel]) return [];
  return [
    candidate(
      f,
      'RISKY_PAYMENT',
      level.data,
      `${level.data} payment ${p.transactionReference} of ${kes(p.amountKes)} by ${p.customerRef}`,
      { type: 'PAYMENT', id: p.transactionReference },
      evidenceOf([p], { riskLevel: level.data, minRiskLevel: alerting.minRiskLevel, amountKes: p.amountKes }, [
        `The payment scored ${level.data}, at or above the configuration's alert level ${alerting.minRiskLevel}.`,
      ]),
      f.extras.configurationId,
    ),
  ];
}

/** More payments, or more value, by one customer in the window than the thresholds allow. */
export function detectVelocity(f: PaymentFacts, t: Thresholds<'VELOCITY'>): DetectorCandidate[] {
  const p = f.trigger;
  const list = between(f.customer, p.atMs - t.windowMinutes * MINUTE_MS, p.atMs);
  const total = sumKes(list);
  // One large payment is not velocity (scoring's amount rules weigh it): it takes several.
  if (list.length < 2) return [];
  if (list.length <= t.maxCount && total <= t.maxValueKes) return [];
  const reasons: string[] = [];
  if (list.length > t.maxCount) reasons.push(`${list.length} payments in ${t.windowMinutes} minutes is more than ${t.maxCount}.`);
  if (total > t.maxValueKes) reasons.push(`${kes(total)} in ${t.windowMinutes} minutes is more than ${kes(t.maxValueKes)}.`);
  return [
    candidate(
      f,
      'VELOCITY',
      t.severity,
      `Velocity: ${list.length} payments, ${kes(total)} by ${p.customerRef} in ${t.windowMinutes} min`,
      { type: 'CUSTOMER', id: p.customerRef },
      evidenceOf(list, { count: list.length, totalKes: total, windowMinutes: t.windowMinutes, maxCount: t.maxCount, maxValueKes: t.maxValueKes }, reasons),
    ),
  ];
}

/**
 * Whether a payment's country says where the customer was. A payment's `country` is its
 * destination for remote channels (mobile, web, USSD: a transfer to Uganda from Nairobi) and for
 * branches (the branch is in the bank's country); only cash out of an ATM or an agent places the
 * customer in that country.
 */
const locatesCustomer = (p: DetectorPayment) => p.channel === 'ATM' || p.channel === 'AGENT';

/** The customer paid from a country it could not have reached since its previous payment (centroid distance / time). */
export function detectImpossibleTravel(f: PaymentFacts, t: Thresholds<'GEO_IMPOSSIBLE_TRAVEL'>): DetectorCandidate[] {
  const p = f.trigger;
  if (!p.country || !locatesCustomer(p)) return [];
  let worst: { q: DetectorPayment; km: number; hours: number; speed: number } | null = null;
  for (const q of between(f.customer, p.atMs - t.lookbackHours * HOUR_MS, p.atMs)) {
    if (q.assessmentId === p.assessmentId || !locatesCustomer(q)) continue;
    const km = countryDistanceKm(q.country, p.country);
    if (km === null || km < t.minDistanceKm) continue;
    // Two payments in the same minute are at least a minute apart for the speed.
    const hours = Math.max((p.atMs - q.atMs) / HOUR_MS, 1 / 60);
    const speed = km / hours;
    if (speed > t.maxSpeedKmh && (!worst || speed > worst.speed)) worst = { q, km, hours, speed };
  }
  if (!worst) return [];
  const { q, km, hours, speed } = worst;
  return [
    candidate(
      f,
      'GEO_IMPOSSIBLE_TRAVEL',
      t.severity,
      `Impossible travel: ${p.customerRef} paid from ${q.country} then ${p.country} ${Math.round(hours * 60)} min apart`,
      { type: 'CUSTOMER', id: p.customerRef },
      evidenceOf([q, p], { distanceKm: Math.round(km), hours: Math.round(hours * 100) / 100, speedKmh: Math.round(speed), maxSpeedKmh: t.maxSpeedKmh }, [
        `${q.transactionReference} was made from ${q.country} at ${q.occurredAt}; ${p.transactionReference} from ${p.country} at ${p.occurredAt}.`,
        `The countries' centres are ${Math.round(km)} km apart: ${Math.round(speed)} km/h, faster than ${t.maxSpeedKmh} km/h.`,
      ]),
    ),
  ];
}

/** One device used by many customers. */
export function detectDeviceShared(f: PaymentFacts, t: Thresholds<'DEVICE_SHARED'>): DetectorCandidate[] {
  const p = f.trigger;
  if (!p.deviceId) return [];
  const list = between(f.device, p.atMs - t.windowHours * HOUR_MS, p.atMs);
  const customers = new Set(list.map((x) => x.customerRef));
  if (customers.size < t.minCustomers) return [];
  return [
    candidate(
      f,
      'DEVICE_SHARED',
      t.severity,
      `Device ${p.deviceId} used by ${customers.size} customers in ${t.windowHours} h`,
      { type: 'DEVICE', id: p.deviceId },
      evidenceOf(list, { customers: customers.size, payments: list.length, windowHours: t.windowHours, minCustomers: t.minCustomers }, [
        `${customers.size} different customers paid from device ${p.deviceId} within ${t.windowHours} hours; the threshold is ${t.minCustomers}.`,
      ]),
    ),
  ];
}

/**
 * The payments of `list` made from a device new for the customer: as stored with the decision
 * (scoring facts), else not seen earlier in the list.
 */
export function newDevicePayments(list: readonly DetectorPayment[]): DetectorPayment[] {
  const seen = new Set<string>();
  const out: DetectorPayment[] = [];
  for (const x of list) {
    if (!x.deviceId) continue;
    const isNew = x.deviceKnown === null ? !seen.has(x.deviceId) : !x.deviceKnown;
    seen.add(x.deviceId);
    if (isNew) out.push(x);
  }
  return out;
}

/** One customer on many devices new to it. */
export function detectDeviceChurn(f: PaymentFacts, t: Thresholds<'DEVICE_CHURN'>): DetectorCandidate[] {
  const p = f.trigger;
  const fresh = newDevicePayments(between(f.customer, p.atMs - t.windowHours * HOUR_MS, p.atMs));
  if (!fresh.some((x) => x.assessmentId === p.assessmentId)) return [];
  const devices = new Set(fresh.map((x) => x.deviceId));
  if (devices.size < t.minNewDevices) return [];
  return [
    candidate(
      f,
      'DEVICE_CHURN',
      t.severity,
      `${p.customerRef} on ${devices.size} new devices in ${t.windowHours} h`,
      { type: 'CUSTOMER', id: p.customerRef },
      evidenceOf(fresh, { newDevices: devices.size, windowHours: t.windowHours, minNewDevices: t.minNewDevices }, [
        `${p.customerRef} paid from ${devices.size} devices it had not used before within ${t.windowHours} hours; the threshold is ${t.minNewDevices}.`,
      ]),
    ),
  ];
}

/** A new device, then changed contact details, then a large transfer to a payee the customer never paid. */
export function detectAccountTakeover(f: PaymentFacts, t: Thresholds<'ACCOUNT_TAKEOVER'>): DetectorCandidate[] {
  const p = f.trigger;
  if (p.amountKes < t.minTransferKes || !p.creditorAccount) return [];
  const from = p.atMs - t.windowHours * HOUR_MS;
  const earlier = f.customer.filter((x) => x.atMs <= p.atMs && x.assessmentId !== p.assessmentId);
  const payeeKnown = f.extras.payeeKnown ?? earlier.some((x) => x.creditorAccount === p.creditorAccount);
  if (payeeKnown) return [];
  const fresh = newDevicePayments(f.customer.filter((x) => x.atMs <= p.atMs)).filter((x) => x.atMs >= from && x.assessmentId !== p.assessmentId);
  // The latest change that an earlier new-device payment precedes.
  const change = [...f.contactChanges]
    .filter((c) => c.customerRef === p.customerRef && c.atMs >= from && c.atMs <= p.atMs)
    .sort((a, b) => b.atMs - a.atMs)
    .find((c) => fresh.some((x) => x.atMs <= c.atMs));
  if (!change) return [];
  const device = fresh.filter((x) => x.atMs <= change.atMs).at(-1)!;
  return [
    candidate(
      f,
      'ACCOUNT_TAKEOVER',
      t.severity,
      `Possible account takeover of ${p.customerRef}: new device, ${change.field} changed, ${kes(p.amountKes)} to a new payee`,
      { type: 'CUSTOMER', id: p.customerRef },
      evidenceOf([device, p], { amountKes: p.amountKes, minTransferKes: t.minTransferKes, windowHours: t.windowHours, contactField: change.field }, [
        `${device.transactionReference} at ${device.occurredAt} came from device ${device.deviceId ?? '?'}, new for the customer.`,
        `The customer's ${change.field} was changed at ${change.changedAt}.`,
        `${p.transactionReference} at ${p.occurredAt} sent ${kes(p.amountKes)} to ${p.creditorAccount}, an account the customer had not paid before (threshold ${kes(t.minTransferKes)}).`,
      ]),
    ),
  ];
}
