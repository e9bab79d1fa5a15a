import type { AlertEvidence } from '../../../../shared/src/alerts.ts';
import type { DetectorPayment } from './types.ts';

/** The newest payments behind an alert are enough to work it; the figures say how many there were. */
export const MAX_EVIDENCE_PAYMENTS = 50;

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

export function kes(amount: number): string {
  return `KES ${Math.round(amount).toLocaleString('en-US')}`;
}

/** Payments of `list` in [fromMs, toMs] (the lists are short: already cut to the facts' windows). */
export function between(list: readonly DetectorPayment[], fromMs: number, toMs: number): DetectorPayment[] {
  return list.filter((p) => p.atMs >= fromMs && p.atMs <= toMs);
}

export function sumKes(list: readonly DetectorPayment[]): number {
  return list.reduce((s, p) => s + p.amountKes, 0);
}

/** The alert's evidence: its newest payments, their customers, the scoring rules that fired on them. */
export function evidenceOf(payments: readonly DetectorPayment[], figures: AlertEvidence['figures'], explanation: string[]): AlertEvidence {
  const newest = [...payments].sort((a, b) => b.atMs - a.atMs).slice(0, MAX_EVIDENCE_PAYMENTS);
  const customers = [...new Set(payments.map((p) => p.customerRef))].slice(0, 200);
  const hits = new Map<string, number>();
  for (const p of newest) for (const rule of p.ruleHits) hits.set(rule, (hits.get(rule) ?? 0) + 1);
  return {
    payments: newest.map((p) => ({
      assessmentId: p.assessmentId,
      transactionReference: p.transactionReference,
      customerRef: p.customerRef,
      amountKes: p.amountKes,
      occurredAt: p.occurredAt,
      channel: p.channel,
      country: p.country,
      debtorAccount: p.debtorAccount,
      creditorAccount: p.creditorAccount,
      deviceId: p.deviceId,
      riskLevel: p.riskLevel,
      caseId: p.caseId,
    })),
    customers,
    rules: [...hits.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 200)
      .map(([ruleId, n]) => ({ ruleId, hits: n })),
    figures,
    explanation: explanation.slice(0, 50),
  };
}

/** The evidence's rules recounted once the evidence payments' fired rules are known (facts.ts ruleHitsOf). */
export function withRuleHits(evidence: AlertEvidence, hits: ReadonlyMap<string, readonly string[]>): AlertEvidence {
  const counts = new Map<string, number>();
  for (const p of evidence.payments) for (const rule of hits.get(p.assessmentId) ?? []) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  return {
    ...evidence,
    rules: [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 200)
      .map(([ruleId, n]) => ({ ruleId, hits: n })),
  };
}
