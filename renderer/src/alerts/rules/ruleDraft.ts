// The rule form's draft and the request it becomes (pure). Numbers are kept as typed and checked
// by the contract's own schema (AlertRuleBody), so the form and the service agree.
import type { z } from 'zod';
import type { AlertPattern, AlertRule, AlertRuleBody, AlertSeverity, UpdateAlertRuleRequest } from '../../../../shared/src/alerts.ts';

export type NotifyRole = 'FRAUD_ANALYST' | 'COMPLIANCE_OFFICER' | 'RISK_OFFICER' | 'RISK_MANAGER';
export const NOTIFY_ROLES: readonly NotifyRole[] = ['FRAUD_ANALYST', 'COMPLIANCE_OFFICER', 'RISK_OFFICER', 'RISK_MANAGER'];

export interface StepDraft {
  afterMinutes: string;
  channelIds: string[];
  notifyRoles: NotifyRole[];
}

export interface RuleDraft {
  name: string;
  patterns: AlertPattern[];
  minSeverity: AlertSeverity;
  tenantIds: string[];
  channelIds: string[];
  dedupWindowMinutes: string;
  notifyRoles: NotifyRole[];
  escalation: StepDraft[];
  enabled: boolean;
}

export const EMPTY_RULE: RuleDraft = {
  name: '',
  patterns: [],
  minSeverity: 'HIGH',
  tenantIds: [],
  channelIds: [],
  dedupWindowMinutes: '60',
  notifyRoles: [],
  escalation: [],
  enabled: true,
};

export function ruleDraftOf(rule: AlertRule): RuleDraft {
  return {
    name: rule.name,
    patterns: [...rule.patterns],
    minSeverity: rule.minSeverity,
    tenantIds: [...rule.tenantIds],
    channelIds: [...rule.channelIds],
    dedupWindowMinutes: String(rule.dedupWindowMinutes),
    notifyRoles: rule.notifyRoles.filter((r): r is NotifyRole => (NOTIFY_ROLES as readonly string[]).includes(r)),
    escalation: rule.escalation.map((s) => ({ afterMinutes: String(s.afterMinutes), channelIds: [...s.channelIds], notifyRoles: [...s.notifyRoles] })),
    enabled: rule.enabled,
  };
}

/** A whole number as typed, or NaN (the schema names the field). */
function whole(text: string): number {
  const t = text.trim();
  return /^\d{1,7}$/.test(t) ? Number(t) : Number.NaN;
}

export function ruleBody(d: RuleDraft): AlertRuleBody {
  return {
    name: d.name.trim(),
    patterns: d.patterns,
    minSeverity: d.minSeverity,
    tenantIds: d.tenantIds,
    channelIds: d.channelIds,
    dedupWindowMinutes: whole(d.dedupWindowMinutes),
    notifyRoles: d.notifyRoles,
    escalation: d.escalation.map((s) => ({ afterMinutes: whole(s.afterMinutes), channelIds: s.channelIds, notifyRoles: s.notifyRoles })),
    enabled: d.enabled,
  };
}

export function ruleUpdateBody(d: RuleDraft, version: number): z.input<typeof UpdateAlertRuleRequest> {
  return { ...ruleBody(d), version };
}

/** Field messages keyed by form field; an escalation step's by `escalation.<n>`. */
export function ruleMessages(errors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(errors)) {
    const parts = path.split('.');
    const field = parts[0] === 'escalation' && parts[1] !== undefined ? `escalation.${parts[1]}` : (parts[0] ?? path);
    const text = field === 'dedupWindowMinutes' ? 'Minutes from 0 to 10,080 (a week)' : parts[2] === 'afterMinutes' ? 'After 1 to 10,080 minutes' : message;
    if (!out[field]) out[field] = text;
  }
  return out;
}
