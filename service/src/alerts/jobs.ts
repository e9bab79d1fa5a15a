import { z } from 'zod';
import { defineCommand, SYSTEM_ACTOR, type CommandBus, type CommandContext } from '../commands/bus.ts';
import { toBool, toIso } from '../db/database.ts';
import { lockForUpdate } from '../db/dialect.ts';
import type { AlertRouteRow } from '../db/schema-alerting.ts';
import type { RiskJob } from '../risk-schedules/jobs.ts';
import { AlertPattern, AlertSeverity } from '../../../shared/src/alerts.ts';
import { enqueueAlertDeliveryWithin } from './channels/enqueue.ts';
import { evidenceOf, recordAlertChange, toAlerts } from './mapping.ts';
import {
  configurationIdOf,
  configurationRecipients,
  matchingRules,
  nextEscalationAt,
  recipientsFor,
  routeAlertWithin,
  throttledBecause,
  writeRoute,
} from './routing.ts';

/** How many alerts / held messages one run handles; the rest wait for the next minute. */
const BATCH = 200;
export const EVERY_MINUTE = '* * * * *';

/**
 * Alerts nobody acknowledged in time go to the next level: the escalation step of each rule that
 * routes them (its channels and roles), and the time of the following step is set.
 */
export const escalateDueAlerts = defineCommand({
  name: 'alert.escalateDue',
  input: z.object({}),
  permission: null,
  async apply(ctx): Promise<number> {
    const due = await lockForUpdate(
      ctx.dialect,
      ctx.trx
        .selectFrom('alerts')
        .selectAll()
        .where('status', '=', 'OPEN')
        .where('next_escalation_at', '<=', ctx.now.toISOString())
        .orderBy('next_escalation_at')
        .limit(BATCH),
    ).execute();
    for (const row of due) {
      const [before] = await toAlerts(ctx.trx, [row]);
      const evidence = evidenceOf(row);
      const rules = await matchingRules(ctx, {
        tenantId: row.tenant_id,
        pattern: AlertPattern.parse(row.pattern),
        severity: AlertSeverity.parse(row.severity),
        configurationId: configurationIdOf(evidence),
      });
      const level = row.escalation_level + 1;
      const stepping = rules.filter((r) => r.escalation[level - 1] !== undefined);
      const next = stepping.length > 0 ? nextEscalationAt(rules, level, ctx.now) : null;
      const changes = {
        escalation_level: stepping.length > 0 ? level : row.escalation_level,
        next_escalation_at: next ? next.toISOString() : null,
        updated_at: ctx.now.toISOString(),
        version: row.version + 1,
      };
      await ctx.trx.updateTable('alerts').set(changes).where('id', '=', row.id).execute();
      const [after] = await toAlerts(ctx.trx, [{ ...row, ...changes }]);
      for (const rule of stepping) {
        const waited = Math.round((ctx.now.getTime() - Date.parse(toIso(row.next_escalation_at ?? row.created_at))) / 60_000);
        await writeRoute(ctx, after!, {
          ruleId: rule.id,
          channelId: null,
          level,
          outcome: 'ESCALATED',
          detail: `Not acknowledged in time${waited > 0 ? ` (${waited} min past due)` : ''}: escalated to level ${level}.`,
        });
      }
      if (stepping.length > 0) await routeAlertWithin(ctx, { alert: after!, evidence, level, event: 'alert.escalated', notified: new Set() }, stepping);
      recordAlertChange(ctx, before!, after!);
    }
    return due.length;
  },
});

async function releaseOne(ctx: CommandContext, route: AlertRouteRow): Promise<boolean> {
  const alertRow = await ctx.trx.selectFrom('alerts').selectAll().where('id', '=', route.alert_id).executeTakeFirstOrThrow();
  const done = (detail: string, deliveryId: string | null, outcome: 'RELEASED' | 'THROTTLED' = 'RELEASED') =>
    ctx.trx
      .updateTable('alert_routes')
      .set({ outcome, detail, delivery_id: deliveryId, version: route.version + 1 })
      .where('id', '=', route.id)
      .execute();
  if (alertRow.status === 'RESOLVED') {
    await done('Not sent: the alert was resolved during quiet hours.', null);
    return false;
  }
  const channel = route.channel_id
    ? await ctx.trx
        .selectFrom('alert_channels')
        .select(['id', 'kind', 'enabled', 'deleted_at', 'max_per_hour'])
        .where('id', '=', route.channel_id)
        .executeTakeFirst()
    : undefined;
  if (!channel || channel.deleted_at !== null || !toBool(channel.enabled)) {
    await done('Not sent: the channel was disabled or removed during quiet hours.', null);
    return false;
  }
  // What piled up overnight goes out within the channel's hourly limit like everything else.
  const throttled = await throttledBecause(ctx, channel);
  if (throttled) {
    await done(`Held for quiet hours until ${toIso(route.hold_until!)}; not sent when they ended: ${throttled}`, null, 'THROTTLED');
    return false;
  }
  const rule = route.rule_id
    ? await ctx.trx.selectFrom('alert_rules').select('source_configuration_id').where('id', '=', route.rule_id).executeTakeFirst()
    : undefined;
  const recipients = rule?.source_configuration_id ? recipientsFor(channel.kind, await configurationRecipients(ctx, rule.source_configuration_id)) : undefined;
  const [alert] = await toAlerts(ctx.trx, [alertRow]);
  const queued = await enqueueAlertDeliveryWithin(ctx, {
    channelId: route.channel_id!,
    event: route.level > 0 ? 'alert.escalated' : 'alert.raised',
    alert: alert!,
    evidence: evidenceOf(alertRow),
    level: route.level,
    ...(recipients && recipients.length > 0 ? { recipients } : {}),
  });
  await done(`Held for quiet hours until ${toIso(route.hold_until!)}; sent when they ended.`, queued?.deliveryId ?? null);
  return queued !== null;
}

/** Messages held for a channel's quiet hours go out once the hours end (the route row becomes RELEASED). */
export const releaseHeldAlertMessages = defineCommand({
  name: 'alert.releaseHeld',
  input: z.object({}),
  permission: null,
  async apply(ctx): Promise<number> {
    const held = await lockForUpdate(
      ctx.dialect,
      ctx.trx
        .selectFrom('alert_routes')
        .selectAll()
        .where('outcome', '=', 'HELD_QUIET_HOURS')
        .where('hold_until', '<=', ctx.now.toISOString())
        .orderBy('hold_until')
        .orderBy('created_at')
        .orderBy('id')
        .limit(BATCH),
    ).execute();
    let sent = 0;
    for (const route of held) if (await releaseOne(ctx, route)) sent++;
    // The alerts' delivery story changed: their pages refetch.
    const alertIds = [...new Set(held.map((r) => r.alert_id))];
    if (alertIds.length > 0) {
      const rows = await ctx.trx.selectFrom('alerts').selectAll().where('id', 'in', alertIds).execute();
      for (const a of await toAlerts(ctx.trx, rows)) {
        ctx.announce({
          event: 'alert.changed',
          payload: { id: a.id, reference: a.reference, tenantId: a.tenantId, status: a.status, severity: a.severity, pattern: a.pattern, version: a.version },
          audience: 'alert:read',
          tenantId: a.tenantId,
        });
      }
    }
    return sent;
  },
});

/** The two routing jobs, every minute on the scheduler's slots (once per slot across hubs). */
export function routingJobs(bus: CommandBus): RiskJob[] {
  return [
    {
      name: 'alerts:escalate',
      cron: EVERY_MINUTE,
      run: async (at) => `escalated ${await bus.execute(escalateDueAlerts, {}, SYSTEM_ACTOR, { at })}`,
    },
    {
      name: 'alerts:release-quiet-hours',
      cron: EVERY_MINUTE,
      run: async (at) => `released ${await bus.execute(releaseHeldAlertMessages, {}, SYSTEM_ACTOR, { at })}`,
    },
  ];
}
