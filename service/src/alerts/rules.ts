import { z } from 'zod';
import { defineCommand, type CommandContext } from '../commands/bus.ts';
import { TenantScope } from '../auth/tenant-scope.ts';
import { dbBool, fromJson, toBool, toJson } from '../db/database.ts';
import { lockForUpdate } from '../db/dialect.ts';
import type { Insertable } from 'kysely';
import type { AlertRuleRow, AlertRulesTable } from '../db/schema-alerting.ts';
import { conflict, notFound, validationFailed } from '../errors.ts';
import { AlertRuleBody, UpdateAlertRuleRequest, type AlertRule, type AlertSeverity } from '../../../shared/src/alerts.ts';
import type { AlertingConfig } from '../../../shared/src/decision-engine.ts';
import { ALERT_RULE_ENTITY, toAlertRules } from './mapping.ts';

type RuleBody = z.output<typeof AlertRuleBody>;

function ruleColumns(ctx: CommandContext, body: RuleBody) {
  return {
    name: body.name,
    patterns: toJson([...new Set(body.patterns)]),
    min_severity: body.minSeverity,
    tenant_ids: toJson([...new Set(body.tenantIds)]),
    channel_ids: toJson([...new Set(body.channelIds)]),
    dedup_window_minutes: body.dedupWindowMinutes,
    notify_roles: toJson([...new Set(body.notifyRoles)]),
    escalation: toJson(body.escalation),
    enabled: dbBool(ctx.dialect, body.enabled),
  };
}

/** Every channel a rule names must exist (a deleted one is refused, naming the field). */
async function checkChannels(ctx: CommandContext, body: RuleBody): Promise<void> {
  const named = [
    ...body.channelIds.map((id, i) => ({ id, path: `body.channelIds.${i}` })),
    ...body.escalation.flatMap((s, n) => s.channelIds.map((id, i) => ({ id, path: `body.escalation.${n}.channelIds.${i}` }))),
  ];
  if (named.length === 0) return;
  const live = await ctx.trx
    .selectFrom('alert_channels')
    .select('id')
    .where(
      'id',
      'in',
      named.map((n) => n.id),
    )
    .where('deleted_at', 'is', null)
    .execute();
  const ids = new Set(live.map((c) => c.id));
  const missing = named.filter((n) => !ids.has(n.id));
  if (missing.length > 0) throw validationFailed(missing.map((m) => ({ path: m.path, message: 'no such alert channel' })));
}

function checkTenants(ctx: CommandContext, body: RuleBody): void {
  const scope = new TenantScope(ctx.actor.tenants);
  for (const [i, t] of body.tenantIds.entries()) scope.assertInput(t, `body.tenantIds.${i}`);
}

async function view(ctx: CommandContext, row: AlertRuleRow): Promise<AlertRule> {
  const [rule] = await toAlertRules(ctx.trx, [row]);
  return rule!;
}

function record(ctx: CommandContext, before: AlertRule | null, after: AlertRule | null, id: string, version: number): void {
  ctx.audit({ entityType: ALERT_RULE_ENTITY, entityId: id, before: before ? { ...before } : null, after: after ? { ...after } : null });
  ctx.change({ entityType: ALERT_RULE_ENTITY, entityId: id, operation: after ? 'upsert' : 'delete', version, data: after ? { ...after } : null });
}

/** A rule an admin may change: a configuration's own rule changes only through its configuration. */
async function loadEditableRule(ctx: CommandContext, id: string): Promise<AlertRuleRow> {
  const row = await lockForUpdate(
    ctx.dialect,
    ctx.trx.selectFrom('alert_rules').selectAll().where('id', '=', id).where('deleted_at', 'is', null),
  ).executeTakeFirst();
  if (!row) throw notFound('alert rule');
  if (row.source_configuration_id !== null) {
    throw conflict('this rule is a configuration’s alert settings: change them in the configuration (Monitoring & alert settings)');
  }
  return row;
}

async function insertRule(ctx: CommandContext, columns: ReturnType<typeof ruleColumns>, sourceConfigurationId: string | null): Promise<AlertRule> {
  const now = ctx.now.toISOString();
  const row = {
    id: ctx.newId(),
    ...columns,
    source_configuration_id: sourceConfigurationId,
    created_by: ctx.actor.name,
    created_at: now,
    updated_at: now,
    version: 1,
    deleted_at: null,
  } satisfies Insertable<AlertRulesTable>;
  await ctx.trx.insertInto('alert_rules').values(row).execute();
  const after = await view(ctx, row);
  record(ctx, null, after, row.id, 1);
  return after;
}

async function changeRule(ctx: CommandContext, row: AlertRuleRow, columns: Partial<Insertable<AlertRulesTable>>): Promise<AlertRule> {
  const before = await view(ctx, row);
  const changes = { ...columns, updated_at: ctx.now.toISOString(), version: row.version + 1 };
  await ctx.trx.updateTable('alert_rules').set(changes).where('id', '=', row.id).execute();
  const next = { ...row, ...changes };
  const after = await view(ctx, next);
  record(ctx, before, after, row.id, next.version);
  return after;
}

async function tombstoneRule(ctx: CommandContext, row: AlertRuleRow): Promise<void> {
  const before = await view(ctx, row);
  const now = ctx.now.toISOString();
  // A tombstone (ARCHITECTURE.md rule 5): the alerts it routed keep naming it in their delivery story.
  await ctx.trx
    .updateTable('alert_rules')
    .set({ deleted_at: now, updated_at: now, version: row.version + 1 })
    .where('id', '=', row.id)
    .execute();
  record(ctx, before, null, row.id, row.version + 1);
}

export const createAlertRule = defineCommand({
  name: 'alertRule.create',
  input: AlertRuleBody,
  permission: 'alert:configure',
  async apply(ctx, input): Promise<AlertRule> {
    checkTenants(ctx, input);
    await checkChannels(ctx, input);
    return insertRule(ctx, ruleColumns(ctx, input), null);
  },
});

export const updateAlertRule = defineCommand({
  name: 'alertRule.update',
  input: UpdateAlertRuleRequest.extend({ id: z.uuid() }),
  permission: 'alert:configure',
  async apply(ctx, input): Promise<AlertRule> {
    const row = await loadEditableRule(ctx, input.id);
    if (row.version !== input.version) throw conflict(`the rule was changed meanwhile (version ${row.version}, you had ${input.version}): reload it`);
    checkTenants(ctx, input);
    await checkChannels(ctx, input);
    return changeRule(ctx, row, ruleColumns(ctx, input));
  },
});

export const deleteAlertRule = defineCommand({
  name: 'alertRule.delete',
  input: z.object({ id: z.uuid() }),
  permission: 'alert:configure',
  async apply(ctx, input): Promise<void> {
    await tombstoneRule(ctx, await loadEditableRule(ctx, input.id));
  },
});

/** What keeping a configuration's rule in step needs to know about the configuration. */
export interface ConfigurationAlerting {
  id: string;
  name: string;
  tenantId: string;
  alertingConfig: AlertingConfig | null;
  /** The configuration was deleted: its rule goes too. */
  deleted: boolean;
}

const RISK_TO_SEVERITY: Record<string, AlertSeverity> = { LOW: 'LOW', MEDIUM: 'MEDIUM', HIGH: 'HIGH', CRITICAL: 'CRITICAL' };

/**
 * Keeps ONE alert_rules row in step with a configuration's alert settings (seed 003
 * alerting_config), inside the configuration's own command: RISKY_PAYMENT at or above its
 * minimum risk level, for its tenant ('*' = every tenant), through the enabled channels of the kinds
 * it lists (and allowed to carry its tenant). Its recipients go to EMAIL / SMS channels as extra
 * recipients at routing time (routing.ts).
 */
export async function syncConfigurationAlertRuleWithin(ctx: CommandContext, config: ConfigurationAlerting): Promise<void> {
  const existing = await lockForUpdate(
    ctx.dialect,
    ctx.trx.selectFrom('alert_rules').selectAll().where('source_configuration_id', '=', config.id).where('deleted_at', 'is', null),
  ).executeTakeFirst();
  if (config.deleted || !config.alertingConfig) {
    if (existing) await tombstoneRule(ctx, existing);
    return;
  }
  const settings = config.alertingConfig;
  const kinds = [...new Set(settings.channels)];
  const channels = kinds.length
    ? await ctx.trx
        .selectFrom('alert_channels')
        .select(['id', 'tenant_id', 'enabled'])
        .where('kind', 'in', kinds)
        .where('deleted_at', 'is', null)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    : [];
  const channelIds = channels
    .filter((c) => toBool(c.enabled) && (c.tenant_id === '*' || config.tenantId === '*' || c.tenant_id === config.tenantId))
    .map((c) => c.id);
  const columns = {
    name: `Configuration: ${config.name}`.slice(0, 100),
    patterns: toJson(['RISKY_PAYMENT']),
    min_severity: RISK_TO_SEVERITY[settings.minRiskLevel] ?? 'CRITICAL',
    tenant_ids: toJson(config.tenantId === '*' ? [] : [config.tenantId]),
    channel_ids: toJson(channelIds),
    enabled: dbBool(ctx.dialect, settings.enabled),
  };
  if (!existing) {
    if (!settings.enabled) return;
    await insertRule(
      ctx,
      {
        ...columns,
        // One payment is one alert: its dedup is its own entity id, no window needed beyond the default.
        dedup_window_minutes: 60,
        notify_roles: toJson([]),
        escalation: toJson([]),
      },
      config.id,
    );
    return;
  }
  // JSON columns come back parsed on PostgreSQL and as text on SQLite: compare them re-serialised.
  const json = (value: unknown) => toJson(fromJson(value));
  const same =
    existing.name === columns.name &&
    json(existing.patterns) === columns.patterns &&
    existing.min_severity === columns.min_severity &&
    json(existing.tenant_ids) === columns.tenant_ids &&
    json(existing.channel_ids) === columns.channel_ids &&
    toBool(existing.enabled) === settings.enabled;
  if (same) return;
  await changeRule(ctx, existing, columns);
}
