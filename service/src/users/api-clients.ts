import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Kysely, Transaction } from 'kysely';
import { defineCommand, type CommandContext } from '../commands/bus.ts';
import { conflict, notFound } from '../errors.ts';
import type { ApiClientsTable, Database } from '../db/schema.ts';
import type { Selectable } from 'kysely';
import { dbBool, toBool, toIso, toIsoOrNull, toJson } from '../db/database.ts';
import { hashClientSecret } from '../auth/sessions.ts';
import { tenantIdsOf } from '../auth/authenticator.ts';
import { MachineRole } from '../../../shared/src/roles.ts';
import { tenantAccessFor } from '../../../shared/src/tenants.ts';
import { CreateApiClientRequest, RotateApiClientRequest, type ApiClientView, type ApiClientWithKey } from '../../../shared/src/users.ts';
import { assertCanGrant, assertManages } from './access.ts';

type ApiClientRow = Selectable<ApiClientsTable>;

/** 256 random bits: the API key and OAuth2 client secret. Only its SHA-256 is stored. */
function newSecret(): string {
  return `wkz_${randomBytes(32).toString('base64url')}`;
}

export function toApiClientView(row: ApiClientRow, now: Date): ApiClientView {
  const previousUntil = row.previous_secret_hash && row.previous_secret_expires_at ? toIso(row.previous_secret_expires_at) : null;
  return {
    id: row.id,
    name: row.name,
    clientId: row.client_id,
    keyPrefix: row.key_prefix,
    role: MachineRole.parse(row.role),
    tenantIds: tenantIdsOf(row.tenant_ids),
    active: toBool(row.active) && row.revoked_at === null,
    createdAt: toIso(row.created_at),
    createdBy: row.created_by,
    revokedAt: toIsoOrNull(row.revoked_at),
    rotatedAt: toIsoOrNull(row.rotated_at),
    // A grace period that is over is not shown as if the old key still worked.
    previousKeyValidUntil: previousUntil && previousUntil > now.toISOString() && row.revoked_at === null ? previousUntil : null,
    lastUsedAt: toIsoOrNull(row.last_used_at),
    version: row.version,
  };
}

export async function listApiClients(db: Kysely<Database>, now: Date): Promise<ApiClientView[]> {
  const rows = await db.selectFrom('api_clients').selectAll().orderBy('created_at', 'desc').orderBy('name').execute();
  return rows.map((row) => toApiClientView(row, now));
}

async function loadClient(trx: Transaction<Database>, id: string): Promise<ApiClientRow> {
  const row = await trx.selectFrom('api_clients').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('API client');
  return row;
}

function accessOfClient(row: Pick<ApiClientRow, 'role' | 'tenant_ids'>) {
  return tenantAccessFor(MachineRole.parse(row.role), tenantIdsOf(row.tenant_ids));
}

/** The audit shows the key's prefix (to tell keys apart), never the key or its hash (ARCHITECTURE.md rule 6). */
function recordClientChange(ctx: CommandContext, before: ApiClientView | null, after: ApiClientView): void {
  const shown = (v: ApiClientView) => ({
    name: v.name,
    clientId: v.clientId,
    role: v.role,
    tenantIds: v.tenantIds,
    keyPrefix: v.keyPrefix,
    active: v.active,
    previousKeyValidUntil: v.previousKeyValidUntil,
  });
  ctx.audit({ entityType: 'api_client', entityId: after.id, before: before ? shown(before) : null, after: shown(after) });
  ctx.change({ entityType: 'api_client', entityId: after.id, operation: 'upsert', version: after.version, data: shown(after) });
}

/**
 * Registers a machine client (the payment engine, or monitoring that reads /metrics). The secret
 * is returned once; it works both as an API key (X-API-Key) and as an OAuth2 client secret.
 */
export const createApiClient = defineCommand({
  name: 'apiClient.create',
  input: CreateApiClientRequest,
  permission: 'user:manage',
  async apply(ctx, input): Promise<ApiClientWithKey> {
    assertCanGrant(ctx.actor, input.role, input.tenantIds);
    const clash = await ctx.trx.selectFrom('api_clients').select('id').where('name', '=', input.name).where('revoked_at', 'is', null).executeTakeFirst();
    if (clash) throw conflict(`an active client named "${input.name}" already exists`);
    const secret = newSecret();
    const row = {
      id: randomUUID(),
      name: input.name,
      client_id: `wkz-client-${randomBytes(6).toString('hex')}`,
      secret_hash: hashClientSecret(secret),
      key_prefix: secret.slice(0, 10),
      role: input.role,
      active: dbBool(ctx.dialect, true),
      created_at: ctx.now.toISOString(),
      created_by: ctx.actor.name,
      revoked_at: null,
      tenant_ids: toJson(input.tenantIds),
      last_used_at: null,
      previous_secret_hash: null,
      previous_secret_expires_at: null,
      rotated_at: null,
      version: 1,
    } satisfies ApiClientRow;
    await ctx.trx.insertInto('api_clients').values(row).execute();
    const view = toApiClientView(row, ctx.now);
    recordClientChange(ctx, null, view);
    return { ...view, apiKey: secret };
  },
});

const ClientIdInput = z.object({ id: z.uuid() });

/** Revokes a client: every key (current and previous) and every token stop working. */
export const revokeApiClient = defineCommand({
  name: 'apiClient.revoke',
  input: ClientIdInput,
  permission: 'user:manage',
  async apply(ctx, input): Promise<ApiClientView> {
    const before = await loadClient(ctx.trx, input.id);
    assertManages(ctx.actor, accessOfClient(before), 'client');
    if (before.revoked_at !== null) return toApiClientView(before, ctx.now);
    const now = ctx.now.toISOString();
    const after = {
      ...before,
      active: dbBool(ctx.dialect, false),
      revoked_at: now,
      previous_secret_hash: null,
      previous_secret_expires_at: null,
      version: before.version + 1,
    };
    await ctx.trx
      .updateTable('api_clients')
      .set({ active: after.active, revoked_at: now, previous_secret_hash: null, previous_secret_expires_at: null, version: after.version })
      .where('id', '=', before.id)
      .execute();
    const view = toApiClientView(after, ctx.now);
    recordClientChange(ctx, toApiClientView(before, ctx.now), view);
    return view;
  },
});

/**
 * Issues a new key. The current key keeps working for `graceMinutes` (default 24 h, at most
 * 7 days) so that the engine can be re-configured without an outage; only one previous key is
 * kept, so a second rotation ends the first one's grace.
 */
export const rotateApiClient = defineCommand({
  name: 'apiClient.rotate',
  input: RotateApiClientRequest.extend({ id: z.uuid() }),
  permission: 'user:manage',
  async apply(ctx, input): Promise<ApiClientWithKey> {
    const before = await loadClient(ctx.trx, input.id);
    assertManages(ctx.actor, accessOfClient(before), 'client');
    if (before.revoked_at !== null || !toBool(before.active)) throw conflict('a revoked client cannot be rotated: create a new one');
    const secret = newSecret();
    const now = ctx.now.toISOString();
    const graceEnds = input.graceMinutes > 0 ? new Date(ctx.now.getTime() + input.graceMinutes * 60_000).toISOString() : null;
    const after = {
      ...before,
      secret_hash: hashClientSecret(secret),
      key_prefix: secret.slice(0, 10),
      previous_secret_hash: graceEnds ? before.secret_hash : null,
      previous_secret_expires_at: graceEnds,
      rotated_at: now,
      version: before.version + 1,
    };
    await ctx.trx
      .updateTable('api_clients')
      .set({
        secret_hash: after.secret_hash,
        key_prefix: after.key_prefix,
        previous_secret_hash: after.previous_secret_hash,
        previous_secret_expires_at: graceEnds,
        rotated_at: now,
        version: after.version,
      })
      .where('id', '=', before.id)
      .execute();
    const view = toApiClientView(after, ctx.now);
    recordClientChange(ctx, toApiClientView(before, ctx.now), view);
    return { ...view, apiKey: secret };
  },
});

/**
 * Records when a client last authenticated (the Authenticator calls this at most once a minute per
 * client). Bookkeeping, not a decision: no audit or change-log row, so that a busy engine does not
 * fill the audit trail.
 */
export const touchApiClient = defineCommand({
  name: 'apiClient.touch',
  input: ClientIdInput,
  permission: null,
  async apply(ctx, input) {
    await ctx.trx.updateTable('api_clients').set({ last_used_at: ctx.now.toISOString() }).where('id', '=', input.id).execute();
    return { id: input.id };
  },
});
