import type { PaymentInput } from '../../../shared/src/payments.ts';
import { RULE_BUDGET_MS, RULE_COST, type RuleCost, type RuleDefinition, type RuleOf } from '../../../shared/src/decision-engine.ts';
import { compileAlternation, compilePattern, literalPattern, patternProblem, type CompiledPattern } from '../../../shared/src/decision-engine-patterns.ts';
import { findContainingRange, parseIpRange, type IpRange } from '../../../shared/src/ip-ranges.ts';
import { formatKes } from './fx.ts';
import { localTime, zoneOffsetMinutes } from './local-time.ts';
import { WINDOW_HOURS, type PaymentFacts } from './facts.ts';
import { anomalyFeatures } from './anomaly/features.ts';

/** A payment as the rules see it: the input plus values computed once (KES amount, epoch ms). */
export interface PreparedPayment {
  payment: PaymentInput;
  amountKes: number;
  atMs: number;
}

export interface RuleResult {
  fired: boolean;
  contribution: number;
  explanation: string;
  /** The anomaly rule reports the model's score so the assessment can keep it. */
  anomalyScore?: number;
  /** The payment lacks what the rule reads (e.g. no debtor account): logged as NOT_EVALUATED. */
  notEvaluated?: true;
}

/** Rules read the payment and its facts only (ARCHITECTURE.md rule 3): no clock, no live state. */
export type RuleCheck = (p: PreparedPayment, facts: PaymentFacts) => RuleResult;

/** A rule turned into a closure once per configuration version: regexes compiled, lists made sets. */
export interface CompiledRule {
  rule: RuleDefinition;
  cost: RuleCost;
  /** CPU milliseconds the rule may take (RULE_BUDGET_MS); over it, the rule is an ERROR. */
  budgetMs: number;
  inScope: (p: PreparedPayment) => boolean;
  check: RuleCheck;
}

const COST_ORDER: Record<RuleCost, number> = { FIELD: 0, LOOKUP: 1, MODEL: 2 };
const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const noHit = (explanation: string): RuleResult => ({ fired: false, contribution: 0, explanation });
const hit = (contribution: number, explanation: string): RuleResult => ({ fired: true, contribution, explanation });
/** Accounts are optional in ISO 20022: a rule that reads one says so instead of failing the payment. */
const notEvaluated = (explanation: string): RuleResult => ({ fired: false, contribution: 0, explanation, notEvaluated: true });

function compileScope(rule: RuleDefinition): (p: PreparedPayment) => boolean {
  const scope = rule.scope;
  if (!scope) return () => true;
  const channels = scope.channels ? new Set<string>(scope.channels) : null;
  const types = scope.paymentTypes ? new Set(scope.paymentTypes) : null;
  const min = scope.minAmountKes ?? null;
  return (p) => (!channels || channels.has(p.payment.channel)) && (!types || types.has(p.payment.paymentType)) && (min === null || p.amountKes >= min);
}

function compileCheck(rule: RuleDefinition): RuleCheck {
  switch (rule.kind) {
    case 'high-amount':
      return highAmount(rule);
    case 'round-amount':
      return roundAmount(rule);
    case 'velocity':
      return velocity(rule);
    case 'credit-velocity':
      return creditVelocity(rule);
    case 'high-risk-country':
      return highRiskCountry(rule);
    case 'suspicious-ip':
      return suspiciousIp(rule);
    case 'off-hours':
      return offHours(rule);
    case 'weekend':
      return weekend(rule);
    case 'new-account':
      return newAccount(rule);
    case 'cross-border':
      return crossBorder(rule);
    case 'new-device':
      return newDevice(rule);
    case 'suspicious-user-agent':
      return suspiciousUserAgent(rule);
    case 'suspicious-text':
      return suspiciousText(rule);
    case 'merchant-block-list':
      return merchantBlockList(rule);
    case 'channel-risk':
      return channelRisk(rule);
    case 'anomaly':
      return anomaly(rule);
  }
}

export function compileRule(rule: RuleDefinition): CompiledRule {
  const cost = RULE_COST[rule.kind];
  return { rule, cost, budgetMs: RULE_BUDGET_MS[cost], inScope: compileScope(rule), check: compileCheck(rule) };
}

/** Enabled rules, cheapest first; among equals the heavier weight first, so a decision settles sooner. */
export function compileRules(rules: readonly RuleDefinition[]): CompiledRule[] {
  return rules
    .filter((r) => r.enabled)
    .map(compileRule)
    .sort((a, b) => COST_ORDER[a.cost] - COST_ORDER[b.cost] || b.rule.weight - a.rule.weight);
}

function highAmount(rule: RuleOf<'high-amount'>): RuleCheck {
  const { thresholdKes, severeThresholdKes, severeWeight } = rule.params;
  return ({ amountKes }) => {
    if (amountKes > severeThresholdKes) return hit(severeWeight, `${formatKes(amountKes)} is above the ${formatKes(severeThresholdKes)} high-risk limit`);
    if (amountKes >= thresholdKes) return hit(rule.weight, `${formatKes(amountKes)} is at or above the ${formatKes(thresholdKes)} review threshold`);
    return noHit(`${formatKes(amountKes)} is below the ${formatKes(thresholdKes)} review threshold`);
  };
}

function roundAmount(rule: RuleOf<'round-amount'>): RuleCheck {
  const { minimumKes, multipleOfKes } = rule.params;
  return ({ amountKes, payment }) => {
    if (amountKes < minimumKes) return noHit(`${formatKes(amountKes)} is below the ${formatKes(minimumKes)} floor for round amounts`);
    // The amount as sent (in its own currency) is what a fraudster rounds.
    const asSent = payment.currency === 'KES' ? payment.amount : amountKes;
    return asSent % multipleOfKes === 0
      ? hit(rule.weight, `${formatKes(asSent)} is an exact multiple of ${formatKes(multipleOfKes)}`)
      : noHit(`${formatKes(asSent)} is not a round multiple of ${formatKes(multipleOfKes)}`);
  };
}

function velocity(rule: RuleOf<'velocity'>): RuleCheck {
  const { subject, window, maxCount, maxSumKes } = rule.params;
  const who = subject === 'ACCOUNT' ? 'account' : 'customer';
  const span = window === 'DAY' ? '24 hours' : '7 days';
  const pick = (facts: PaymentFacts) => {
    const totals = subject === 'ACCOUNT' ? facts.snapshot.velocity.account : facts.snapshot.velocity.customer;
    return window === 'DAY' ? totals.day : totals.week;
  };
  return ({ amountKes, payment }, facts) => {
    if (subject === 'ACCOUNT' && !payment.debtorAccount) return notEvaluated('Not evaluated: no debtor account');
    const before = pick(facts);
    const count = before.count + 1;
    const sum = before.sumKes + amountKes;
    if (count > maxCount) return hit(rule.weight, `${count} payments from this ${who} in ${span}, above the limit of ${maxCount}`);
    if (sum > maxSumKes) return hit(rule.weight, `${formatKes(sum)} from this ${who} in ${span}, above the ${formatKes(maxSumKes)} limit`);
    return noHit(`${count} payments, ${formatKes(sum)} from this ${who} in ${span}: within ${maxCount} / ${formatKes(maxSumKes)}`);
  };
}

function creditVelocity(rule: RuleOf<'credit-velocity'>): RuleCheck {
  const { window, largeAmountKes, maxLargeCount } = rule.params;
  const hours = WINDOW_HOURS[window];
  const span = window === 'DAY' ? '24 hours' : '7 days';
  const count = (amounts: readonly number[]) => {
    let n = 0;
    for (const a of amounts) if (a >= largeAmountKes) n++;
    return n;
  };
  return ({ amountKes }, facts) => {
    const { day, earlierInWeek } = facts.snapshot.largePaymentsKes;
    const earlier = count(day) + (hours > WINDOW_HOURS.DAY ? count(earlierInWeek) : 0);
    const large = earlier + (amountKes >= largeAmountKes ? 1 : 0);
    return large > maxLargeCount
      ? hit(rule.weight, `${large} payments of ${formatKes(largeAmountKes)} or more by this customer in ${span}, above ${maxLargeCount}`)
      : noHit(`${large} payments of ${formatKes(largeAmountKes)} or more in ${span}, within ${maxLargeCount}`);
  };
}

function highRiskCountry(rule: RuleOf<'high-risk-country'>): RuleCheck {
  const high = new Set(rule.params.countries);
  const elevated = new Set(rule.params.elevatedCountries);
  return ({ payment }) => {
    if (high.has(payment.country)) return hit(rule.weight, `Country ${payment.country} is on the high-risk list`);
    if (elevated.has(payment.country)) return hit(rule.params.elevatedWeight, `Country ${payment.country} is an elevated-risk corridor`);
    return noHit(`Country ${payment.country} is not on a risk list`);
  };
}

function suspiciousIp(rule: RuleOf<'suspicious-ip'>): RuleCheck {
  const ranges = rule.params.ranges.map(parseIpRange).filter((r): r is IpRange => r !== null);
  return ({ payment }) => {
    if (!payment.ipAddress) return noHit('No IP address was sent with the payment');
    const range = findContainingRange(payment.ipAddress, ranges);
    return range
      ? hit(rule.weight, `IP ${payment.ipAddress} is in the suspicious range ${range.source}`)
      : noHit(`IP ${payment.ipAddress} is not in a suspicious range`);
  };
}

function offHours(rule: RuleOf<'off-hours'>): RuleCheck {
  const { timeZone, startHour, endHour } = rule.params;
  const window = `${pad(startHour)}:00–${pad(endHour)}:00`;
  const inside = (hour: number) => (startHour <= endHour ? hour >= startHour && hour < endHour : hour >= startHour || hour < endHour);
  return ({ atMs }) => {
    const { hour, minute } = localTime(atMs, timeZone);
    const clock = `${pad(hour)}:${pad(minute)}`;
    return inside(hour)
      ? hit(rule.weight, `Made at ${clock} ${timeZone} time, inside off-hours ${window}`)
      : noHit(`Made at ${clock} ${timeZone} time, outside off-hours ${window}`);
  };
}

function weekend(rule: RuleOf<'weekend'>): RuleCheck {
  const { timeZone } = rule.params;
  const days = new Set(rule.params.days);
  return ({ atMs }) => {
    const { weekday } = localTime(atMs, timeZone);
    return days.has(weekday) ? hit(rule.weight, `Made on a ${WEEKDAYS[weekday]} (${timeZone})`) : noHit(`Made on a ${WEEKDAYS[weekday]}, a working day`);
  };
}

function newAccount(rule: RuleOf<'new-account'>): RuleCheck {
  const { maxAgeDays } = rule.params;
  return ({ payment, atMs }, facts) => {
    if (!payment.debtorAccount) return notEvaluated('Not evaluated: no debtor account');
    const openedOn = facts.snapshot.accountOpenedOn;
    if (openedOn === null) return noHit(`Account ${payment.debtorAccount} is not held at this bank, so its age is unknown`);
    // Age as of the payment's own time, never today's (ARCHITECTURE.md rule 3).
    const ageDays = Math.max(0, Math.floor((atMs - Date.parse(`${openedOn}T00:00:00Z`)) / DAY_MS));
    return ageDays <= maxAgeDays
      ? hit(rule.weight, `Account opened ${ageDays} day${ageDays === 1 ? '' : 's'} ago (new: ${maxAgeDays} days or less)`)
      : noHit(`Account opened ${ageDays} days ago`);
  };
}

function crossBorder(rule: RuleOf<'cross-border'>): RuleCheck {
  const home = rule.params.homeCountry;
  return ({ payment }) =>
    payment.country !== home ? hit(rule.weight, `Cross-border: paid to ${payment.country}, outside ${home}`) : noHit(`Domestic payment within ${home}`);
}

function newDevice(rule: RuleOf<'new-device'>): RuleCheck {
  const { minPriorPayments } = rule.params;
  return ({ payment }, facts) => {
    if (!payment.deviceId) return noHit('No device id was sent with the payment');
    const history = facts.snapshot.device;
    if (!history) return noHit('No device history was recorded for this payment');
    if (history.known) return noHit('The customer has used this device before');
    if (history.priorPayments < minPriorPayments) return noHit(`New device, but the customer has only ${history.priorPayments} earlier device payments`);
    return hit(rule.weight, `First payment from device ${payment.deviceId.slice(0, 12)}… after ${history.priorPayments} payments from other devices`);
  };
}

/**
 * Admin-written patterns, compiled for RE2 (linear time, whatever the pattern: ReDoS-safe). One
 * alternation tests them all in a single pass; the individual ones only name the match. A stored
 * pattern RE2 refuses (saved before patterns were checked) makes the rule throw, so it is logged
 * as ERROR instead of running on a backtracking engine.
 */
function patternMatcher(rule: RuleDefinition, sources: readonly string[]): (text: string) => string | null {
  const broken = sources.map((source) => ({ source, problem: patternProblem(source) })).find((p) => p.problem !== null);
  if (broken) {
    return () => {
      throw new Error(`pattern /${broken.source}/ of rule ${rule.id} cannot run in linear time (${broken.problem}): correct the rule`);
    };
  }
  const patterns: Array<{ source: string; regex: CompiledPattern }> = sources.map((source) => ({ source, regex: compilePattern(source) }));
  const combined = compileAlternation(sources);
  return (text) => (combined.test(text) ? (patterns.find((p) => p.regex.test(text))?.source ?? null) : null);
}

function suspiciousUserAgent(rule: RuleOf<'suspicious-user-agent'>): RuleCheck {
  const match = patternMatcher(rule, rule.params.patterns);
  const { flagMissing } = rule.params;
  return ({ payment }) => {
    const ua = payment.userAgent;
    if (!ua)
      return flagMissing && payment.channel !== 'BRANCH' && payment.channel !== 'ATM'
        ? hit(rule.weight, 'No user agent on a digital-channel payment')
        : noHit('No user agent was sent');
    const found = match(ua);
    return found !== null ? hit(rule.weight, `User agent matches /${found}/: ${ua.slice(0, 80)}`) : noHit('User agent looks like a normal client');
  };
}

function suspiciousText(rule: RuleOf<'suspicious-text'>): RuleCheck {
  const match = patternMatcher(rule, rule.params.patterns);
  const fields = rule.params.fields;
  return ({ payment }) => {
    for (const field of fields) {
      const text = payment[field];
      const found = text ? match(text) : null;
      if (text && found !== null)
        return hit(rule.weight, `${field === 'description' ? 'Description' : 'Reference'} matches /${found}/: "${text.slice(0, 80)}"`);
    }
    return noHit('Reference and description match no suspicious pattern');
  };
}

function merchantBlockList(rule: RuleOf<'merchant-block-list'>): RuleCheck {
  const ids = new Set(rule.params.merchantIds);
  const names = rule.params.merchantNames.map((n) => ({ name: n, lower: n.toLowerCase() }));
  const combined = names.length > 0 ? compileAlternation(rule.params.merchantNames.map(literalPattern)) : null;
  return ({ payment }) => {
    if (payment.creditorAccount && ids.has(payment.creditorAccount)) return hit(rule.weight, `Payee ${payment.creditorAccount} is on the merchant block list`);
    const description = combined && payment.description && combined.test(payment.description) ? payment.description.toLowerCase() : null;
    if (description) {
      const found = names.find((n) => description.includes(n.lower));
      if (found) return hit(rule.weight, `Payee "${found.name}" is on the merchant block list`);
    }
    // Without a creditor account only the payee names could be checked: the listed accounts were not.
    if (!payment.creditorAccount && ids.size > 0) return notEvaluated('Not evaluated: no creditor account (payee names checked: none on the list)');
    return noHit('Payee is not on the merchant block list');
  };
}

function channelRisk(rule: RuleOf<'channel-risk'>): RuleCheck {
  const factors = rule.params.factors;
  return ({ payment }) => {
    const factor = factors[payment.channel] ?? 0;
    return factor > 0
      ? hit(Math.round(rule.weight * factor * 10_000) / 10_000, `${payment.channel} channel carries risk factor ${factor}`)
      : noHit(`${payment.channel} channel carries no extra risk`);
  };
}

function anomaly(rule: RuleOf<'anomaly'>): RuleCheck {
  const { minScore } = rule.params;
  return ({ payment, amountKes, atMs }, facts) => {
    const model = facts.anomaly;
    if (!model || facts.snapshot.anomalyModelId === null) return noHit('No anomaly model has been trained yet');
    // The customer's average over the week before, from the same window as the velocity rules.
    const week = facts.snapshot.velocity.customer.week;
    const features = anomalyFeatures({
      amountKes,
      timestamp: payment.timestamp,
      channel: payment.channel,
      country: payment.country,
      homeCountry: 'KE',
      timeZoneOffsetMinutes: zoneOffsetMinutes(atMs, 'Africa/Nairobi'),
      customerMedianAmountKes: week.count === 0 ? null : week.sumKes / week.count,
      paymentType: payment.paymentType,
    });
    const score = Math.round(model.score(features) * 1000) / 1000;
    return score >= minScore
      ? { ...hit(rule.weight, `Anomaly score ${score.toFixed(3)} is at or above ${minScore}: unusual for this bank's payments`), anomalyScore: score }
      : { ...noHit(`Anomaly score ${score.toFixed(3)} is below ${minScore}`), anomalyScore: score };
  };
}
