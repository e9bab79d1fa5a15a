import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import { defineCommand, reserveCounter, type CommandContext } from '../commands/bus.ts';
import type { Database } from '../db/schema.ts';
import type { Updateable } from 'kysely';
import type { ControlRow, ControlsTable } from '../db/schema-risk-register.ts';
import { toIso } from '../db/database.ts';
import { notFound, validationFailed } from '../errors.ts';
import { MAX_ATTACHMENT_BYTES } from '../../../shared/src/cases.ts';
import {
  CONTROL_FREQUENCY_DAYS,
  ControlCreateInput,
  ControlTestInput,
  ControlUpdateInput,
  EFFECTIVENESS_OF_RESULT,
  type Control,
  type ControlFrequency,
  type ControlTestResult,
  type RiskRef,
} from '../../../shared/src/risk-register.ts';
import { contentMatchesType } from '../cases/evidence.ts';
import { addDays, dayOf, toControl, toControlTest } from './mapping.ts';
import { announceRegister, assertOwner, checkVersion, linkWithin, loadControl, refreshResidual, scopeOf, userName } from './store.ts';

/**
 * Controls and control tests (issue 13). A control's effectiveness follows its latest test (PASS →
 * EFFECTIVE, PARTIAL → PARTIALLY_EFFECTIVE, FAIL → INEFFECTIVE); every change of effectiveness,
 * type or links recomputes the residual of the linked risks in the same transaction.
 */

const ENTITY = 'control';

export async function linkedRiskRefs(db: Kysely<Database>, controlId: string): Promise<RiskRef[]> {
  return db
    .selectFrom('risk_controls')
    .innerJoin('risks', 'risks.id', 'risk_controls.risk_id')
    .select(['risks.id', 'risks.reference', 'risks.title'])
    .where('risk_controls.control_id', '=', controlId)
    .where('risk_controls.deleted_at', 'is', null)
    .where('risks.deleted_at', 'is', null)
    .orderBy('risks.reference')
    .execute();
}

async function controlView(ctx: CommandContext, row: ControlRow): Promise<Control> {
  const [ownerName, linkedRisks] = await Promise.all([userName(ctx.trx, row.owner_id), linkedRiskRefs(ctx.trx, row.id)]);
  return toControl(row, { ownerName, linkedRisks, now: ctx.now });
}

async function writeControl(
  ctx: CommandContext,
  before: ControlRow,
  patch: Omit<Updateable<ControlsTable>, 'id' | 'version' | 'tenant_id'>,
): Promise<ControlRow> {
  const values = { ...patch, version: before.version + 1, updated_by: ctx.actor.name, updated_at: ctx.now.toISOString() };
  await ctx.trx.updateTable('controls').set(values).where('id', '=', before.id).execute();
  const after = { ...before, ...values } as ControlRow;
  const changed = Object.fromEntries(Object.keys(patch).map((k) => [k, before[k as keyof ControlRow]]));
  ctx.audit({ entityType: ENTITY, entityId: before.id, tenantId: before.tenant_id, before: changed, after: { ...patch } });
  announceRegister(ctx, 'control', after);
  if (after.deleted_at) ctx.change({ entityType: ENTITY, entityId: before.id, operation: 'delete', version: after.version, data: null });
  else ctx.change({ entityType: ENTITY, entityId: before.id, operation: 'upsert', version: after.version, data: { ...(await controlView(ctx, after)) } });
  return after;
}

async function refreshLinkedRisks(ctx: CommandContext, controlId: string): Promise<void> {
  for (const risk of await linkedRiskRefs(ctx.trx, controlId)) await refreshResidual(ctx, risk.id);
}

const firstTestDue = (now: Date, frequency: ControlFrequency) => addDays(dayOf(now), CONTROL_FREQUENCY_DAYS[frequency]);

export const createControl = defineCommand({
  name: 'control.create',
  input: ControlCreateInput,
  permission: 'risk:manage',
  async apply(ctx, input) {
    scopeOf(ctx.actor).assertInput(input.tenantId, 'body.tenantId');
    await assertOwner(ctx, input.ownerId, input.tenantId, 'body.ownerId');
    const risks = input.riskIds.length
      ? await ctx.trx.selectFrom('risks').select(['id', 'tenant_id']).where('id', 'in', input.riskIds).where('deleted_at', 'is', null).execute()
      : [];
    const missing = input.riskIds.findIndex((id) => !risks.some((r) => r.id === id && r.tenant_id === input.tenantId));
    if (missing >= 0) throw validationFailed([{ path: `body.riskIds.${missing}`, message: `no risk of tenant ${input.tenantId} has this id` }]);
    const now = ctx.now.toISOString();
    const row = {
      id: ctx.newId(),
      tenant_id: input.tenantId,
      reference: `CTL-${String(await reserveCounter(ctx.trx, 'control.reference')).padStart(4, '0')}`,
      name: input.name,
      description: input.description,
      type: input.type,
      owner_id: input.ownerId,
      frequency: input.frequency,
      effectiveness: 'NOT_TESTED',
      last_tested_at: null,
      last_test_result: null,
      // The first test is due one period after the control is recorded; overdue after that.
      next_test_due: firstTestDue(ctx.now, input.frequency),
      created_by: ctx.actor.name,
      created_at: now,
      updated_by: ctx.actor.name,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    await ctx.trx.insertInto('controls').values(row).execute();
    for (const riskId of new Set(input.riskIds)) {
      await linkWithin(ctx, riskId, row.id, input.tenantId);
      await refreshResidual(ctx, riskId);
    }
    const view = await controlView(ctx, row);
    ctx.audit({ entityType: ENTITY, entityId: row.id, tenantId: row.tenant_id, before: null, after: { ...view } });
    ctx.change({ entityType: ENTITY, entityId: row.id, operation: 'upsert', version: 1, data: { ...view } });
    announceRegister(ctx, 'control', row);
    return view;
  },
});

export const updateControl = defineCommand({
  name: 'control.update',
  input: ControlUpdateInput.extend({ controlId: z.uuid() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const row = await loadControl(ctx, input.controlId);
    checkVersion(row, input.expectedVersion, `control ${row.reference}`);
    if (input.ownerId !== row.owner_id) await assertOwner(ctx, input.ownerId, row.tenant_id, 'body.ownerId');
    const after = await writeControl(ctx, row, {
      name: input.name,
      description: input.description,
      type: input.type,
      owner_id: input.ownerId,
      frequency: input.frequency,
    });
    // The type decides which axis the control lowers.
    if (input.type !== row.type) await refreshLinkedRisks(ctx, row.id);
    return controlView(ctx, after);
  },
});

export const deleteControl = defineCommand({
  name: 'control.delete',
  input: z.object({ controlId: z.uuid(), expectedVersion: z.number().int().positive() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const row = await loadControl(ctx, input.controlId);
    checkVersion(row, input.expectedVersion, `control ${row.reference}`);
    const risks = await linkedRiskRefs(ctx.trx, row.id);
    await writeControl(ctx, row, { deleted_at: ctx.now.toISOString() });
    for (const risk of risks) await refreshResidual(ctx, risk.id);
  },
});

/** Evidence is stored once per content in attachment_blobs (like case attachments), never on a path. */
async function storeEvidence(ctx: CommandContext, evidence: NonNullable<z.output<typeof ControlTestInput>['evidence']>) {
  const content = Buffer.from(evidence.contentBase64, 'base64');
  if (content.length === 0) throw validationFailed([{ path: 'body.evidence.contentBase64', message: 'the file is empty' }]);
  if (content.length > MAX_ATTACHMENT_BYTES) {
    throw validationFailed([{ path: 'body.evidence.contentBase64', message: `the file is larger than ${MAX_ATTACHMENT_BYTES / 1048576} MB` }]);
  }
  if (!contentMatchesType(content, evidence.contentType)) {
    throw validationFailed([{ path: 'body.evidence.contentType', message: `the file's content is not ${evidence.contentType}` }]);
  }
  const sha256 = createHash('sha256').update(content).digest('hex');
  const stored = await ctx.trx.selectFrom('attachment_blobs').select('sha256').where('sha256', '=', sha256).executeTakeFirst();
  if (!stored)
    await ctx.trx.insertInto('attachment_blobs').values({ sha256, size_bytes: content.length, content, created_at: ctx.now.toISOString() }).execute();
  return { sha256, size: content.length };
}

export const recordControlTest = defineCommand({
  name: 'control.record-test',
  input: ControlTestInput.safeExtend({ controlId: z.uuid() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const control = await loadControl(ctx, input.controlId);
    const testedAt = new Date(input.testedAt ?? ctx.now).toISOString();
    if (Date.parse(testedAt) > ctx.now.getTime()) throw validationFailed([{ path: 'body.testedAt', message: 'a test cannot be recorded before it is done' }]);
    const nextTestDate = input.nextTestDate ?? addDays(testedAt.slice(0, 10), CONTROL_FREQUENCY_DAYS[control.frequency as ControlFrequency]);
    if (nextTestDate <= testedAt.slice(0, 10)) throw validationFailed([{ path: 'body.nextTestDate', message: 'must be after the test date' }]);
    const evidence = input.evidence ? await storeEvidence(ctx, input.evidence) : null;
    const row = {
      id: ctx.newId(),
      control_id: control.id,
      tenant_id: control.tenant_id,
      tester_id: ctx.actor.id,
      tester_name: ctx.actor.name,
      tested_at: testedAt,
      result: input.result,
      notes: input.notes,
      evidence_sha256: evidence?.sha256 ?? null,
      evidence_name: input.evidence?.fileName ?? null,
      evidence_content_type: input.evidence?.contentType ?? null,
      evidence_size_bytes: evidence?.size ?? null,
      next_test_date: nextTestDate,
      created_at: ctx.now.toISOString(),
      version: 1,
      deleted_at: null,
    };
    await ctx.trx.insertInto('control_tests').values(row).execute();
    const test = toControlTest(row);
    ctx.audit({ entityType: 'control-test', entityId: row.id, tenantId: row.tenant_id, before: null, after: { ...test } });
    ctx.change({ entityType: 'control-test', entityId: row.id, operation: 'upsert', version: 1, data: { ...test } });
    // The latest test by date decides (a test backfilled with an earlier date does not override a newer one).
    const latest = await ctx.trx
      .selectFrom('control_tests')
      .selectAll()
      .where('control_id', '=', control.id)
      .where('deleted_at', 'is', null)
      .orderBy('tested_at', 'desc')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    let after = control;
    const result = latest.result as ControlTestResult;
    const patch = {
      effectiveness: EFFECTIVENESS_OF_RESULT[result],
      last_tested_at: toIso(latest.tested_at),
      last_test_result: result,
      next_test_due: latest.next_test_date,
    };
    const same =
      control.effectiveness === patch.effectiveness &&
      control.last_test_result === patch.last_test_result &&
      control.next_test_due === patch.next_test_due &&
      control.last_tested_at !== null &&
      toIso(control.last_tested_at) === patch.last_tested_at;
    if (!same) after = await writeControl(ctx, control, patch);
    if (after.effectiveness !== control.effectiveness) await refreshLinkedRisks(ctx, control.id);
    return { test, control: await controlView(ctx, after) };
  },
});

/** For the routes: a control's id must exist for the caller before its tests are listed. */
export function assertControlVisible(row: { tenant_id: string } | undefined, scope: ReturnType<typeof scopeOf>): asserts row {
  if (!row || !scope.allows(row.tenant_id)) throw notFound('control');
}
