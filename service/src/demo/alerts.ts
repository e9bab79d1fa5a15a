import { SYSTEM_ACTOR } from '../commands/bus.ts';
import type { ServiceContext } from '../context.ts';
import { createAlertRule } from '../alerts/rules.ts';
import type { AlertRuleBody } from '../../../shared/src/alerts.ts';

/**
 * The demo bank's alert routing (issue 15): in-app and desktop notifications only — the demo has
 * no mail relay, SMS gateway or chat webhooks to send to, so it seeds no channels that would point
 * nowhere. Admins add real channels on the Alert channels screen and route rules to them.
 */
export const DEMO_ALERT_RULES: AlertRuleBody[] = [
  {
    name: 'Money laundering patterns to compliance',
    patterns: ['STRUCTURING', 'FAN_IN', 'FAN_OUT', 'RAPID_IN_OUT'],
    minSeverity: 'MEDIUM',
    dedupWindowMinutes: 24 * 60,
    notifyRoles: ['COMPLIANCE_OFFICER'],
    escalation: [{ afterMinutes: 120, notifyRoles: ['RISK_MANAGER'] }],
  },
  {
    name: 'Fraud patterns to the analysts',
    patterns: ['HIGH_RISK_BURST', 'UNUSUAL_TRANSACTION', 'VELOCITY', 'GEO_IMPOSSIBLE_TRAVEL', 'DEVICE_SHARED', 'DEVICE_CHURN', 'ACCOUNT_TAKEOVER'],
    minSeverity: 'HIGH',
    dedupWindowMinutes: 60,
    notifyRoles: ['FRAUD_ANALYST'],
    escalation: [{ afterMinutes: 30, notifyRoles: ['RISK_MANAGER'] }],
  },
  {
    name: 'Bank fraud engine failing',
    patterns: ['ENGINE_FAILURE'],
    minSeverity: 'MEDIUM',
    dedupWindowMinutes: 60,
    notifyRoles: ['RISK_MANAGER', 'RISK_OFFICER'],
  },
];

/**
 * Seeds the rules after the history is in and the detectors have caught up with it: the alerts the
 * ten past days raised wait in the inbox without ringing every bell at once; what happens from now
 * on notifies the people the rules name.
 */
export async function seedDemoAlertRules(ctx: ServiceContext): Promise<void> {
  await ctx.alerting?.flush();
  const existing = await ctx.db.kysely.selectFrom('alert_rules').select('id').where('deleted_at', 'is', null).limit(1).executeTakeFirst();
  if (existing) return;
  for (const rule of DEMO_ALERT_RULES) await ctx.bus.execute(createAlertRule, rule, SYSTEM_ACTOR);
}
