import type { PaymentInput } from '../../../shared/src/payments.ts';
import type { Decision, RiskFactor, RiskLevel } from '../../../shared/src/assessments.ts';
import { formatKes } from './fx.ts';
import type { RuleDefinition, RuleSet, Thresholds } from './rules.ts';

export interface ScoredPayment {
  riskScore: number;
  riskLevel: RiskLevel;
  decision: Decision;
  decisionReason: string;
  riskFactors: RiskFactor[];
}

interface RuleResult {
  fired: boolean;
  contribution: number;
  explanation: string;
}

const hourFormatters = new Map<string, Intl.DateTimeFormat>();
/** Local wall-clock hour and minute of an instant in a time zone (formatters are cached: they are costly). */
export function localTime(instant: Date, timeZone: string): { hour: number; minute: number } {
  let formatter = hourFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    hourFormatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(instant);
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { hour: value('hour'), minute: value('minute') };
}

function inWindow(hour: number, startHour: number, endHour: number): boolean {
  return startHour <= endHour ? hour >= startHour && hour < endHour : hour >= startHour || hour < endHour;
}

const pad = (n: number) => String(n).padStart(2, '0');

function evaluateRule(rule: RuleDefinition, payment: PaymentInput, amountKes: number): RuleResult {
  switch (rule.kind) {
    case 'high-amount': {
      const { thresholdKes, severeThresholdKes, severeWeight } = rule.params;
      if (amountKes > severeThresholdKes) {
        return { fired: true, contribution: severeWeight, explanation: `${formatKes(amountKes)} is above the ${formatKes(severeThresholdKes)} high-risk limit` };
      }
      if (amountKes >= thresholdKes) {
        return { fired: true, contribution: rule.weight, explanation: `${formatKes(amountKes)} is at or above the ${formatKes(thresholdKes)} review threshold` };
      }
      return { fired: false, contribution: 0, explanation: `${formatKes(amountKes)} is below the ${formatKes(thresholdKes)} review threshold` };
    }
    case 'off-hours': {
      const { timeZone, startHour, endHour } = rule.params;
      const { hour, minute } = localTime(new Date(payment.timestamp), timeZone);
      const clock = `${pad(hour)}:${pad(minute)}`;
      const window = `${pad(startHour)}:00–${pad(endHour)}:00`;
      return inWindow(hour, startHour, endHour)
        ? { fired: true, contribution: rule.weight, explanation: `Made at ${clock} ${timeZone} time, inside off-hours ${window}` }
        : { fired: false, contribution: 0, explanation: `Made at ${clock} ${timeZone} time, outside off-hours ${window}` };
    }
    case 'high-risk-country': {
      const { countries, elevatedCountries, elevatedWeight } = rule.params;
      if (countries.includes(payment.country)) {
        return { fired: true, contribution: rule.weight, explanation: `Country ${payment.country} is on the high-risk list` };
      }
      if (elevatedCountries.includes(payment.country)) {
        return { fired: true, contribution: elevatedWeight, explanation: `Country ${payment.country} is an elevated-risk corridor` };
      }
      return { fired: false, contribution: 0, explanation: `Country ${payment.country} is not on a risk list` };
    }
  }
}

export function riskLevelFor(score: number, thresholds: Thresholds): RiskLevel {
  if (score >= thresholds.critical) return 'CRITICAL';
  if (score >= thresholds.high) return 'HIGH';
  if (score >= thresholds.medium) return 'MEDIUM';
  return 'LOW';
}

/** Seed 001: low risk is approved straight through; medium and above go to an analyst. */
const DECISION_BY_LEVEL: Record<RiskLevel, Decision> = {
  LOW: 'APPROVE',
  MEDIUM: 'MANUAL_REVIEW',
  HIGH: 'HOLD',
  CRITICAL: 'ESCALATE',
};

/**
 * Scores a payment with a rule set. A rule that throws is recorded as ERROR with no contribution
 * rather than failing the whole assessment, so one bad rule cannot stop payments.
 */
export function scorePayment(payment: PaymentInput, amountKes: number, ruleSet: RuleSet): ScoredPayment {
  const riskFactors: RiskFactor[] = [];
  let total = 0;
  for (const rule of ruleSet.rules) {
    if (!rule.enabled) continue;
    const started = performance.now();
    let result: RuleResult;
    let outcome: RiskFactor['outcome'];
    try {
      result = evaluateRule(rule, payment, amountKes);
      outcome = result.fired ? 'HIT' : 'NO_HIT';
    } catch (error) {
      result = { fired: false, contribution: 0, explanation: `Rule failed: ${error instanceof Error ? error.message : String(error)}` };
      outcome = 'ERROR';
    }
    total += result.contribution;
    riskFactors.push({
      ruleId: rule.id,
      name: rule.name,
      family: rule.family,
      outcome,
      weight: rule.weight,
      contribution: result.contribution,
      explanation: result.explanation,
      evaluationMicros: Math.round((performance.now() - started) * 1000),
    });
  }
  const riskScore = Math.round(Math.min(1, total) * 10_000) / 10_000;
  const riskLevel = riskLevelFor(riskScore, ruleSet.thresholds);
  const decision = DECISION_BY_LEVEL[riskLevel];
  const fired = riskFactors.filter((f) => f.outcome === 'HIT').map((f) => f.name);
  const decisionReason =
    fired.length === 0
      ? `${riskLevel} risk (score ${riskScore.toFixed(2)}): no risk rule fired`
      : `${riskLevel} risk (score ${riskScore.toFixed(2)}): ${fired.join('; ')}`;
  return { riskScore, riskLevel, decision, decisionReason, riskFactors };
}
