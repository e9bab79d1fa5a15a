// Labels for the register's enums, and cleaning of typed/pasted text before it reaches a filter.
import { formatDate } from '../lib/format.ts';
import type { ControlFrequency, ControlType, RiskCategory, RiskStatus, TreatmentStrategy } from '../../../shared/src/risk-register.ts';

export const CATEGORY_LABELS: Record<RiskCategory, string> = {
  CREDIT: 'Credit',
  OPERATIONAL: 'Operational',
  COMPLIANCE: 'Compliance',
  LIQUIDITY: 'Liquidity',
  MARKET: 'Market',
  FRAUD: 'Fraud',
  STRATEGIC: 'Strategic',
  REPUTATIONAL: 'Reputational',
};

export const STATUS_LABELS: Record<RiskStatus, string> = {
  IDENTIFIED: 'Identified',
  ASSESSED: 'Assessed',
  TREATED: 'Treated',
  MONITORED: 'Monitored',
  CLOSED: 'Closed',
};

/** What moving a risk to a status is called on its button. */
export const STATUS_ACTIONS: Record<RiskStatus, string> = {
  IDENTIFIED: 'Reopen as identified',
  ASSESSED: 'Mark assessed',
  TREATED: 'Mark treated',
  MONITORED: 'Move to monitoring',
  CLOSED: 'Close risk',
};

export const CONTROL_TYPE_LABELS: Record<ControlType, string> = { PREVENTIVE: 'Preventive', DETECTIVE: 'Detective', CORRECTIVE: 'Corrective' };

export const FREQUENCY_LABELS: Record<ControlFrequency, string> = {
  DAILY: 'Daily',
  WEEKLY: 'Weekly',
  MONTHLY: 'Monthly',
  QUARTERLY: 'Quarterly',
  SEMI_ANNUAL: 'Semi-annual',
  ANNUAL: 'Annual',
};

export const STRATEGY_LABELS: Record<TreatmentStrategy, string> = { MITIGATE: 'Mitigate', TRANSFER: 'Transfer', AVOID: 'Avoid', ACCEPT: 'Accept' };

export function options<K extends string>(labels: Record<K, string>): { value: K; label: string }[] {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
}

/** Pasted text for one-line fields: line breaks and tabs become spaces, invisible characters go. */
export function oneLine(text: string): string {
  return text.replace(/\p{Cf}+/gu, '').replace(/[\p{Cc}\u2028\u2029]+/gu, ' ');
}

/** Pasted text for notes: keeps line breaks and tabs, drops other control and invisible characters (shared/src/text.ts). */
export function noteText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\p{Cf}\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/gu, '');
}

/** A calendar date (YYYY-MM-DD) shown as `05 Dec 2026` in the app locale, as a day (no zone shift). */
export function formatDay(day: string | null | undefined): string {
  return day ? formatDate(day) : '—';
}
