// How each detector threshold is asked for (label and unit) and the draft ⇄ value conversion
// (pure; tested in e2e/alerts.test.ts). The value is checked with the contract's PatternThresholds.
import type { AlertPattern, PatternThresholds } from '../../../../shared/src/alerts.ts';
import { PatternThresholds as PatternThresholdsSchema } from '../../../../shared/src/alerts.ts';

export const FIELD_LABELS: Record<string, { label: string; helper: string }> = {
  windowMinutes: { label: 'Window (minutes)', helper: 'How far back the detector looks' },
  windowHours: { label: 'Window (hours)', helper: 'How far back the detector looks' },
  lookbackHours: { label: 'Look back (hours)', helper: 'Previous payment considered' },
  minCount: { label: 'At least (payments)', helper: 'Payments in the window' },
  minCalls: { label: 'At least (engine calls)', helper: 'Calls in the window before a rate counts' },
  maxErrorRate: { label: 'Error rate above', helper: 'A share, 0 to 1 (0.2 = 20 %)' },
  minAnomalyScore: { label: 'Anomaly score at least', helper: '0 to 100' },
  maxCount: { label: 'More than (payments)', helper: 'Payments in the window' },
  maxValueKes: { label: 'More than (KES)', helper: 'Total value in the window' },
  maxSpeedKmh: { label: 'Faster than (km/h)', helper: 'Travel speed between payments' },
  minDistanceKm: { label: 'At least (km) apart', helper: 'Ignore nearby places' },
  minCustomers: { label: 'At least (customers)', helper: 'On one device' },
  minNewDevices: { label: 'At least (new devices)', helper: 'For one customer' },
  minTransferKes: { label: 'Transfer at least (KES)', helper: 'To a payee never paid before' },
  reportingThresholdKes: { label: 'Reporting threshold (KES)', helper: 'Kenya: USD 15,000 ≈ KES 1,000,000' },
  bandPercent: { label: 'Band below it (%)', helper: 'Payments within this share under the threshold' },
  minPayers: { label: 'At least (payers)', helper: 'Into one account' },
  minPayees: { label: 'At least (payees)', helper: 'From one account' },
  minInKes: { label: 'Money in at least (KES)', helper: 'Received by the account' },
  minOutShare: { label: 'Share out at least', helper: '0.1 to 1 of what came in' },
  groupBy: { label: 'Group by', helper: 'What a burst is counted per' },
  severity: { label: 'Severity', helper: 'Of the alerts raised' },
};

export const GROUP_BY_LABELS: Record<string, string> = { CUSTOMER: 'Customer', ACCOUNT: 'Merchant account', CHANNEL: 'Channel', TENANT: 'Tenant' };

/** What the form holds: numbers as typed, group-by as a list, severity as chosen. */
export type ThresholdDraft = Record<string, string | string[]>;

export function thresholdDraftOf(t: PatternThresholds): ThresholdDraft {
  const out: ThresholdDraft = {};
  for (const [key, value] of Object.entries(t)) {
    if (key === 'pattern') continue;
    out[key] = Array.isArray(value) ? [...value] : String(value);
  }
  return out;
}

/** The draft as a PatternThresholds candidate; a number that is not one stays NaN for the schema to name. */
export function thresholdCandidate(pattern: AlertPattern, draft: ThresholdDraft): Record<string, unknown> {
  const out: Record<string, unknown> = { pattern };
  for (const [key, value] of Object.entries(draft)) {
    if (Array.isArray(value) || key === 'severity') out[key] = value;
    else out[key] = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  }
  return out;
}

export function parseThresholds(pattern: AlertPattern, draft: ThresholdDraft): { value: PatternThresholds | null; errors: Record<string, string> } {
  const result = PatternThresholdsSchema.safeParse(thresholdCandidate(pattern, draft));
  if (result.success) return { value: result.data, errors: {} };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? '_');
    if (!errors[key]) errors[key] = issue.code === 'invalid_type' ? 'A number' : issue.message;
  }
  return { value: null, errors };
}

/** One line describing the thresholds, for the list. */
export function thresholdSummary(t: PatternThresholds): string {
  return Object.entries(t)
    .filter(([key]) => key !== 'pattern' && key !== 'severity')
    .map(
      ([key, value]) =>
        `${FIELD_LABELS[key]?.label ?? key} ${Array.isArray(value) ? value.map((v) => GROUP_BY_LABELS[v] ?? v).join('/') : typeof value === 'number' ? value.toLocaleString('en-KE') : value}`,
    )
    .join(' · ');
}
