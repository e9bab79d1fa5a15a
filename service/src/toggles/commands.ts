import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineCommand, reserveCounter, type CommandContext } from '../commands/bus.ts';
import { conflict, forbidden, notFound, parseOrThrow, validationFailed } from '../errors.ts';
import { fromJson, dbBool } from '../db/database.ts';
import type { ToggleApprovalRow, ToggleConfigurationRow } from '../db/schema.ts';
import { ToggleActionRequest, ToggleContext, ToggleInput, ToggleSettings, type ToggleApproval } from '../../../shared/src/toggles.ts';
import { entryFromRow, TOGGLE_REVISION, toToggleConfiguration } from './service.ts';
import { ToggleIndex } from './resolver.ts';
import { toBool, toIso, toIsoOrNull } from '../db/database.ts';
import { TenantScope } from '../auth/tenant-scope.ts';
import { notifyApproversWithin, settleRequestNotificationsWithin } from '../notifications/recipients.ts';

const SETTINGS_KEY = 'fraud-api-toggle';
const DEFAULT_SETTINGS: ToggleSettings = { fourEyesForTenantDisable: false };
type ParsedToggleInput = z.output<typeof ToggleInput>;

export async function readToggleSettings(ctx: Pick<CommandContext, 'trx'>): Promise<ToggleSettings> {
  const row = await ctx.trx.selectFrom('settings').select('value').where('name', '=', SETTINGS_KEY).executeTakeFirst();
  return row ? ToggleSettings.parse(fromJson(row.value)) : DEFAULT_SETTINGS;
}

function columns(ctx: CommandContext, input: ParsedToggleInput) {
  return {
    tenant_id: input.tenantId,
    payment_type: input.paymentType,
    local_instrumentation_code: input.localInstrumentationCode,
    clearing_system_code: input.clearingSystemCode,
    is_enabled: dbBool(ctx.dialect, input.isEnabled),
    enabled_reason: input.enabledReason,
    disabled_reason: input.disabledReason,
    effective_from: input.effectiveFrom === null ? null : new Date(input.effectiveFrom).toISOString(),
    effective_until: input.effectiveUntil === null ? null : new Date(input.effectiveUntil).toISOString(),
    priority: input.priority,
    is_active: dbBool(ctx.dialect, input.isActive),
    // Required by ToggleInput whenever the engine is off; an enabled configuration's fallback is
    // never used, and if one is stored it is the safe one (nothing defaults to "approve").
    disabled_behaviour: input.disabledBehaviour ?? 'LOCAL_RULES_ONLY',
  };
}

function view(row: ToggleConfigurationRow, at: Date): Record<string, unknown> {
  return { ...toToggleConfiguration(row, at.getTime()) };
}

/** Announced to the tenant's screens only (null = bank-wide, e.g. settings). */
async function changed(
  ctx: CommandContext,
  configurationId: string | null,
  action: 'created' | 'updated' | 'deleted' | 'approval-requested' | 'approval-decided' | 'settings',
  tenantId: string | null,
): Promise<void> {
  await reserveCounter(ctx.trx, TOGGLE_REVISION);
  ctx.announce({
    event: 'toggle.changed',
    audience: 'toggle:read',
    tenantId,
    payload: { configurationId, action, at: ctx.now.toISOString(), by: ctx.actor.name },
  });
}

/**
 * Tenant checks inside the command, so that a command replayed by name (outbox, sync) is checked
 * too (ARCHITECTURE.md "Tenants"): another tenant's record does not exist for the actor (404);
 * another tenant named in the input is refused (403, naming the field).
 */
const scopeOf = (ctx: CommandContext) => new TenantScope(ctx.actor.tenants);

const isTenantLevelDisable = (input: ParsedToggleInput) =>
  !input.isEnabled && input.isActive && input.paymentType === null && input.localInstrumentationCode === null && input.clearingSystemCode === null;

async function load(ctx: CommandContext, id: string): Promise<ToggleConfigurationRow> {
  const row = await ctx.trx.selectFrom('fraud_api_toggle_configurations').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('toggle configuration');
  scopeOf(ctx).assertVisible(row.tenant_id, 'toggle configuration');
  return row;
}

/** Writes (creates or updates) a toggle configuration: the shared end of create, update, schedule, enable/disable and approval. */
async function write(ctx: CommandContext, input: ParsedToggleInput, existing: ToggleConfigurationRow | null): Promise<ToggleConfigurationRow> {
  const now = ctx.now.toISOString();
  if (existing) {
    const updated: ToggleConfigurationRow = {
      ...existing,
      ...columns(ctx, input),
      updated_at: now,
      updated_by: ctx.actor.name,
      row_version: existing.row_version + 1,
    };
    await ctx.trx
      .updateTable('fraud_api_toggle_configurations')
      .set({ ...columns(ctx, input), updated_at: now, updated_by: ctx.actor.name, row_version: updated.row_version })
      .where('id', '=', existing.id)
      .execute();
    ctx.audit({
      entityType: 'fraud_api_toggle',
      entityId: existing.id,
      tenantId: updated.tenant_id,
      before: view(existing, ctx.now),
      after: view(updated, ctx.now),
    });
    ctx.change({ entityType: 'fraud_api_toggle', entityId: existing.id, operation: 'upsert', version: updated.row_version, data: view(updated, ctx.now) });
    await changed(ctx, existing.id, 'updated', updated.tenant_id);
    return updated;
  }
  const row = {
    id: randomUUID(),
    ...columns(ctx, input),
    created_by: ctx.actor.name,
    updated_by: ctx.actor.name,
    created_at: now,
    updated_at: now,
    row_version: 1,
    deleted_at: null,
  };
  await ctx.trx.insertInto('fraud_api_toggle_configurations').values(row).execute();
  const created = row as unknown as ToggleConfigurationRow;
  ctx.audit({ entityType: 'fraud_api_toggle', entityId: row.id, tenantId: row.tenant_id, before: null, after: view(created, ctx.now) });
  ctx.change({ entityType: 'fraud_api_toggle', entityId: row.id, operation: 'upsert', version: 1, data: view(created, ctx.now) });
  await changed(ctx, row.id, 'created', row.tenant_id);
  return created;
}

export type ToggleWriteResult =
  | { kind: 'applied'; configuration: ReturnType<typeof toToggleConfiguration> }
  | { kind: 'pending-approval'; approval: ToggleApproval };

/**
 * Applies a change, unless it disables the engine for a whole tenant while the four-eyes setting
 * is on: then it becomes a request that another admin must approve.
 */
async function applyOrRequest(ctx: CommandContext, input: ParsedToggleInput, existing: ToggleConfigurationRow | null): Promise<ToggleWriteResult> {
  scopeOf(ctx).assertInput(input.tenantId, 'body.tenantId');
  if (isTenantLevelDisable(input) && (await readToggleSettings(ctx)).fourEyesForTenantDisable) {
    const row = {
      id: randomUUID(),
      status: 'PENDING',
      request: JSON.stringify({ ...input, configurationId: existing?.id ?? null }),
      requested_by: ctx.actor.name,
      requested_by_id: ctx.actor.id,
      requested_at: ctx.now.toISOString(),
      decided_by: null,
      decided_at: null,
      decision_note: null,
      result_configuration_id: null,
      version: 1,
      deleted_at: null,
    };
    await ctx.trx.insertInto('fraud_api_toggle_approvals').values(row).execute();
    const approval = toApproval(row as unknown as ToggleApprovalRow);
    ctx.audit({ entityType: 'fraud_api_toggle_approval', entityId: row.id, tenantId: input.tenantId, before: null, after: { ...approval } });
    ctx.change({ entityType: 'fraud_api_toggle_approval', entityId: row.id, operation: 'upsert', version: 1, data: { ...approval } });
    await changed(ctx, existing?.id ?? null, 'approval-requested', input.tenantId);
    // Issue 15: the other admins who may decide it hear that it waits for them (never the requester).
    await notifyApproversWithin(ctx, {
      permission: 'toggle:manage',
      tenantId: input.tenantId,
      makerId: ctx.actor.id,
      kind: 'fraud-api-toggle.approval-requested',
      title: `Four-eyes: disabling the fraud API for ${input.tenantId} waits for your approval`,
      body: `${ctx.actor.name} asks to disable the bank's fraud API for tenant ${input.tenantId}.`,
      link: '/fraud-api-toggles',
      entityType: 'fraud_api_toggle_approval',
      entityId: row.id,
    });
    return { kind: 'pending-approval', approval };
  }
  return { kind: 'applied', configuration: toToggleConfiguration(await write(ctx, input, existing), ctx.now.getTime()) };
}

export function toApproval(row: ToggleApprovalRow): ToggleApproval {
  return {
    id: row.id,
    status: row.status as ToggleApproval['status'],
    request: fromJson(row.request),
    requestedBy: row.requested_by,
    requestedById: row.requested_by_id,
    requestedAt: toIso(row.requested_at),
    decidedBy: row.decided_by,
    decidedAt: toIsoOrNull(row.decided_at),
    decisionNote: row.decision_note,
    resultConfigurationId: row.result_configuration_id,
  };
}

export const createToggle = defineCommand({
  name: 'fraud-api-toggle.create',
  input: ToggleInput,
  permission: 'toggle:manage',
  apply: (ctx, input) => applyOrRequest(ctx, input, null),
});

/** Seed 003 "schedule for a future effective time": like create, but effective_from must lie ahead. */
export const scheduleToggle = defineCommand({
  name: 'fraud-api-toggle.schedule',
  input: ToggleInput,
  permission: 'toggle:manage',
  async apply(ctx, input) {
    if (!input.effectiveFrom || Date.parse(input.effectiveFrom) <= ctx.now.getTime()) {
      throw validationFailed([{ path: 'body.effectiveFrom', message: 'a scheduled configuration needs an effectiveFrom in the future' }]);
    }
    return applyOrRequest(ctx, input, null);
  },
});

export const updateToggle = defineCommand({
  name: 'fraud-api-toggle.update',
  input: ToggleInput.safeExtend({ id: z.uuid(), expectedRowVersion: z.number().int().positive() }),
  permission: 'toggle:manage',
  async apply(ctx, input) {
    const existing = await load(ctx, input.id);
    if (existing.row_version !== input.expectedRowVersion)
      throw conflict(`this toggle configuration was changed by ${existing.updated_by ?? 'someone else'} meanwhile: reload it`);
    return applyOrRequest(ctx, input, existing);
  },
});

export const deleteToggle = defineCommand({
  name: 'fraud-api-toggle.delete',
  input: z.object({ id: z.uuid(), expectedRowVersion: z.coerce.number().int().positive(), reason: z.string().trim().max(500).optional() }),
  permission: 'toggle:manage',
  async apply(ctx, { id, expectedRowVersion, reason }) {
    const existing = await load(ctx, id);
    if (existing.row_version !== expectedRowVersion) throw conflict('this toggle configuration was changed meanwhile: reload it');
    const now = ctx.now.toISOString();
    await ctx.trx
      .updateTable('fraud_api_toggle_configurations')
      .set({ deleted_at: now, is_active: dbBool(ctx.dialect, false), updated_at: now, updated_by: ctx.actor.name, row_version: existing.row_version + 1 })
      .where('id', '=', id)
      .execute();
    ctx.audit({
      entityType: 'fraud_api_toggle',
      entityId: id,
      tenantId: existing.tenant_id,
      before: view(existing, ctx.now),
      after: reason ? { deleted: true, reason } : null,
    });
    ctx.change({ entityType: 'fraud_api_toggle', entityId: id, operation: 'delete', version: existing.row_version + 1, data: null });
    await changed(ctx, id, 'deleted', existing.tenant_id);
    return { deleted: true };
  },
});

/** What applies at a context at the command's time, from the stored configurations (replayable, not this hub's memory). */
async function enabledAt(ctx: CommandContext, context: ToggleContext): Promise<boolean> {
  const rows = await ctx.trx
    .selectFrom('fraud_api_toggle_configurations')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where('tenant_id', '=', context.tenantId)
    .execute();
  const winner = new ToggleIndex(rows.filter((r) => toBool(r.is_active)).map(entryFromRow)).winner(context, ctx.now.getTime());
  return winner ? winner.isEnabled : true;
}

/**
 * Enable / disable / toggle for a context (seed 003): sets the permanent configuration at exactly
 * that context (created if there is none). `toggle` flips what currently applies there.
 */
export const setToggle = defineCommand({
  name: 'fraud-api-toggle.set',
  input: ToggleActionRequest.safeExtend({ action: z.enum(['enable', 'disable', 'toggle']) }),
  permission: 'toggle:manage',
  async apply(ctx, input) {
    const context = ToggleContext.parse(input);
    scopeOf(ctx).assertInput(context.tenantId, 'body.tenantId');
    const isEnabled = input.action === 'enable' ? true : input.action === 'disable' ? false : !(await enabledAt(ctx, context));
    let query = ctx.trx
      .selectFrom('fraud_api_toggle_configurations')
      .selectAll()
      .where('deleted_at', 'is', null)
      .where('tenant_id', '=', context.tenantId)
      .where('effective_from', 'is', null)
      .where('effective_until', 'is', null);
    for (const [column, value] of [
      ['payment_type', context.paymentType],
      ['local_instrumentation_code', context.localInstrumentationCode],
      ['clearing_system_code', context.clearingSystemCode],
    ] as const) {
      query = value === null ? query.where(column, 'is', null) : query.where(column, '=', value);
    }
    const existing = (await query.orderBy('priority').executeTakeFirst()) ?? null;
    // A disable must say what happens to payments meanwhile: no silent default (400 naming body.disabledBehaviour).
    const next = parseOrThrow(
      ToggleInput,
      {
        ...context,
        isEnabled,
        enabledReason: isEnabled ? input.reason : (existing?.enabled_reason ?? null),
        disabledReason: isEnabled ? (existing?.disabled_reason ?? null) : input.reason,
        priority: existing?.priority ?? 100,
        isActive: true,
        disabledBehaviour:
          input.disabledBehaviour ?? (isEnabled ? (existing?.disabled_behaviour as ParsedToggleInput['disabledBehaviour'] | undefined) : undefined),
      },
      'body',
    );
    return applyOrRequest(ctx, next, existing);
  },
});

/** Four-eyes: a second admin approves or rejects a tenant-level disable; never the requester. */
export const decideToggleApproval = defineCommand({
  name: 'fraud-api-toggle.approval.decide',
  input: z.object({ id: z.uuid(), approve: z.boolean(), note: z.string().trim().min(3, 'give a note of at least 3 characters').max(500) }),
  permission: 'toggle:manage',
  async apply(ctx, { id, approve, note }) {
    const row = await ctx.trx.selectFrom('fraud_api_toggle_approvals').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('approval request');
    const request = fromJson<ParsedToggleInput & { configurationId: string | null }>(row.request);
    scopeOf(ctx).assertVisible(request.tenantId, 'approval request');
    if (row.status !== 'PENDING') throw conflict(`this request was already ${row.status.toLowerCase()} by ${row.decided_by ?? 'someone'}`);
    if (row.requested_by_id === ctx.actor.id) throw forbidden('four-eyes: the person who asked for this change cannot approve or reject it');
    await settleRequestNotificationsWithin(ctx, { kind: 'fraud-api-toggle.approval-requested', entityId: id });
    let resultId: string | null = null;
    if (approve) {
      const existing = request.configurationId ? await load(ctx, request.configurationId) : null;
      const { configurationId: _configurationId, ...input } = request;
      resultId = (await write(ctx, ToggleInput.parse(input), existing)).id;
    }
    const now = ctx.now.toISOString();
    const status = approve ? 'APPROVED' : 'REJECTED';
    await ctx.trx
      .updateTable('fraud_api_toggle_approvals')
      .set({ status, decided_by: ctx.actor.name, decided_at: now, decision_note: note, result_configuration_id: resultId, version: row.version + 1 })
      .where('id', '=', id)
      .execute();
    const decided = toApproval({
      ...row,
      status,
      decided_by: ctx.actor.name,
      decided_at: now,
      decision_note: note,
      result_configuration_id: resultId,
      version: row.version + 1,
    });
    ctx.audit({
      entityType: 'fraud_api_toggle_approval',
      entityId: id,
      tenantId: request.tenantId,
      before: { status: 'PENDING' },
      after: { status, note, resultConfigurationId: resultId },
    });
    ctx.change({ entityType: 'fraud_api_toggle_approval', entityId: id, operation: 'upsert', version: row.version + 1, data: { ...decided } });
    await changed(ctx, resultId, 'approval-decided', request.tenantId);
    return decided;
  },
});

export const updateToggleSettings = defineCommand({
  name: 'fraud-api-toggle.settings.update',
  input: ToggleSettings,
  permission: 'toggle:manage',
  async apply(ctx, settings) {
    const before = await readToggleSettings(ctx);
    const now = ctx.now.toISOString();
    const exists = await ctx.trx.selectFrom('settings').select('version').where('name', '=', SETTINGS_KEY).executeTakeFirst();
    if (exists)
      await ctx.trx
        .updateTable('settings')
        .set({ value: JSON.stringify(settings), updated_at: now, updated_by: ctx.actor.name, version: exists.version + 1 })
        .where('name', '=', SETTINGS_KEY)
        .execute();
    else
      await ctx.trx
        .insertInto('settings')
        .values({ name: SETTINGS_KEY, value: JSON.stringify(settings), updated_at: now, updated_by: ctx.actor.name, version: 1 })
        .execute();
    ctx.audit({ entityType: 'settings', entityId: SETTINGS_KEY, before: { ...before }, after: { ...settings } });
    ctx.change({ entityType: 'settings', entityId: SETTINGS_KEY, operation: 'upsert', version: (exists?.version ?? 0) + 1, data: { ...settings } });
    await changed(ctx, null, 'settings', null);
    return settings;
  },
});
