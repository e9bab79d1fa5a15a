import { z } from 'zod';
import { defineCommand, type CommandContext } from '../commands/bus.ts';
import { TenantScope } from '../auth/tenant-scope.ts';
import { tenantIdsOf } from '../auth/authenticator.ts';
import { toBool, toIso } from '../db/database.ts';
import { lockForUpdate } from '../db/dialect.ts';
import type { Updateable } from 'kysely';
import type { AlertRow, AlertsTable } from '../db/schema-alerting.ts';
import { conflict, notFound, validationFailed } from '../errors.ts';
import { openCaseForAssessment } from '../cases/commands.ts';
import { openingOf } from '../cases/payment-decision.ts';
import { Decision } from '../../../shared/src/assessments.ts';
import { Role, roleHasPermission } from '../../../shared/src/roles.ts';
import {
  AcknowledgeAlertRequest,
  AlertCaseRequest,
  AssignAlertRequest,
  CustomerContactChangeRequest,
  ResolveAlertRequest,
  type Alert,
  type AlertCaseResult,
  type CustomerContactChange,
} from '../../../shared/src/alerts.ts';
import { evidenceOf, recordAlertChange, toAlerts } from './mapping.ts';

const AlertId = z.object({ alertId: z.uuid() });

/** The alert, locked for the change: another tenant's is 404, a stale version 409 (someone else worked it). */
async function loadAlertForUpdate(ctx: CommandContext, alertId: string, version: number): Promise<{ row: AlertRow; view: Alert }> {
  const row = await lockForUpdate(ctx.dialect, ctx.trx.selectFrom('alerts').selectAll().where('id', '=', alertId)).executeTakeFirst();
  if (!row || !new TenantScope(ctx.actor.tenants).allows(row.tenant_id)) throw notFound('alert');
  if (row.version !== version) throw conflict(`alert ${row.reference} was changed meanwhile (version ${row.version}, you had ${version}): reload it`);
  const [view] = await toAlerts(ctx.trx, [row]);
  return { row, view: view! };
}

type AlertChanges = Updateable<AlertsTable>;

async function saveAlert(ctx: CommandContext, row: AlertRow, before: Alert, changes: AlertChanges): Promise<Alert> {
  const now = ctx.now.toISOString();
  const next = { ...changes, updated_at: now, version: row.version + 1 };
  await ctx.trx.updateTable('alerts').set(next).where('id', '=', row.id).execute();
  const [after] = await toAlerts(ctx.trx, [{ ...row, ...next } as AlertRow]);
  recordAlertChange(ctx, before, after!);
  return after!;
}

/** A user takes the alert on: it stops escalating, and is theirs when nobody had it. */
function acknowledgement(ctx: CommandContext, row: AlertRow): AlertChanges {
  return {
    status: 'ACKNOWLEDGED',
    acknowledged_by: ctx.actor.name,
    acknowledged_at: ctx.now.toISOString(),
    next_escalation_at: null,
    assignee_id: row.assignee_id ?? (ctx.actor.kind === 'user' ? ctx.actor.id : null),
  };
}

export const acknowledgeAlert = defineCommand({
  name: 'alert.acknowledge',
  input: AcknowledgeAlertRequest.extend(AlertId.shape),
  permission: 'alert:work',
  async apply(ctx, input): Promise<Alert> {
    const { row, view } = await loadAlertForUpdate(ctx, input.alertId, input.version);
    if (row.status !== 'OPEN') throw conflict(`alert ${row.reference} is ${row.status.toLowerCase()}: only an open alert is acknowledged`);
    return saveAlert(ctx, row, view, acknowledgement(ctx, row));
  },
});

export const assignAlert = defineCommand({
  name: 'alert.assign',
  input: AssignAlertRequest.extend(AlertId.shape),
  permission: 'alert:work',
  async apply(ctx, input): Promise<Alert> {
    const { row, view } = await loadAlertForUpdate(ctx, input.alertId, input.version);
    if (row.status === 'RESOLVED') throw conflict(`alert ${row.reference} is resolved`);
    if (input.assigneeId !== null) {
      const user = await ctx.trx.selectFrom('users').select(['id', 'role', 'active', 'tenant_ids']).where('id', '=', input.assigneeId).executeTakeFirst();
      const role = Role.safeParse(user?.role);
      const tenants = user ? tenantIdsOf(user.tenant_ids) : [];
      const eligible =
        user && toBool(user.active) && role.success && roleHasPermission(role.data, 'alert:work') && (tenants.length === 0 || tenants.includes(row.tenant_id));
      if (!eligible) throw validationFailed([{ path: 'body.assigneeId', message: 'not an active person of this tenant who may work alerts' }]);
    }
    return saveAlert(ctx, row, view, { assignee_id: input.assigneeId });
  },
});

export const resolveAlert = defineCommand({
  name: 'alert.resolve',
  input: ResolveAlertRequest.extend(AlertId.shape),
  permission: 'alert:work',
  async apply(ctx, input): Promise<Alert> {
    const { row, view } = await loadAlertForUpdate(ctx, input.alertId, input.version);
    if (row.status === 'RESOLVED') throw conflict(`alert ${row.reference} is already resolved`);
    return saveAlert(ctx, row, view, {
      status: 'RESOLVED',
      resolution: input.resolution,
      resolution_note: input.reason,
      resolved_by: ctx.actor.name,
      resolved_at: ctx.now.toISOString(),
      next_escalation_at: null,
      acknowledged_by: row.acknowledged_by ?? ctx.actor.name,
      acknowledged_at: row.acknowledged_at === null ? ctx.now.toISOString() : toIso(row.acknowledged_at),
    });
  },
});

/** The newest case any of these payments is in (within the alert's tenant). */
async function existingCaseOf(ctx: CommandContext, assessmentIds: readonly string[], tenantId: string) {
  if (assessmentIds.length === 0) return undefined;
  return ctx.trx
    .selectFrom('case_assessments')
    .innerJoin('cases', 'cases.id', 'case_assessments.case_id')
    .select(['cases.id', 'cases.reference'])
    .where('case_assessments.assessment_id', 'in', [...assessmentIds])
    .where('cases.tenant_id', '=', tenantId)
    .where('cases.deleted_at', 'is', null)
    .orderBy('cases.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Links the case the alert's payments are already in, or opens one for the newest of them through
 * the same case opening as scoring (it joins the customer's open case when there is one). The
 * alert is acknowledged: someone is working it.
 */
export const openAlertCase = defineCommand({
  name: 'alert.openCase',
  input: AlertCaseRequest.extend(AlertId.shape),
  permission: 'alert:work',
  async apply(ctx, input): Promise<AlertCaseResult> {
    const { row, view } = await loadAlertForUpdate(ctx, input.alertId, input.version);
    const evidence = evidenceOf(row);
    const ids = evidence.payments.map((p) => p.assessmentId);
    let linked = row.case_id ? await ctx.trx.selectFrom('cases').select(['id', 'reference']).where('id', '=', row.case_id).executeTakeFirst() : undefined;
    linked ??= await existingCaseOf(ctx, ids, row.tenant_id);
    let created = false;
    if (!linked) {
      const newest = ids.length
        ? await ctx.trx
            .selectFrom('fraud_risk_assessments')
            .selectAll()
            .where('id', 'in', ids)
            .where('tenant_id', '=', row.tenant_id)
            .orderBy('created_at', 'desc')
            .limit(1)
            .executeTakeFirst()
        : undefined;
      if (!newest) throw conflict(`alert ${row.reference} has no payments of its tenant to open a case for`);
      const decision = Decision.safeParse(newest.decision);
      const opened = await openCaseForAssessment(ctx, await openingOf(ctx, newest, decision.success ? decision.data : 'MANUAL_REVIEW'));
      // openCaseForAssessment joins the customer's open case when there is one; only a row stamped now is new.
      created = toIso(opened.created_at) === ctx.now.toISOString();
      linked = { id: opened.id, reference: opened.reference };
    }
    const changes: AlertChanges = { case_id: linked.id, ...(row.status === 'OPEN' ? acknowledgement(ctx, row) : {}) };
    const alert = await saveAlert(ctx, row, view, changes);
    return { alert, caseId: linked.id, caseReference: linked.reference, created };
  },
});

/** Core banking reports a contact-detail change (slice C's account-takeover detector reads these). */
export const recordCustomerContactChange = defineCommand({
  name: 'customerContactChange.record',
  input: CustomerContactChangeRequest.extend({ customerRef: z.string().min(1).max(100) }),
  permission: 'integration:ingest',
  async apply(ctx, input): Promise<CustomerContactChange> {
    new TenantScope(ctx.actor.tenants).assertInput(input.tenantId, 'body.tenantId');
    const row = {
      id: ctx.newId(),
      tenant_id: input.tenantId,
      customer_ref: input.customerRef,
      field: input.field,
      changed_at: new Date(input.changedAt).toISOString(),
      channel: input.channel ?? null,
      created_at: ctx.now.toISOString(),
      version: 1,
    };
    await ctx.trx.insertInto('customer_contact_changes').values(row).execute();
    const view: CustomerContactChange = {
      id: row.id,
      tenantId: row.tenant_id,
      customerRef: row.customer_ref,
      field: row.field,
      changedAt: row.changed_at,
      channel: row.channel,
      createdAt: row.created_at,
    };
    ctx.audit({ entityType: 'customerContactChange', entityId: row.id, before: null, after: { ...view }, tenantId: row.tenant_id });
    return view;
  },
});
