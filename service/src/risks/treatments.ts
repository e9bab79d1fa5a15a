import { z } from 'zod';
import { defineCommand, type CommandContext } from '../commands/bus.ts';
import type { RiskTreatmentRow } from '../db/schema-risk-register.ts';
import { notFound } from '../errors.ts';
import { toIso } from '../db/database.ts';
import {
  TreatmentActionCreateInput,
  TreatmentActionUpdateInput,
  TreatmentCreateInput,
  TreatmentUpdateInput,
  type Treatment,
} from '../../../shared/src/risk-register.ts';
import { toTreatment, toTreatmentAction } from './mapping.ts';
import { assertOwner, checkVersion, loadRisk, userName, userNames } from './store.ts';

/** Treatment plans with actions, owners and due dates (issue 13). */

const TREATMENT = 'risk-treatment';
const ACTION = 'treatment-action';

async function loadTreatment(ctx: CommandContext, riskId: string, treatmentId: string): Promise<RiskTreatmentRow> {
  const risk = await loadRisk(ctx, riskId);
  const row = await ctx.trx
    .selectFrom('risk_treatments')
    .selectAll()
    .where('id', '=', treatmentId)
    .where('risk_id', '=', risk.id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw notFound('treatment');
  return row;
}

async function treatmentView(ctx: CommandContext, row: RiskTreatmentRow): Promise<Treatment> {
  const actions = await ctx.trx
    .selectFrom('treatment_actions')
    .selectAll()
    .where('treatment_id', '=', row.id)
    .where('deleted_at', 'is', null)
    .orderBy('due_date')
    .execute();
  const names = await userNames(ctx.trx, [row.owner_id, ...actions.map((a) => a.owner_id)]);
  return toTreatment(
    row,
    names.get(row.owner_id) ?? 'unknown user',
    actions.map((a) => toTreatmentAction(a, names.get(a.owner_id) ?? 'unknown user', ctx.now)),
    ctx.now,
  );
}

export const createTreatment = defineCommand({
  name: 'risk.treatment.create',
  input: TreatmentCreateInput.extend({ riskId: z.uuid() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const risk = await loadRisk(ctx, input.riskId);
    await assertOwner(ctx, input.ownerId, risk.tenant_id, 'body.ownerId');
    const now = ctx.now.toISOString();
    const row = {
      id: ctx.newId(),
      risk_id: risk.id,
      tenant_id: risk.tenant_id,
      strategy: input.strategy,
      title: input.title,
      description: input.description,
      owner_id: input.ownerId,
      due_date: input.dueDate,
      status: 'PLANNED',
      created_by: ctx.actor.name,
      created_at: now,
      updated_by: ctx.actor.name,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    await ctx.trx.insertInto('risk_treatments').values(row).execute();
    const view = await treatmentView(ctx, row);
    ctx.audit({ entityType: TREATMENT, entityId: row.id, tenantId: row.tenant_id, before: null, after: { ...view, riskReference: risk.reference } });
    ctx.change({ entityType: TREATMENT, entityId: row.id, operation: 'upsert', version: 1, data: { ...view } });
    return view;
  },
});

export const updateTreatment = defineCommand({
  name: 'risk.treatment.update',
  input: TreatmentUpdateInput.extend({ riskId: z.uuid(), treatmentId: z.uuid() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const row = await loadTreatment(ctx, input.riskId, input.treatmentId);
    checkVersion(row, input.expectedVersion, 'the treatment');
    if (input.ownerId !== row.owner_id) await assertOwner(ctx, input.ownerId, row.tenant_id, 'body.ownerId');
    const patch = {
      strategy: input.strategy,
      title: input.title,
      description: input.description,
      owner_id: input.ownerId,
      due_date: input.dueDate,
      status: input.status,
      version: row.version + 1,
      updated_by: ctx.actor.name,
      updated_at: ctx.now.toISOString(),
    };
    await ctx.trx.updateTable('risk_treatments').set(patch).where('id', '=', row.id).execute();
    const view = await treatmentView(ctx, { ...row, ...patch });
    ctx.audit({
      entityType: TREATMENT,
      entityId: row.id,
      tenantId: row.tenant_id,
      before: { status: row.status, dueDate: row.due_date, ownerId: row.owner_id },
      after: { ...view },
    });
    ctx.change({ entityType: TREATMENT, entityId: row.id, operation: 'upsert', version: patch.version, data: { ...view } });
    return view;
  },
});

export const createTreatmentAction = defineCommand({
  name: 'risk.treatment-action.create',
  input: TreatmentActionCreateInput.extend({ riskId: z.uuid(), treatmentId: z.uuid() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const treatment = await loadTreatment(ctx, input.riskId, input.treatmentId);
    const ownerName = await assertOwner(ctx, input.ownerId, treatment.tenant_id, 'body.ownerId');
    const now = ctx.now.toISOString();
    const row = {
      id: ctx.newId(),
      treatment_id: treatment.id,
      risk_id: treatment.risk_id,
      tenant_id: treatment.tenant_id,
      title: input.title,
      owner_id: input.ownerId,
      due_date: input.dueDate,
      status: 'OPEN',
      completed_at: null,
      created_by: ctx.actor.name,
      created_at: now,
      updated_by: ctx.actor.name,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    await ctx.trx.insertInto('treatment_actions').values(row).execute();
    const view = toTreatmentAction(row, ownerName, ctx.now);
    ctx.audit({ entityType: ACTION, entityId: row.id, tenantId: row.tenant_id, before: null, after: { ...view } });
    ctx.change({ entityType: ACTION, entityId: row.id, operation: 'upsert', version: 1, data: { ...view } });
    return view;
  },
});

export const updateTreatmentAction = defineCommand({
  name: 'risk.treatment-action.update',
  input: TreatmentActionUpdateInput.extend({ riskId: z.uuid(), treatmentId: z.uuid(), actionId: z.uuid() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const treatment = await loadTreatment(ctx, input.riskId, input.treatmentId);
    const row = await ctx.trx
      .selectFrom('treatment_actions')
      .selectAll()
      .where('id', '=', input.actionId)
      .where('treatment_id', '=', treatment.id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw notFound('action');
    checkVersion(row, input.expectedVersion, 'the action');
    if (input.ownerId !== row.owner_id) await assertOwner(ctx, input.ownerId, row.tenant_id, 'body.ownerId');
    const completedAt = input.status === 'DONE' ? (row.completed_at ? toIso(row.completed_at) : ctx.now.toISOString()) : null;
    const patch = {
      title: input.title,
      owner_id: input.ownerId,
      due_date: input.dueDate,
      status: input.status,
      completed_at: completedAt,
      version: row.version + 1,
      updated_by: ctx.actor.name,
      updated_at: ctx.now.toISOString(),
    };
    await ctx.trx.updateTable('treatment_actions').set(patch).where('id', '=', row.id).execute();
    const view = toTreatmentAction({ ...row, ...patch }, await userName(ctx.trx, input.ownerId), ctx.now);
    ctx.audit({ entityType: ACTION, entityId: row.id, tenantId: row.tenant_id, before: { status: row.status, dueDate: row.due_date }, after: { ...view } });
    ctx.change({ entityType: ACTION, entityId: row.id, operation: 'upsert', version: patch.version, data: { ...view } });
    return view;
  },
});
