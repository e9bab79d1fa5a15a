import { z } from 'zod';
import { defineCommand, type Actor, type CommandContext } from '../commands/bus.ts';
import { TenantScope } from '../auth/tenant-scope.ts';
import { dbBool, fromJson, toIso, toJson } from '../db/database.ts';
import type { Insertable } from 'kysely';
import type { ConsentRow, ConsentsTable } from '../db/schema-open-banking.ts';
import { conflict, forbidden, notFound, validationFailed } from '../errors.ts';
import { enqueueWebhookWithin } from '../webhooks/enqueue.ts';
import { roleHasPermission } from '../../../shared/src/roles.ts';
import { ObScope, OB_SCOPES, type ConsentStatusReason, type ConsentView } from '../../../shared/src/open-banking.ts';
import { BoundedInstant, NoteText, PlainText } from '../../../shared/src/text.ts';
import {
  AUTHORISATION_WINDOW_MS,
  CONSENT_ENTITY,
  consentChanged,
  customerActorId,
  DEFAULT_FREQUENCY_PER_DAY,
  effectiveStatus,
  samePermissions,
  toConsentView,
} from './mapping.ts';

/** What an app asks a customer for (POST /open-banking/v1/consents). */
export const CreateConsentInput = z.object({
  appId: z.uuid(),
  permissions: z.array(ObScope).min(1, 'ask for at least one permission').max(OB_SCOPES.length),
  expiresAt: BoundedInstant.nullable().optional(),
  transactionFrom: BoundedInstant.nullable().optional(),
  transactionTo: BoundedInstant.nullable().optional(),
  frequencyPerDay: z.number().int().min(1).max(1000).default(DEFAULT_FREQUENCY_PER_DAY),
  recurring: z.boolean().default(false),
});
export type CreateConsentInput = z.input<typeof CreateConsentInput>;

/** The customer approved on the consent screen: their accounts and the OAuth grant the consent is bound to. */
export const AuthoriseConsentInput = z.object({
  consentId: z.uuid(),
  customerRef: PlainText(100).min(1),
  accountIds: z.array(z.uuid()).min(1, 'select at least one account').max(100),
  grantId: z.string().min(1).max(200),
});

export const RejectConsentInput = z.object({
  consentId: z.uuid(),
  customerRef: PlainText(100).min(1).nullable().default(null),
  reason: z.enum(['CUSTOMER_REJECTED', 'AUTHORISATION_TIMEOUT']).default('CUSTOMER_REJECTED'),
});

export const RevokeConsentInput = z.object({
  consentId: z.uuid(),
  /** Who revokes: the bank (a compliance officer), the customer (customer pages) or the app (its DELETE). */
  by: z.enum(['CUSTOMER', 'BANK', 'APP']),
  reason: NoteText(1000).min(3, 'say why (at least 3 characters)'),
  expectedVersion: z.number().int().positive().optional(),
});
export type RevokeConsentInput = z.input<typeof RevokeConsentInput>;

const REVOKE_REASON: Record<z.infer<typeof RevokeConsentInput>['by'], ConsentStatusReason> = {
  CUSTOMER: 'REVOKED_BY_CUSTOMER',
  BANK: 'REVOKED_BY_BANK',
  APP: 'REVOKED_BY_APP',
};

const appActorId = (appId: string) => `app:${appId}`;
const isCustomerActor = (actor: Actor) => actor.kind === 'system' && actor.id.startsWith('customer:');

/** A customer acts only as themselves (the service itself may act for any customer). */
function assertCustomerIs(actor: Actor, customerRef: string): void {
  if (isCustomerActor(actor) && actor.id !== customerActorId(customerRef)) throw forbidden('a customer decides only on their own consents');
}

async function loadConsent(ctx: CommandContext, id: string, expectedVersion?: number): Promise<ConsentRow> {
  const row = await ctx.trx.selectFrom('consents').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  // Another tenant's consent does not exist for this caller (ARCHITECTURE.md "Tenants").
  if (!row || !new TenantScope(ctx.actor.tenants).allows(row.tenant_id)) throw notFound('consent');
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw conflict(`the consent was changed meanwhile (version ${row.version}, status ${row.status}): reload it`);
  }
  return row;
}

/** Writes the row's new state with its audit and change rows and announces it (ARCHITECTURE.md rule 1). */
async function record(ctx: CommandContext, before: ConsentRow | null, after: ConsentRow, note?: Record<string, unknown>): Promise<ConsentView> {
  const beforeView = before ? await toConsentView(ctx.trx, before, ctx.now) : null;
  const view = await toConsentView(ctx.trx, after, ctx.now);
  ctx.audit({
    entityType: CONSENT_ENTITY,
    entityId: after.id,
    before: beforeView ? { ...beforeView } : null,
    after: { ...view, ...note },
    tenantId: after.tenant_id,
  });
  ctx.change({ entityType: CONSENT_ENTITY, entityId: after.id, operation: 'upsert', version: after.version, data: { ...view } });
  ctx.announce({ event: 'consent.changed', payload: consentChanged(view), audience: 'consent:read', tenantId: after.tenant_id });
  return view;
}

/**
 * Ends a consent (Revoked with a reason) and what could mint new tokens under it: the grant, its
 * refresh tokens and codes are deleted from the OIDC store in this transaction, and the app is told
 * by a consent.revoked webhook written in the same transaction (transactional outbox). Access
 * tokens already issued (10 minutes at most) are kept on purpose: the per-request check reads the
 * consent row on every call, so the app's next call is refused with 403 CONSENT_NOT_AUTHORISED —
 * the answer that says why — instead of a bare 401 for a token the store forgot.
 */
async function endConsent(ctx: CommandContext, row: ConsentRow, reason: ConsentStatusReason, note: string | null): Promise<ConsentView> {
  const now = ctx.now.toISOString();
  const changes = {
    status: 'Revoked',
    status_reason: reason,
    status_note: note,
    status_changed_at: now,
    status_changed_by: ctx.actor.id,
    updated_at: now,
    version: row.version + 1,
  };
  await ctx.trx.updateTable('consents').set(changes).where('id', '=', row.id).execute();
  if (row.grant_id) {
    await ctx.trx.deleteFrom('oidc_store').where('grant_id', '=', row.grant_id).where('model', '!=', 'AccessToken').execute();
    await ctx.trx.deleteFrom('oidc_store').where('model', '=', 'Grant').where('id', '=', row.grant_id).execute();
  }
  const view = await record(ctx, row, { ...row, ...changes });
  await enqueueWebhookWithin(ctx, {
    tenantId: row.tenant_id,
    ownerKind: 'OB_APP',
    ownerId: row.app_id,
    eventType: 'consent.revoked',
    entityType: CONSENT_ENTITY,
    entityId: row.id,
    data: { consentId: row.id, status: 'Revoked', reason, revokedAt: now },
  });
  return view;
}

/**
 * An app asks for a consent (AwaitingAuthorisation until the customer decides). Refused with a
 * 400 naming the field: an expiry not in the future (the implementers' bug "past expiry
 * accepted"), a transaction window whose start is not before its end, permissions the app was
 * not registered for.
 */
export const createConsent = defineCommand({
  name: 'consent.create',
  input: CreateConsentInput,
  permission: 'openbanking:partner',
  async apply(ctx, input) {
    if (ctx.actor.kind !== 'system' && ctx.actor.id !== appActorId(input.appId)) throw notFound('app');
    const app = await ctx.trx.selectFrom('ob_apps').selectAll().where('id', '=', input.appId).where('deleted_at', 'is', null).executeTakeFirst();
    if (!app || !new TenantScope(ctx.actor.tenants).allows(app.tenant_id)) throw notFound('app');
    if (app.status !== 'ACTIVE') throw conflict('the app is suspended: it cannot ask for consents');
    const allowed = fromJson<string[]>(app.allowed_scopes);
    input.permissions.forEach((p, i) => {
      if (!allowed.includes(p)) throw validationFailed([{ path: `body.permissions.${i}`, message: `the app is not registered for ${p}` }]);
    });
    if (input.expiresAt && Date.parse(input.expiresAt) <= ctx.now.getTime()) {
      throw validationFailed([{ path: 'body.expiresAt', message: 'must be in the future' }]);
    }
    if (input.transactionFrom && input.transactionTo && Date.parse(input.transactionFrom) >= Date.parse(input.transactionTo)) {
      throw validationFailed([{ path: 'body.transactionTo', message: 'must be after transactionFrom' }]);
    }
    const now = ctx.now.toISOString();
    const row = {
      id: ctx.newId(),
      tenant_id: app.tenant_id,
      app_id: app.id,
      customer_ref: null,
      permissions: toJson([...new Set(input.permissions)]),
      account_ids: toJson([]),
      expires_at: input.expiresAt ? toIso(input.expiresAt) : null,
      transaction_from: input.transactionFrom ? toIso(input.transactionFrom) : null,
      transaction_to: input.transactionTo ? toIso(input.transactionTo) : null,
      frequency_per_day: input.frequencyPerDay,
      recurring: dbBool(ctx.dialect, input.recurring),
      status: 'AwaitingAuthorisation',
      status_reason: null,
      status_note: null,
      status_changed_at: now,
      status_changed_by: ctx.actor.id,
      grant_id: null,
      created_at: now,
      authorised_at: null,
      updated_at: now,
      version: 1,
      deleted_at: null,
    } satisfies Insertable<ConsentsTable>;
    await ctx.trx.insertInto('consents').values(row).execute();
    return record(ctx, null, row);
  },
});

/**
 * The customer approved on the consent screen (run by the service for the customer it
 * authenticated: customerActor). Answers the consent as it now stands — anything but Authorised
 * means no grant may be issued: a consent that waited longer than an hour is rejected here with
 * AUTHORISATION_TIMEOUT. A recurring consent ends the customer's older Authorised recurring
 * consent(s) for the same app and permission set (SUPERSEDED; the implementers' bug "old recurring
 * consents not terminated").
 */
export const authoriseConsent = defineCommand({
  name: 'consent.authorise',
  input: AuthoriseConsentInput,
  permission: null,
  async apply(ctx, input) {
    const row = await loadConsent(ctx, input.consentId);
    assertCustomerIs(ctx.actor, input.customerRef);
    if (row.status !== 'AwaitingAuthorisation') throw conflict(`the consent is ${effectiveStatus(row, ctx.now)}, not awaiting authorisation`);
    const now = ctx.now.toISOString();
    if (ctx.now.getTime() - Date.parse(toIso(row.created_at)) > AUTHORISATION_WINDOW_MS) {
      const changes = {
        status: 'Rejected',
        status_reason: 'AUTHORISATION_TIMEOUT',
        status_note: 'not authorised within an hour of the request',
        status_changed_at: now,
        status_changed_by: 'system',
        updated_at: now,
        version: row.version + 1,
      };
      await ctx.trx.updateTable('consents').set(changes).where('id', '=', row.id).execute();
      return record(ctx, row, { ...row, ...changes });
    }
    if (row.expires_at !== null && Date.parse(toIso(row.expires_at)) <= ctx.now.getTime()) {
      throw conflict('the consent’s expiry has passed: the app must ask again');
    }
    const app = await ctx.trx.selectFrom('ob_apps').select(['status']).where('id', '=', row.app_id).executeTakeFirst();
    if (app?.status !== 'ACTIVE') throw conflict('the app is suspended: it cannot be given consent');
    const accounts = await ctx.trx
      .selectFrom('bank_accounts')
      .select(['id'])
      .where('id', 'in', input.accountIds)
      .where('customer_ref', '=', input.customerRef)
      .where('tenant_id', '=', row.tenant_id)
      .where('deleted_at', 'is', null)
      .execute();
    const owned = new Set(accounts.map((a) => a.id));
    input.accountIds.forEach((id, i) => {
      if (!owned.has(id)) throw validationFailed([{ path: `body.accountIds.${i}`, message: 'not an account of this customer' }]);
    });
    const permissions = fromJson<string[]>(row.permissions);
    const recurring = row.recurring === true || row.recurring === 1;
    if (recurring) {
      const older = await ctx.trx
        .selectFrom('consents')
        .selectAll()
        .where('app_id', '=', row.app_id)
        .where('customer_ref', '=', input.customerRef)
        .where('status', '=', 'Authorised')
        .where('recurring', '=', dbBool(ctx.dialect, true))
        .where('id', '!=', row.id)
        .where('deleted_at', 'is', null)
        .execute();
      for (const old of older) {
        if (effectiveStatus(old, ctx.now) !== 'Authorised' || !samePermissions(fromJson<string[]>(old.permissions), permissions)) continue;
        await endConsent(ctx, old, 'SUPERSEDED', `superseded by consent ${row.id}`);
      }
    }
    const changes = {
      customer_ref: input.customerRef,
      account_ids: toJson([...new Set(input.accountIds)]),
      status: 'Authorised',
      status_reason: null,
      status_note: null,
      status_changed_at: now,
      status_changed_by: ctx.actor.id,
      grant_id: input.grantId,
      authorised_at: now,
      updated_at: now,
      version: row.version + 1,
    };
    await ctx.trx.updateTable('consents').set(changes).where('id', '=', row.id).execute();
    return record(ctx, row, { ...row, ...changes });
  },
});

/** The customer declined on the consent screen (or the request timed out). */
export const rejectConsent = defineCommand({
  name: 'consent.reject',
  input: RejectConsentInput,
  permission: null,
  async apply(ctx, input) {
    const row = await loadConsent(ctx, input.consentId);
    if (input.customerRef !== null) assertCustomerIs(ctx.actor, input.customerRef);
    if (row.status !== 'AwaitingAuthorisation') throw conflict(`the consent is ${effectiveStatus(row, ctx.now)}, not awaiting authorisation`);
    const now = ctx.now.toISOString();
    const changes = {
      customer_ref: input.customerRef ?? row.customer_ref,
      status: 'Rejected',
      status_reason: input.reason,
      status_changed_at: now,
      status_changed_by: ctx.actor.id,
      updated_at: now,
      version: row.version + 1,
    };
    await ctx.trx.updateTable('consents').set(changes).where('id', '=', row.id).execute();
    return record(ctx, row, { ...row, ...changes });
  },
});

/**
 * Revokes a consent, by the bank (consent:revoke, POST /api/v1/consents/:id/revoke; also queued
 * offline on a workstation and replayed at the hub), the customer (customer pages, customerActor)
 * or the app (its DELETE /open-banking/v1/consents/:id). Takes effect at the next request of any
 * token issued under it.
 */
export const revokeConsent = defineCommand({
  name: 'consent.revoke',
  input: RevokeConsentInput,
  // Who may revoke depends on `by` (checked below): any of the three callers gets this far.
  permission: 'signed-in',
  async apply(ctx, input) {
    const row = await loadConsent(ctx, input.consentId, input.expectedVersion);
    const { actor } = ctx;
    const customer = isCustomerActor(actor);
    const service = actor.kind === 'system' && !customer;
    if (input.by === 'BANK' && !service && !(actor.kind === 'user' && actor.role !== 'SYSTEM' && roleHasPermission(actor.role, 'consent:revoke'))) {
      throw forbidden('revoking on the bank’s behalf needs the consent:revoke permission');
    }
    // An app or a customer who may not revoke this consent learns nothing about it.
    if (input.by === 'APP' && !service && actor.id !== appActorId(row.app_id)) throw notFound('consent');
    if (input.by === 'CUSTOMER' && !service && !(customer && row.customer_ref !== null && actor.id === customerActorId(row.customer_ref))) {
      throw notFound('consent');
    }
    const status = effectiveStatus(row, ctx.now);
    if (status !== 'Authorised' && status !== 'AwaitingAuthorisation') throw conflict(`the consent is already ${status}`);
    return endConsent(ctx, row, REVOKE_REASON[input.by], input.reason);
  },
});
