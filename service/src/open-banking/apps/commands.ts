import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { defineCommand, type CommandContext } from '../../commands/bus.ts';
import { TenantScope } from '../../auth/tenant-scope.ts';
import type { SecretBox } from '../../auth/secret-box.ts';
import { toJson } from '../../db/database.ts';
import type { Updateable } from 'kysely';
import type { ObAppRow, ObAppsTable } from '../../db/schema-open-banking.ts';
import { lockForUpdate } from '../../db/dialect.ts';
import { conflict, notFound, ServiceError } from '../../errors.ts';
import {
  RegisterAppRequest,
  ReinstateAppRequest,
  RotateAppSecretRequest,
  SuspendAppRequest,
  UpdateAppRequest,
  type ObAppView,
  type ObAppWithSecret,
} from '../../../../shared/src/open-banking.ts';
import { activeConsentCounts, OB_APP_ENTITY, toObAppView } from './store.ts';

/** A client id partners put in their configuration: `wkz_` and 16 random hex characters. */
function newClientId(): string {
  return `wkz_${randomBytes(8).toString('hex')}`;
}

/** 32 random bytes, base64url: the client secret (answered once, stored sealed). */
function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** An app of the actor's tenants (another tenant's is 404), locked for the change, at the version the caller saw (409). */
async function loadApp(ctx: CommandContext, id: string, expectedVersion?: number): Promise<ObAppRow> {
  const row = await lockForUpdate(
    ctx.dialect,
    ctx.trx.selectFrom('ob_apps').selectAll().where('id', '=', id).where('deleted_at', 'is', null),
  ).executeTakeFirst();
  if (!row || !new TenantScope(ctx.actor.tenants).allows(row.tenant_id)) throw notFound('app');
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw conflict(`app ${row.name} was changed by ${row.updated_by} meanwhile (version ${row.version}): reload it`);
  }
  return row;
}

async function viewOf(ctx: CommandContext, row: ObAppRow): Promise<ObAppView> {
  const counts = await activeConsentCounts(ctx.trx, [row.id], ctx.now);
  return toObAppView(row, counts.get(row.id) ?? 0);
}

/** Audit and change rows of an app change; secrets never enter either (ARCHITECTURE.md rule 6: the view has only the hint). */
function record(ctx: CommandContext, before: ObAppView | null, after: ObAppView, extra: Record<string, unknown> = {}): void {
  ctx.audit({ entityType: OB_APP_ENTITY, entityId: after.id, before: before ? { ...before } : null, after: { ...after, ...extra }, tenantId: after.tenantId });
  ctx.change({ entityType: OB_APP_ENTITY, entityId: after.id, operation: 'upsert', version: after.version, data: { ...after } });
  ctx.announce({
    event: 'ob-app.changed',
    payload: { id: after.id, tenantId: after.tenantId, status: after.status, version: after.version },
    audience: 'consent:read',
    tenantId: after.tenantId,
  });
}

async function applyChange(ctx: CommandContext, existing: ObAppRow, changes: Updateable<ObAppsTable>, extra: Record<string, unknown> = {}): Promise<ObAppView> {
  const before = await viewOf(ctx, existing);
  const set = { ...changes, updated_by: ctx.actor.name, updated_at: ctx.now.toISOString(), version: existing.version + 1 };
  await ctx.trx.updateTable('ob_apps').set(set).where('id', '=', existing.id).execute();
  const after = await viewOf(ctx, { ...existing, ...set } as ObAppRow);
  record(ctx, before, after, extra);
  return after;
}

/**
 * The app commands (issue 14). Built by a factory because registering and rotating seal the new
 * secret with the service's SecretBox (ARCHITECTURE.md rule 6: encrypted at rest, answered once).
 */
export function obAppCommands(box: SecretBox) {
  const register = defineCommand({
    name: 'obApp.register',
    input: RegisterAppRequest,
    permission: 'openbanking:manage',
    async apply(ctx, input): Promise<ObAppWithSecret> {
      new TenantScope(ctx.actor.tenants).assertInput(input.tenantId, 'body.tenantId');
      const secret = newClientSecret();
      const now = ctx.now.toISOString();
      const row = {
        id: ctx.newId(),
        tenant_id: input.tenantId,
        name: input.name,
        kind: input.kind,
        description: input.description,
        contact_email: input.contactEmail,
        client_id: newClientId(),
        secret_sealed: box.seal(secret),
        secret_hint: secret.slice(-4),
        previous_secret_sealed: null,
        previous_secret_expires_at: null,
        redirect_uris: toJson([...new Set(input.redirectUris)]),
        allowed_scopes: toJson([...new Set(input.allowedScopes)]),
        status: 'ACTIVE',
        status_reason: null,
        created_by: ctx.actor.name,
        created_at: now,
        updated_by: ctx.actor.name,
        updated_at: now,
        rotated_at: null,
        last_used_at: null,
        version: 1,
        deleted_at: null,
      } satisfies ObAppRow;
      await ctx.trx.insertInto('ob_apps').values(row).execute();
      const after = toObAppView(row, 0);
      record(ctx, null, after);
      return { ...after, clientSecret: secret };
    },
  });

  const update = defineCommand({
    name: 'obApp.update',
    input: UpdateAppRequest.safeExtend({ id: z.uuid() }),
    permission: 'openbanking:manage',
    async apply(ctx, input): Promise<ObAppView> {
      const existing = await loadApp(ctx, input.id, input.expectedVersion);
      return applyChange(ctx, existing, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.contactEmail !== undefined ? { contact_email: input.contactEmail } : {}),
        ...(input.redirectUris !== undefined ? { redirect_uris: toJson([...new Set(input.redirectUris)]) } : {}),
        ...(input.allowedScopes !== undefined ? { allowed_scopes: toJson([...new Set(input.allowedScopes)]) } : {}),
      });
    },
  });

  /**
   * Suspends an app. Nothing is revoked here: the partner authenticator reads the app's status on
   * every request, so its tokens fail at the next call (401 APP_SUSPENDED) and work again once it
   * is reinstated, while its consents stay as the customers gave them.
   */
  const suspend = defineCommand({
    name: 'obApp.suspend',
    input: SuspendAppRequest.safeExtend({ id: z.uuid() }),
    permission: 'openbanking:manage',
    async apply(ctx, input): Promise<ObAppView> {
      const existing = await loadApp(ctx, input.id);
      if (existing.status === 'SUSPENDED') throw conflict(`app ${existing.name} is already suspended`);
      return applyChange(ctx, existing, { status: 'SUSPENDED', status_reason: input.reason });
    },
  });

  const reinstate = defineCommand({
    name: 'obApp.reinstate',
    input: ReinstateAppRequest.safeExtend({ id: z.uuid() }),
    permission: 'openbanking:manage',
    async apply(ctx, input): Promise<ObAppView> {
      const existing = await loadApp(ctx, input.id);
      if (existing.status !== 'SUSPENDED') throw conflict(`app ${existing.name} is not suspended`);
      return applyChange(ctx, existing, { status: 'ACTIVE', status_reason: input.reason });
    },
  });

  /**
   * A new client secret, answered once. The one it replaces keeps working for graceMinutes (so the
   * partner can deploy the new one without an outage); a secret older than that is dropped at once:
   * at most two secrets are ever valid.
   */
  const rotate = defineCommand({
    name: 'obApp.rotateSecret',
    input: RotateAppSecretRequest.safeExtend({ id: z.uuid() }),
    permission: 'openbanking:manage',
    async apply(ctx, input): Promise<ObAppWithSecret> {
      const existing = await loadApp(ctx, input.id);
      if (existing.status !== 'ACTIVE') {
        throw new ServiceError(409, 'CONFLICT', `app ${existing.name} is suspended: reinstate it before issuing a new secret`);
      }
      const secret = newClientSecret();
      const grace = input.graceMinutes > 0;
      const after = await applyChange(
        ctx,
        existing,
        {
          secret_sealed: box.seal(secret),
          secret_hint: secret.slice(-4),
          previous_secret_sealed: grace ? existing.secret_sealed : null,
          previous_secret_expires_at: grace ? new Date(ctx.now.getTime() + input.graceMinutes * 60_000).toISOString() : null,
          rotated_at: ctx.now.toISOString(),
        },
        { graceMinutes: input.graceMinutes, previousSecretHint: existing.secret_hint },
      );
      return { ...after, clientSecret: secret };
    },
  });

  return { register, update, suspend, reinstate, rotate };
}

export type ObAppCommands = ReturnType<typeof obAppCommands>;
