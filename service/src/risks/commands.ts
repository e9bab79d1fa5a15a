import { z } from 'zod';
import { defineCommand, reserveCounter } from '../commands/bus.ts';
import { fromJson, toJson } from '../db/database.ts';
import { conflict, notFound, validationFailed } from '../errors.ts';
import {
  ControlLinkInput,
  RISK_STATUS_TRANSITIONS,
  RiskAssessmentInput,
  RiskCreateInput,
  RiskStatusInput,
  RiskUpdateInput,
  scoreOn,
  type RiskMatrixDefinition,
} from '../../../shared/src/risk-register.ts';
import { deriveResidual } from './residual.ts';
import { toAssessment } from './mapping.ts';
import {
  announceRegister,
  assertOwner,
  checkVersion,
  currentMatrixRow,
  linkedControls,
  loadControl,
  linkWithin,
  loadRisk,
  nextReviewAt,
  refreshResidual,
  RISK_ENTITY,
  riskView,
  scopeOf,
  writeRisk,
} from './store.ts';

export { createControl, updateControl, deleteControl, recordControlTest } from './controls.ts';

/**
 * Risk commands (ARCHITECTURE.md rule 1): each checks permission and tenant, writes in one
 * transaction with its audit and change-log rows. Row ids come from ctx.newId() (rule 5: the same
 * on every node that replays the command).
 */

const reference = (prefix: string, n: number) => `${prefix}-${String(n).padStart(4, '0')}`;

export const createRisk = defineCommand({
  name: 'risk.create',
  input: RiskCreateInput,
  permission: 'risk:manage',
  async apply(ctx, input) {
    scopeOf(ctx.actor).assertInput(input.tenantId, 'body.tenantId');
    await assertOwner(ctx, input.ownerId, input.tenantId, 'body.ownerId');
    const now = ctx.now.toISOString();
    const row = {
      id: ctx.newId(),
      tenant_id: input.tenantId,
      reference: reference('RSK', await reserveCounter(ctx.trx, 'risk.reference')),
      title: input.title,
      description: input.description,
      category: input.category,
      business_unit: input.businessUnit,
      owner_id: input.ownerId,
      causes: input.causes,
      consequences: input.consequences,
      status: 'IDENTIFIED',
      inherent_likelihood: null,
      inherent_impact: null,
      inherent_score: null,
      inherent_level: null,
      current_likelihood: null,
      current_impact: null,
      current_score: null,
      current_level: null,
      residual_likelihood: null,
      residual_impact: null,
      residual_score: null,
      residual_level: null,
      residual_explanation: null,
      matrix_version_id: null,
      last_assessed_at: null,
      next_review_at: null,
      created_by: ctx.actor.name,
      created_at: now,
      updated_by: ctx.actor.name,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    await ctx.trx.insertInto('risks').values(row).execute();
    const view = await riskView(ctx, row);
    ctx.audit({ entityType: RISK_ENTITY, entityId: row.id, tenantId: row.tenant_id, before: null, after: { ...view } });
    ctx.change({ entityType: RISK_ENTITY, entityId: row.id, operation: 'upsert', version: 1, data: { ...view } });
    announceRegister(ctx, 'risk', row);
    return view;
  },
});

export const updateRisk = defineCommand({
  name: 'risk.update',
  input: RiskUpdateInput.extend({ riskId: z.uuid() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const row = await loadRisk(ctx, input.riskId);
    checkVersion(row, input.expectedVersion, `risk ${row.reference}`);
    if (input.ownerId !== row.owner_id) await assertOwner(ctx, input.ownerId, row.tenant_id, 'body.ownerId');
    return writeRisk(ctx, row, {
      title: input.title,
      description: input.description,
      category: input.category,
      business_unit: input.businessUnit,
      owner_id: input.ownerId,
      causes: input.causes,
      consequences: input.consequences,
    });
  },
});

export const deleteRisk = defineCommand({
  name: 'risk.delete',
  input: z.object({ riskId: z.uuid(), expectedVersion: z.number().int().positive() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const row = await loadRisk(ctx, input.riskId);
    checkVersion(row, input.expectedVersion, `risk ${row.reference}`);
    const now = ctx.now.toISOString();
    await ctx.trx
      .updateTable('risks')
      .set({ deleted_at: now, version: row.version + 1, updated_by: ctx.actor.name, updated_at: now })
      .where('id', '=', row.id)
      .execute();
    ctx.audit({ entityType: RISK_ENTITY, entityId: row.id, tenantId: row.tenant_id, before: { reference: row.reference, title: row.title }, after: null });
    ctx.change({ entityType: RISK_ENTITY, entityId: row.id, operation: 'delete', version: row.version + 1, data: null });
    announceRegister(ctx, 'risk', { ...row, version: row.version + 1 });
  },
});

/**
 * Scores a risk on the current matrix and freezes a copy of that matrix into the assessment. The
 * residual is derived from the linked controls (residual.ts); the next review follows from the
 * residual level's cadence. A first assessment moves an IDENTIFIED risk to ASSESSED.
 */
export const assessRisk = defineCommand({
  name: 'risk.assess',
  input: RiskAssessmentInput.safeExtend({ riskId: z.uuid() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const row = await loadRisk(ctx, input.riskId);
    checkVersion(row, input.expectedVersion, `risk ${row.reference}`);
    if (row.status === 'CLOSED') throw conflict(`risk ${row.reference} is closed: reopen it before assessing it`);
    const matrixRow = await currentMatrixRow(ctx.trx);
    if (!matrixRow) throw conflict('there is no risk matrix yet');
    const matrix = fromJson<RiskMatrixDefinition>(matrixRow.definition);
    const outOfRange = (value: number | undefined, side: number, path: string) =>
      value !== undefined && value > side ? [{ path, message: `the matrix has ${side} steps` }] : [];
    const fields = [
      ...outOfRange(input.inherentLikelihood, matrix.likelihood.length, 'body.inherentLikelihood'),
      ...outOfRange(input.inherentImpact, matrix.impact.length, 'body.inherentImpact'),
      ...outOfRange(input.currentLikelihood, matrix.likelihood.length, 'body.currentLikelihood'),
      ...outOfRange(input.currentImpact, matrix.impact.length, 'body.currentImpact'),
    ];
    if (fields.length) throw validationFailed(fields);
    const inherent = scoreOn(matrix, input.inherentLikelihood, input.inherentImpact);
    const current =
      input.currentLikelihood !== undefined && input.currentImpact !== undefined ? scoreOn(matrix, input.currentLikelihood, input.currentImpact) : null;
    const derived = deriveResidual(matrix, inherent.likelihood, inherent.impact, await linkedControls(ctx.trx, row.id));
    const residual = scoreOn(matrix, derived.likelihood, derived.impact);
    const now = ctx.now.toISOString();
    const assessment = {
      id: ctx.newId(),
      risk_id: row.id,
      tenant_id: row.tenant_id,
      matrix_version_id: matrixRow.id,
      matrix_version_number: matrixRow.version_number,
      matrix: toJson(matrix),
      inherent_likelihood: inherent.likelihood,
      inherent_impact: inherent.impact,
      inherent_score: inherent.score,
      inherent_level: inherent.level.key,
      current_likelihood: current?.likelihood ?? null,
      current_impact: current?.impact ?? null,
      current_score: current?.score ?? null,
      current_level: current?.level.key ?? null,
      residual_likelihood: residual.likelihood,
      residual_impact: residual.impact,
      residual_score: residual.score,
      residual_level: residual.level.key,
      residual_explanation: toJson(derived.explanation),
      note: input.note,
      assessed_by: ctx.actor.id,
      assessed_by_name: ctx.actor.name,
      assessed_at: now,
      version: 1,
      deleted_at: null,
    };
    await ctx.trx.insertInto('risk_assessments').values(assessment).execute();
    const view = toAssessment(assessment);
    ctx.audit({ entityType: 'risk-assessment', entityId: assessment.id, tenantId: row.tenant_id, before: null, after: { ...view, matrix: undefined } });
    ctx.change({ entityType: 'risk-assessment', entityId: assessment.id, operation: 'upsert', version: 1, data: { ...view } });
    await writeRisk(ctx, row, {
      inherent_likelihood: inherent.likelihood,
      inherent_impact: inherent.impact,
      inherent_score: inherent.score,
      inherent_level: inherent.level.key,
      current_likelihood: assessment.current_likelihood,
      current_impact: assessment.current_impact,
      current_score: assessment.current_score,
      current_level: assessment.current_level,
      residual_likelihood: residual.likelihood,
      residual_impact: residual.impact,
      residual_score: residual.score,
      residual_level: residual.level.key,
      residual_explanation: assessment.residual_explanation,
      matrix_version_id: matrixRow.id,
      last_assessed_at: now,
      next_review_at: nextReviewAt(now, matrix, residual.level.key),
      ...(row.status === 'IDENTIFIED' ? { status: 'ASSESSED' } : {}),
    });
    return view;
  },
});

/** The status machine (RISK_STATUS_TRANSITIONS); anything else is a 409 naming both states. */
export const changeRiskStatus = defineCommand({
  name: 'risk.change-status',
  input: RiskStatusInput.safeExtend({ riskId: z.uuid() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const row = await loadRisk(ctx, input.riskId);
    checkVersion(row, input.expectedVersion, `risk ${row.reference}`);
    const from = row.status as keyof typeof RISK_STATUS_TRANSITIONS;
    if (!RISK_STATUS_TRANSITIONS[from].includes(input.status)) {
      throw conflict(`risk ${row.reference} cannot go from ${from} to ${input.status} (allowed: ${RISK_STATUS_TRANSITIONS[from].join(', ')})`);
    }
    if (input.status === 'ASSESSED' && row.last_assessed_at === null) throw conflict(`risk ${row.reference} has no assessment yet: record one`);
    if (input.status === 'TREATED') {
      const treatment = await ctx.trx
        .selectFrom('risk_treatments')
        .select('id')
        .where('risk_id', '=', row.id)
        .where('deleted_at', 'is', null)
        .where('status', '!=', 'CANCELLED')
        .executeTakeFirst();
      const accepted = await ctx.trx
        .selectFrom('risk_acceptances')
        .select('id')
        .where('risk_id', '=', row.id)
        .where('deleted_at', 'is', null)
        .where('status', '=', 'APPROVED')
        .executeTakeFirst();
      if (!treatment && !accepted) throw conflict(`risk ${row.reference} has no treatment plan and no approved acceptance`);
    }
    const view = await writeRisk(ctx, row, { status: input.status });
    if (input.note) ctx.audit({ entityType: RISK_ENTITY, entityId: row.id, tenantId: row.tenant_id, before: null, after: { statusNote: input.note } });
    return view;
  },
});

/** Links a control of the same tenant (a second link of the same pair is a no-op); the residual follows. */
export const linkControl = defineCommand({
  name: 'risk.link-control',
  input: ControlLinkInput.extend({ riskId: z.uuid() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const risk = await loadRisk(ctx, input.riskId);
    const control = await loadControl(ctx, input.controlId, 'control');
    if (control.tenant_id !== risk.tenant_id) throw notFound('control');
    await linkWithin(ctx, risk.id, control.id, risk.tenant_id);
    await refreshResidual(ctx, risk.id);
    return riskView(ctx, await loadRisk(ctx, risk.id));
  },
});

export const unlinkControl = defineCommand({
  name: 'risk.unlink-control',
  input: z.object({ riskId: z.uuid(), controlId: z.uuid() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const risk = await loadRisk(ctx, input.riskId);
    const link = await ctx.trx
      .selectFrom('risk_controls')
      .selectAll()
      .where('risk_id', '=', risk.id)
      .where('control_id', '=', input.controlId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!link) throw notFound('link to this control');
    await ctx.trx
      .updateTable('risk_controls')
      .set({ deleted_at: ctx.now.toISOString(), version: link.version + 1 })
      .where('id', '=', link.id)
      .execute();
    ctx.audit({
      entityType: 'risk-control',
      entityId: link.id,
      tenantId: risk.tenant_id,
      before: { riskId: risk.id, controlId: input.controlId },
      after: null,
    });
    ctx.change({ entityType: 'risk-control', entityId: link.id, operation: 'delete', version: link.version + 1, data: null });
    await refreshResidual(ctx, risk.id);
  },
});
