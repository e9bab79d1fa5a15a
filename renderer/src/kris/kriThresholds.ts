// A KRI's thresholds read in its direction (issue 13 "KRIs"). The rule itself lives in
// shared/src/kris.ts (evaluateKri, thresholdProblem) so the form, the charts and the service agree;
// these are the words and colours around it.
import type { KriDirection, KriStatus } from '../../../shared/src/kris.ts';

export type KriBand = Exclude<KriStatus, 'NO_DATA'>;

export const DIRECTION_LABELS: Record<KriDirection, string> = {
  HIGHER_IS_WORSE: 'Higher is worse',
  HIGHER_IS_BETTER: 'Higher is better',
};

/** "> 5 %" / "< 90 %": a value strictly beyond the threshold breaches it (shared evaluateKri). */
export function breachText(direction: KriDirection, threshold: string): string {
  return direction === 'HIGHER_IS_WORSE' ? `> ${threshold}` : `< ${threshold}`;
}

export const FREQUENCY_LABELS: Record<string, string> = {
  HOURLY: 'Hourly',
  DAILY: 'Daily',
  WEEKLY: 'Weekly',
  MONTHLY: 'Monthly',
  QUARTERLY: 'Quarterly',
};
