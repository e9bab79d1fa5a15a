import { z } from 'zod';
import { defineCommand, type CommandContext } from '../commands/bus.ts';
import type { Updateable } from 'kysely';
import type { RiskAcceptanceRow, RiskAcceptancesTable } from '../db/schema-risk-register.ts';
import { conflict, forbidden, notFound, validationFailed } from '../errors.ts';
import { toIso } from '../db/database.ts';
import { AcceptanceDecisionInput, AcceptanceRejectInput, AcceptanceRequestInput, type RiskAcceptance } from '../../../shared/src/risk-register.ts';
import { toAcceptance } from './mapping.ts';
import { announceRegister, checkVersion, loadRisk, scopeOf, writeRisk } from './store.ts';
import { notifyApproversWithin, settleRequestNotificationsWithin } from '../notifications/recipients.ts';

/**
 * Risk acceptance (issue 13): REQUESTED → APPROVED | REJECTED (by someone else holding
 * risk:approve: four-eyes) → EXPIRED (acceptance-expiry.ts) | WITHDRAWN. While an acceptance is
 * approved the risk counts as TREATED; when it expires or is withdrawn the risk reopens (ASSESSED).
 */

const ENTITY = 'risk-acceptance';
const OPEN_STATUSES = ['REQUESTED', 'APPROVED'];

async function loadAcceptance(ctx: CommandContext, id: string): Promise<RiskAcceptanceRow> {
  const row = await ctx.trx.selectFrom('risk_acceptances').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row || !scopeOf(ctx.actor).allows(row.tenant_id)) throw notFound('risk acceptance');
  return row;
}

async function writeAcceptance(ctx: CommandContext, before: RiskAcceptanceRow, patch: Updateable<RiskAcceptancesTable>): Promise<RiskAcceptance> {
  const values = { ...patch, version: before.version + 1 };
  await ctx.trx.updateTable('risk_acceptances').set(values).where('id', '=', before.id).execute();
  // Decided, withdrawn or expired: the request no longer waits for an approver (issue 15).
  if (before.status === 'REQUESTED' && patch.status !== undefined && patch.status !== 'REQUESTED') {
    await settleRequestNotificationsWithin(ctx, { kind: 'risk-acceptance.requested', entityId: before.risk_id });
  }
  const view = toAcceptance({ ...before, ...values });
  ctx.audit({ entityType: ENTITY, entityId: before.id, tenantId: before.tenant_id, before: { status: before.status }, after: { ...view } });
  ctx.change({ entityType: ENTITY, entityId: before.id, operation: 'upsert', version: view.version, data: { ...view } });
  announceRegister(ctx, 'risk-acceptance', { ...before, version: view.version });
  return view;
}

/** Four-eyes: the requester never decides their own acceptance. */
function assertSecondPerson(ctx: CommandContext, row: RiskAcceptanceRow): void {
  if (row.requested_by === ctx.actor.id) throw forbidden('four-eyes: someone other than the requester decides a risk acceptance');
}

function assertStatus(row: RiskAcceptanceRow, allowed: readonly string[], action: string): void {
  if (!allowed.includes(row.status)) throw conflict(`a ${row.status.toLowerCase()} acceptance cannot be ${action}`);
}

/** Reopens the risk an ended acceptance held as TREATED (back to ASSESSED for a new decision). */
export async function reopenAfterAcceptance(ctx: CommandContext, riskId: string): Promise<void> {
  // A risk deleted since (tombstoned) has nothing to reopen; its acceptance still ends.
  const risk = await ctx.trx.selectFrom('risks').selectAll().where('id', '=', riskId).where('deleted_at', 'is', null).executeTakeFirst();
  if (risk && (risk.status === 'TREATED' || risk.status === 'MONITORED')) await writeRisk(ctx, risk, { status: 'ASSESSED' });
}

export const requestAcceptance = defineCommand({
  name: 'risk.acceptance.request',
  input: AcceptanceRequestInput.extend({ riskId: z.uuid() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const risk = await loadRisk(ctx, input.riskId);
    if (risk.status === 'CLOSED') throw conflict(`risk ${risk.reference} is closed`);
    if (risk.last_assessed_at === null) throw conflict(`risk ${risk.reference} has no assessment yet: assess it before accepting it`);
    if (Date.parse(input.expiresAt) <= ctx.now.getTime()) throw validationFailed([{ path: 'body.expiresAt', message: 'must be in the future' }]);
    const open = await ctx.trx
      .selectFrom('risk_acceptances')
      .select('status')
      .where('risk_id', '=', risk.id)
      .where('status', 'in', OPEN_STATUSES)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (open) throw conflict(`risk ${risk.reference} already has a ${open.status.toLowerCase()} acceptance`);
    const row = {
      id: ctx.newId(),
      risk_id: risk.id,
      tenant_id: risk.tenant_id,
      status: 'REQUESTED',
      justification: input.justification,
      requested_by: ctx.actor.id,
      requested_by_name: ctx.actor.name,
      requested_at: ctx.now.toISOString(),
      expires_at: new Date(input.expiresAt).toISOString(),
      decided_by: null,
      decided_by_name: null,
      decided_at: null,
      decision_note: null,
      expired_at: null,
      version: 1,
      deleted_at: null,
    };
    await ctx.trx.insertInto('risk_acceptances').values(row).execute();
    const view = toAcceptance(row);
    ctx.audit({ entityType: ENTITY, entityId: row.id, tenantId: row.tenant_id, before: null, after: { ...view, riskReference: risk.reference } });
    ctx.change({ entityType: ENTITY, entityId: row.id, operation: 'upsert', version: 1, data: { ...view } });
    announceRegister(ctx, 'risk-acceptance', row);
    // Issue 15: the people who may approve it hear that it waits for them (never the requester).
    await notifyApproversWithin(ctx, {
      permission: 'risk:approve',
      tenantId: row.tenant_id,
      makerId: ctx.actor.id,
      kind: 'risk-acceptance.requested',
      title: `Four-eyes: accepting risk ${risk.reference} waits for your approval`,
      body: `${ctx.actor.name} asks to accept ${risk.reference} until ${row.expires_at.slice(0, 10)}: ${input.justification}`.slice(0, 1000),
      link: `/risks/${risk.id}`,
      entityType: 'risk',
      entityId: risk.id,
    });
    return view;
  },
});

export const approveAcceptance = defineCommand({
  name: 'risk-acceptance.approve',
  input: AcceptanceDecisionInput.extend({ acceptanceId: z.uuid() }),
  permission: 'risk:approve',
  async apply(ctx, input) {
    const row = await loadAcceptance(ctx, input.acceptanceId);
    checkVersion(row, input.expectedVersion, 'the acceptance');
    assertStatus(row, ['REQUESTED'], 'approved');
    assertSecondPerson(ctx, row);
    if (Date.parse(toIso(row.expires_at)) <= ctx.now.getTime()) {
      throw conflict('the acceptance would already have expired: ask for a new one');
    }
    const risk = await loadRisk(ctx, row.risk_id);
    const view = await writeAcceptance(ctx, row, {
      status: 'APPROVED',
      decided_by: ctx.actor.id,
      decided_by_name: ctx.actor.name,
      decided_at: ctx.now.toISOString(),
      decision_note: input.note,
    });
    if (risk.status === 'ASSESSED' || risk.status === 'MONITORED') await writeRisk(ctx, risk, { status: 'TREATED' });
    return view;
  },
});

export const rejectAcceptance = defineCommand({
  name: 'risk-acceptance.reject',
  input: AcceptanceRejectInput.extend({ acceptanceId: z.uuid() }),
  permission: 'risk:approve',
  async apply(ctx, input) {
    const row = await loadAcceptance(ctx, input.acceptanceId);
    checkVersion(row, input.expectedVersion, 'the acceptance');
    assertStatus(row, ['REQUESTED'], 'rejected');
    assertSecondPerson(ctx, row);
    return writeAcceptance(ctx, row, {
      status: 'REJECTED',
      decided_by: ctx.actor.id,
      decided_by_name: ctx.actor.name,
      decided_at: ctx.now.toISOString(),
      decision_note: input.note,
    });
  },
});

export const withdrawAcceptance = defineCommand({
  name: 'risk-acceptance.withdraw',
  input: AcceptanceDecisionInput.extend({ acceptanceId: z.uuid() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const row = await loadAcceptance(ctx, input.acceptanceId);
    checkVersion(row, input.expectedVersion, 'the acceptance');
    assertStatus(row, OPEN_STATUSES, 'withdrawn');
    const view = await writeAcceptance(ctx, row, { status: 'WITHDRAWN', decision_note: input.note || row.decision_note });
    if (row.status === 'APPROVED') await reopenAfterAcceptance(ctx, row.risk_id);
    return view;
  },
});
