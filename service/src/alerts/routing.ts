import type { CommandContext } from '../commands/bus.ts';
import { dbBool, fromJson, fromJsonOrNull, toBool } from '../db/database.ts';
import type { AlertChannelRow, AlertRuleRow } from '../db/schema-alerting.ts';
import { tenantIdsOf } from '../auth/authenticator.ts';
import { notifyWithin } from '../notifications/notify.ts';
import { bankWallClock } from '../../../shared/src/bank-time.ts';
import { AlertPattern, AlertSeverity, EscalationStep, QuietHours, SEVERITY_RANK, type Alert, type AlertEvidence } from '../../../shared/src/alerts.ts';
import type { AlertingConfig } from '../../../shared/src/decision-engine.ts';
import { ALERT_CHANNEL_OWNER, enqueueAlertDeliveryWithin, type AlertMessageEvent } from './channels/enqueue.ts';

/** A rule as routing reads it (JSON columns parsed once). */
export interface RoutingRule {
  id: string;
  name: string;
  patterns: AlertPattern[];
  minSeverity: AlertSeverity;
  tenantIds: string[];
  channelIds: string[];
  dedupWindowMinutes: number;
  notifyRoles: string[];
  escalation: EscalationStep[];
  sourceConfigurationId: string | null;
}

/** Used when no rule matches an alert: the same key within an hour is still one alert in the inbox. */
export const DEFAULT_DEDUP_WINDOW_MINUTES = 60;
const HOUR_MS = 60 * 60_000;

/** Also the base of the AlertRule view (mapping.ts toAlertRule). */
export function toRoutingRule(row: AlertRuleRow): RoutingRule {
  return {
    id: row.id,
    name: row.name,
    patterns: AlertPattern.array().parse(fromJson(row.patterns)),
    minSeverity: AlertSeverity.parse(row.min_severity),
    tenantIds: fromJson<string[]>(row.tenant_ids),
    channelIds: fromJson<string[]>(row.channel_ids),
    dedupWindowMinutes: row.dedup_window_minutes,
    notifyRoles: fromJson<string[]>(row.notify_roles),
    escalation: EscalationStep.array().parse(fromJson(row.escalation)),
    sourceConfigurationId: row.source_configuration_id,
  };
}

export interface RoutingSubject {
  tenantId: string;
  pattern: AlertPattern;
  severity: AlertSeverity;
  /** RISKY_PAYMENT: the configuration whose alert settings raised it; only its own rule routes it. */
  configurationId: string | null;
}

/** Whether one rule routes an alert (pattern, severity, tenant, and a configuration's rule only for its own payments). */
export function ruleMatches(rule: RoutingRule, subject: RoutingSubject): boolean {
  if (rule.patterns.length > 0 && !rule.patterns.includes(subject.pattern)) return false;
  if (SEVERITY_RANK[subject.severity] < SEVERITY_RANK[rule.minSeverity]) return false;
  if (rule.tenantIds.length > 0 && !rule.tenantIds.includes(subject.tenantId)) return false;
  if (rule.sourceConfigurationId !== null) return rule.sourceConfigurationId === subject.configurationId;
  // A configuration's risky payment is routed by that configuration's settings alone (seed 003 alerting_config).
  if (subject.pattern === 'RISKY_PAYMENT' && subject.configurationId !== null) return false;
  return true;
}

/** The enabled, live rules that route this alert, oldest first (a stable order for the delivery story). */
export async function matchingRules(ctx: CommandContext, subject: RoutingSubject): Promise<RoutingRule[]> {
  const rows = await ctx.trx
    .selectFrom('alert_rules')
    .selectAll()
    .where('enabled', '=', dbBool(ctx.dialect, true))
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRoutingRule).filter((rule) => ruleMatches(rule, subject));
}

/** The configuration id an alert was raised for (kept in its figures so escalation routes it the same way). */
export function configurationIdOf(evidence: AlertEvidence): string | null {
  const value = evidence.figures.configurationId;
  return typeof value === 'string' ? value : null;
}

function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/**
 * When the quiet hours around `now` end (Nairobi wall time, which has no daylight saving), or
 * null when `now` is outside them. A window may cross midnight (22:00–06:00).
 */
export function quietHoursEnd(quiet: QuietHours, now: Date): Date | null {
  const wall = bankWallClock(now);
  const current = wall.getUTCHours() * 60 + wall.getUTCMinutes();
  const start = minutesOfDay(quiet.start);
  const end = minutesOfDay(quiet.end);
  const inside = start < end ? current >= start && current < end : current >= start || current < end;
  if (!inside) return null;
  const untilEnd = (end - current + 1440) % 1440;
  const minuteStart = Math.floor(now.getTime() / 60_000) * 60_000;
  return new Date(minuteStart + untilEnd * 60_000);
}

/** Extra recipients a configuration's alert settings name (emails for EMAIL, +phones for SMS channels). */
export async function configurationRecipients(ctx: CommandContext, configurationId: string): Promise<string[]> {
  const row = await ctx.trx.selectFrom('fraud_risk_configurations').select('alerting_config').where('id', '=', configurationId).executeTakeFirst();
  return fromJsonOrNull<AlertingConfig>(row?.alerting_config ?? null)?.recipients ?? [];
}

export function recipientsFor(kind: string, recipients: readonly string[]): string[] | undefined {
  if (kind === 'EMAIL') return recipients.filter((r) => r.includes('@'));
  if (kind === 'SMS') return recipients.filter((r) => /^\+[1-9]\d{7,14}$/.test(r));
  return undefined;
}

interface RouteRow {
  ruleId: string | null;
  channelId: string | null;
  level: number;
  outcome: 'QUEUED' | 'SUPPRESSED_DUPLICATE' | 'THROTTLED' | 'HELD_QUIET_HOURS' | 'RELEASED' | 'ESCALATED' | 'NOTIFIED_IN_APP';
  detail: string | null;
  holdUntil?: Date | null;
  deliveryId?: string | null;
}

export async function writeRoute(ctx: CommandContext, alert: Pick<Alert, 'id' | 'tenantId'>, route: RouteRow): Promise<string> {
  const id = ctx.newId();
  await ctx.trx
    .insertInto('alert_routes')
    .values({
      id,
      alert_id: alert.id,
      tenant_id: alert.tenantId,
      rule_id: route.ruleId,
      channel_id: route.channelId,
      level: route.level,
      outcome: route.outcome,
      detail: route.detail?.slice(0, 1000) ?? null,
      hold_until: route.holdUntil ? route.holdUntil.toISOString() : null,
      delivery_id: route.deliveryId ?? null,
      created_at: ctx.now.toISOString(),
      version: 1,
    })
    .execute();
  return id;
}

/**
 * Messages the channel queued in the hour before `now`, read from the outbox itself: a message held
 * for quiet hours counts from when it was released, not from when it was held, so a release after
 * quiet hours cannot burst past the limit. Test sends do not count.
 */
async function messagesInLastHour(ctx: CommandContext, channelId: string): Promise<number> {
  const row = await ctx.trx
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('owner_kind', '=', ALERT_CHANNEL_OWNER)
    .where('owner_id', '=', channelId)
    .where('created_at', '>', new Date(ctx.now.getTime() - HOUR_MS).toISOString())
    .where('event_type', '<>', 'alert.test')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Why the channel may not take another message now (its hourly limit reached), or null when it may. */
export async function throttledBecause(ctx: CommandContext, channel: Pick<AlertChannelRow, 'id' | 'max_per_hour'>): Promise<string | null> {
  if (channel.max_per_hour === null) return null;
  const sent = await messagesInLastHour(ctx, channel.id);
  return sent >= channel.max_per_hour ? `The channel already sent ${sent} messages in the last hour (its limit is ${channel.max_per_hour}).` : null;
}

export interface RouteContext {
  alert: Alert;
  evidence: AlertEvidence;
  level: number;
  event: AlertMessageEvent;
  /** Users already notified in this pass (two rules naming the same role notify a person once). */
  notified: Set<string>;
}

/**
 * One channel of one rule: skip a disabled/deleted/other-tenant channel, throttle past its hourly
 * limit, hold a non-critical message during its quiet hours, otherwise queue the delivery in this
 * transaction (the issue 14 outbox: it goes out if and only if the alert committed).
 */
async function routeToChannel(ctx: CommandContext, rc: RouteContext, rule: RoutingRule, channelId: string, recipients: readonly string[]): Promise<void> {
  const channel: AlertChannelRow | undefined = await ctx.trx.selectFrom('alert_channels').selectAll().where('id', '=', channelId).executeTakeFirst();
  if (!channel || channel.deleted_at !== null || !toBool(channel.enabled)) return;
  if (channel.tenant_id !== '*' && channel.tenant_id !== rc.alert.tenantId) return;
  const throttled = await throttledBecause(ctx, channel);
  if (throttled) {
    await writeRoute(ctx, rc.alert, { ruleId: rule.id, channelId: channel.id, level: rc.level, outcome: 'THROTTLED', detail: throttled });
    return;
  }
  const quiet = channel.quiet_hours === null ? null : QuietHours.parse(fromJson(channel.quiet_hours));
  const holdUntil = quiet && (rc.alert.severity !== 'CRITICAL' || quiet.holdCritical) ? quietHoursEnd(quiet, ctx.now) : null;
  if (holdUntil) {
    await writeRoute(ctx, rc.alert, {
      ruleId: rule.id,
      channelId: channel.id,
      level: rc.level,
      outcome: 'HELD_QUIET_HOURS',
      detail: `Quiet hours ${quiet!.start}–${quiet!.end} (Nairobi time): held until they end.`,
      holdUntil,
    });
    return;
  }
  const extra = recipientsFor(channel.kind, recipients);
  const queued = await enqueueAlertDeliveryWithin(ctx, {
    channelId: channel.id,
    event: rc.event,
    alert: rc.alert,
    evidence: rc.evidence,
    level: rc.level,
    ...(extra && extra.length > 0 ? { recipients: extra } : {}),
  });
  if (!queued) return;
  await writeRoute(ctx, rc.alert, { ruleId: rule.id, channelId: channel.id, level: rc.level, outcome: 'QUEUED', detail: null, deliveryId: queued.deliveryId });
}

/** Active users of these roles who act for the alert's tenant (an empty tenant list = every tenant). */
async function usersWithRoles(ctx: CommandContext, roles: readonly string[], tenantId: string): Promise<string[]> {
  if (roles.length === 0) return [];
  const users = await ctx.trx
    .selectFrom('users')
    .select(['id', 'tenant_ids'])
    .where('role', 'in', [...roles])
    .where('active', '=', dbBool(ctx.dialect, true))
    .orderBy('username')
    .execute();
  return users
    .filter((u) => {
      const tenants = tenantIdsOf(u.tenant_ids);
      return tenants.length === 0 || tenants.includes(tenantId);
    })
    .map((u) => u.id);
}

async function notifyRoles(ctx: CommandContext, rc: RouteContext, rule: RoutingRule, roles: readonly string[]): Promise<void> {
  const userIds = (await usersWithRoles(ctx, roles, rc.alert.tenantId)).filter((id) => !rc.notified.has(id));
  if (userIds.length === 0) return;
  const escalated = rc.level > 0 ? ` (escalated, level ${rc.level})` : '';
  for (const userId of userIds) {
    rc.notified.add(userId);
    await notifyWithin(ctx, {
      userId,
      tenantId: rc.alert.tenantId,
      kind: rc.level > 0 ? 'alert.escalated' : 'alert.raised',
      title: `${rc.alert.severity} alert ${rc.alert.reference}${escalated}`,
      body: rc.alert.title,
      link: `/alerts/${rc.alert.id}`,
      entityType: 'alert',
      entityId: rc.alert.id,
    });
  }
  await writeRoute(ctx, rc.alert, {
    ruleId: rule.id,
    channelId: null,
    level: rc.level,
    outcome: 'NOTIFIED_IN_APP',
    detail: `${userIds.length} ${userIds.length === 1 ? 'person' : 'people'} notified in-app (${roles.join(', ')}).`,
  });
}

/**
 * Sends an alert through the rules that route it, at one level: level 0 is the rule's own
 * channels and roles; level n ≥ 1 is the rule's escalation step n−1.
 */
export async function routeAlertWithin(ctx: CommandContext, rc: RouteContext, rules: readonly RoutingRule[]): Promise<void> {
  for (const rule of rules) {
    const step = rc.level === 0 ? { channelIds: rule.channelIds, notifyRoles: rule.notifyRoles } : rule.escalation[rc.level - 1];
    if (!step) continue;
    const recipients = rule.sourceConfigurationId ? await configurationRecipients(ctx, rule.sourceConfigurationId) : [];
    for (const channelId of step.channelIds) await routeToChannel(ctx, rc, rule, channelId, recipients);
    await notifyRoles(ctx, rc, rule, step.notifyRoles);
  }
}

/**
 * When an alert at `level` escalates next if nobody acknowledges it: the earliest of the rules'
 * next steps, counted from `from` (null when no rule has a step for the next level).
 */
export function nextEscalationAt(rules: readonly RoutingRule[], level: number, from: Date): Date | null {
  const waits = rules.map((r) => r.escalation[level]?.afterMinutes).filter((m): m is number => m !== undefined);
  return waits.length === 0 ? null : new Date(from.getTime() + Math.min(...waits) * 60_000);
}
