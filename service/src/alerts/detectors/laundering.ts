import { between, evidenceOf, HOUR_MS, kes, MINUTE_MS, sumKes } from './evidence.ts';
import { candidate, type Thresholds } from './payment-detectors.ts';
import type { DetectorCandidate, PaymentFacts } from './types.ts';

/** Seed 003's money-laundering patterns, pure like the others (payment-detectors.ts). */

/** Several payments of one customer, each just below the reporting threshold, within the window. */
export function detectStructuring(f: PaymentFacts, t: Thresholds<'STRUCTURING'>): DetectorCandidate[] {
  const p = f.trigger;
  const low = t.reportingThresholdKes * (1 - t.bandPercent / 100);
  const inBand = (amount: number) => amount >= low && amount < t.reportingThresholdKes;
  if (!inBand(p.amountKes)) return [];
  const list = between(f.customer, p.atMs - t.windowHours * HOUR_MS, p.atMs).filter((x) => inBand(x.amountKes));
  if (list.length < t.minCount) return [];
  const total = sumKes(list);
  return [
    candidate(
      f,
      'STRUCTURING',
      t.severity,
      `Structuring: ${list.length} payments just below ${kes(t.reportingThresholdKes)} by ${p.customerRef} in ${t.windowHours} h`,
      { type: 'CUSTOMER', id: p.customerRef },
      evidenceOf(
        list,
        { count: list.length, totalKes: total, thresholdKes: t.reportingThresholdKes, bandFromKes: low, windowHours: t.windowHours, minCount: t.minCount },
        [
          `${list.length} payments by ${p.customerRef} within ${t.windowHours} hours were each between ${kes(low)} and the ${kes(t.reportingThresholdKes)} reporting threshold (${kes(total)} together).`,
          `Splitting a sum into payments just below the threshold avoids a report; the threshold is ${t.minCount} such payments.`,
        ],
      ),
    ),
  ];
}

/** Many payers into one account (a mule collecting). Payers are told apart by debtor account, else customer. */
export function detectFanIn(f: PaymentFacts, t: Thresholds<'FAN_IN'>): DetectorCandidate[] {
  const p = f.trigger;
  if (!p.creditorAccount) return [];
  const list = between(f.intoCreditor, p.atMs - t.windowHours * HOUR_MS, p.atMs);
  const payers = new Set(list.map((x) => x.debtorAccount ?? `customer:${x.customerRef}`));
  if (payers.size < t.minPayers) return [];
  return [
    candidate(
      f,
      'FAN_IN',
      t.severity,
      `Fan-in: ${payers.size} payers into ${p.creditorAccount} in ${t.windowHours} h`,
      { type: 'ACCOUNT', id: p.creditorAccount },
      evidenceOf(list, { payers: payers.size, payments: list.length, totalKes: sumKes(list), windowHours: t.windowHours, minPayers: t.minPayers }, [
        `${payers.size} different payers sent ${kes(sumKes(list))} to ${p.creditorAccount} within ${t.windowHours} hours; the threshold is ${t.minPayers}.`,
      ]),
    ),
  ];
}

/** One account paying out to many payees. */
export function detectFanOut(f: PaymentFacts, t: Thresholds<'FAN_OUT'>): DetectorCandidate[] {
  const p = f.trigger;
  if (!p.debtorAccount) return [];
  const list = between(f.outOfDebtor, p.atMs - t.windowHours * HOUR_MS, p.atMs);
  const payees = new Set(list.flatMap((x) => (x.creditorAccount ? [x.creditorAccount] : [])));
  if (payees.size < t.minPayees) return [];
  return [
    candidate(
      f,
      'FAN_OUT',
      t.severity,
      `Fan-out: ${p.debtorAccount} paid ${payees.size} payees in ${t.windowHours} h`,
      { type: 'ACCOUNT', id: p.debtorAccount },
      evidenceOf(list, { payees: payees.size, payments: list.length, totalKes: sumKes(list), windowHours: t.windowHours, minPayees: t.minPayees }, [
        `${p.debtorAccount} paid ${kes(sumKes(list))} to ${payees.size} different accounts within ${t.windowHours} hours; the threshold is ${t.minPayees}.`,
      ]),
    ),
  ];
}

/** Money into an account, then most of it out again within the window (the trigger is the outflow). */
export function detectRapidInOut(f: PaymentFacts, t: Thresholds<'RAPID_IN_OUT'>): DetectorCandidate[] {
  const p = f.trigger;
  if (!p.debtorAccount) return [];
  const inflows = between(f.intoDebtor, p.atMs - t.windowMinutes * MINUTE_MS, p.atMs).filter((x) => x.assessmentId !== p.assessmentId);
  const inKes = sumKes(inflows);
  if (inflows.length === 0 || inKes < t.minInKes) return [];
  const firstIn = Math.min(...inflows.map((x) => x.atMs));
  const outflows = between(f.outOfDebtor, firstIn, p.atMs);
  const outKes = sumKes(outflows);
  const share = outKes / inKes;
  if (share < t.minOutShare) return [];
  return [
    candidate(
      f,
      'RAPID_IN_OUT',
      t.severity,
      `Rapid in-and-out: ${kes(inKes)} into ${p.debtorAccount}, ${Math.round(share * 100)} % out again within ${t.windowMinutes} min`,
      { type: 'ACCOUNT', id: p.debtorAccount },
      evidenceOf(
        [...inflows, ...outflows],
        { inKes, outKes, outShare: Math.round(share * 1000) / 1000, windowMinutes: t.windowMinutes, minInKes: t.minInKes, minOutShare: t.minOutShare },
        [
          `${p.debtorAccount} received ${kes(inKes)} in ${inflows.length} payments from ${inflows[0]!.occurredAt}.`,
          `${kes(outKes)} (${Math.round(share * 100)} %) left it again by ${p.occurredAt}, within ${t.windowMinutes} minutes; the threshold is ${Math.round(t.minOutShare * 100)} % of at least ${kes(t.minInKes)}.`,
        ],
      ),
    ),
  ];
}
