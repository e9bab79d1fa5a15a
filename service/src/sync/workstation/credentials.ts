import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { defineCommand, SYSTEM_ACTOR, type CommandBus } from '../../commands/bus.ts';
import { dbBool, fromJson, toIso } from '../../db/database.ts';
import type { SecretBox } from '../../auth/secret-box.ts';
import { hashPassword, verifyPassword, UNUSABLE_PASSWORD_HASH } from '../../auth/passwords.ts';
import type { Clock } from '../../clock.ts';
import { Role } from '../../../../shared/src/roles.ts';
import type { HubCredentials } from './types.ts';

/**
 * What a workstation keeps of the people who signed in on it while the hub answered
 * (offline_credentials, migration 0014): a scrypt verifier of the password they typed, the role and
 * tenants the hub last gave them, until when they may sign in offline (the hub's period), and their
 * hub session token sealed with the master key, with which their queued actions are sent.
 */

const OWNER_KEY = 'cache.owner';

const RememberSignIn = z.object({
  userId: z.uuid(),
  username: z.string().min(1).max(100),
  displayName: z.string().min(1).max(200),
  role: Role,
  tenantIds: z.array(z.string()),
  passwordChangeRequired: z.boolean(),
  verifier: z.string().min(1),
  offlineUntil: z.iso.datetime(),
  sealedHubToken: z.string().min(1),
  hubTokenExpiresAt: z.iso.datetime({ offset: true }),
});

/** Run by the workstation's sign-in after the hub accepted the password (as the service itself). */
export const rememberSignIn = defineCommand({
  name: 'workstation.remember-sign-in',
  input: RememberSignIn,
  permission: null,
  async apply(ctx, input) {
    const now = ctx.now.toISOString();
    const existing = await ctx.trx.selectFrom('users').select(['id', 'version']).where('id', '=', input.userId).executeTakeFirst();
    const seen = {
      username: input.username,
      display_name: input.displayName,
      role: input.role,
      tenant_ids: JSON.stringify(input.tenantIds),
      active: dbBool(ctx.dialect, true),
      password_change_required: dbBool(ctx.dialect, input.passwordChangeRequired),
      updated_at: now,
    };
    // The user directory arrives by sync; this makes the user known at once (same id as the hub's).
    if (existing) await ctx.trx.updateTable('users').set(seen).where('id', '=', input.userId).execute();
    else
      await ctx.trx
        .insertInto('users')
        .values({ id: input.userId, ...seen, password_hash: '', created_at: now, version: 0, password_history: '[]' })
        .execute();
    const credential = {
      username: input.username,
      verifier: input.verifier,
      display_name: input.displayName,
      role: input.role,
      tenant_ids: JSON.stringify(input.tenantIds),
      verified_at: now,
      offline_until: input.offlineUntil,
      hub_token: input.sealedHubToken,
      hub_token_expires_at: input.hubTokenExpiresAt,
    };
    // A username moves to another id only if the hub re-created the user: the old credential goes.
    await ctx.trx.deleteFrom('offline_credentials').where('username', '=', input.username).where('user_id', '!=', input.userId).execute();
    await ctx.trx
      .insertInto('offline_credentials')
      .values({ user_id: input.userId, ...credential })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(credential))
      .execute();
    ctx.audit({
      entityType: 'workstation-sign-in',
      entityId: input.userId,
      before: null,
      after: { username: input.username, offlineUntil: input.offlineUntil },
    });
    return { userId: input.userId };
  },
});

/** The hub refused a user's token (expired or revoked): their actions wait for their next sign-in. */
export const forgetHubSession = defineCommand({
  name: 'workstation.forget-hub-session',
  input: z.object({ userId: z.uuid() }),
  permission: null,
  async apply(ctx, input) {
    await ctx.trx.updateTable('offline_credentials').set({ hub_token: null, hub_token_expires_at: null }).where('user_id', '=', input.userId).execute();
    return {};
  },
});

/** The hub deactivated a user or took tenants away: nobody may sign in offline as them any more. */
export const forgetOfflineCredential = defineCommand({
  name: 'workstation.forget-offline-credential',
  input: z.object({ userId: z.uuid() }),
  permission: null,
  async apply(ctx, input) {
    await ctx.trx.deleteFrom('offline_credentials').where('user_id', '=', input.userId).execute();
    ctx.audit({ entityType: 'workstation-sign-in', entityId: input.userId, before: { offline: true }, after: { offline: false } });
    return {};
  },
});

/** The cache now holds this user's scope (the last person who signed in at the hub). */
export const setCacheOwner = defineCommand({
  name: 'workstation.set-cache-owner',
  input: z.object({ userId: z.uuid().nullable() }),
  permission: null,
  async apply(ctx, input) {
    const value = JSON.stringify(input.userId);
    await ctx.trx
      .insertInto('sync_state')
      .values({ key: OWNER_KEY, value, updated_at: ctx.now.toISOString() })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: ctx.now.toISOString() }))
      .execute();
    return {};
  },
});

export interface OfflineIdentity {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  tenantIds: string[];
}

export class OfflineCredentials implements HubCredentials {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly bus: CommandBus,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  /** Keeps what the hub said at a successful sign-in. */
  async remember(hub: {
    userId: string;
    username: string;
    displayName: string;
    role: Role;
    tenantIds: string[];
    passwordChangeRequired: boolean;
    password: string;
    hubToken: string;
    hubTokenExpiresAt: string;
    offlineSignInDays: number;
  }): Promise<void> {
    const offlineUntil = new Date(this.clock.now().getTime() + hub.offlineSignInDays * 86_400_000).toISOString();
    await this.bus.execute(
      rememberSignIn,
      {
        userId: hub.userId,
        username: hub.username,
        displayName: hub.displayName,
        role: hub.role,
        tenantIds: hub.tenantIds,
        passwordChangeRequired: hub.passwordChangeRequired,
        verifier: await hashPassword(hub.password),
        offlineUntil,
        sealedHubToken: this.box.seal(hub.hubToken),
        hubTokenExpiresAt: hub.hubTokenExpiresAt,
      },
      SYSTEM_ACTOR,
    );
  }

  /**
   * The identity to sign in offline as, or why not. Timing is kept uniform for unknown names (the
   * password is checked against an unusable hash), like the hub's own sign-in.
   */
  async verifyOffline(username: string, password: string): Promise<{ ok: true; identity: OfflineIdentity } | { ok: false; reason: 'unknown' | 'expired' }> {
    const row = await this.db.selectFrom('offline_credentials').selectAll().where('username', '=', username).executeTakeFirst();
    const passwordOk = await verifyPassword(password, row?.verifier ?? UNUSABLE_PASSWORD_HASH);
    if (!row || !passwordOk) return { ok: false, reason: 'unknown' };
    if (toIso(row.offline_until) <= this.clock.now().toISOString()) return { ok: false, reason: 'expired' };
    const user = await this.db.selectFrom('users').select(['active']).where('id', '=', row.user_id).executeTakeFirst();
    if (user && !(user.active === true || user.active === 1)) return { ok: false, reason: 'unknown' };
    return {
      ok: true,
      identity: {
        userId: row.user_id,
        username: row.username,
        displayName: row.display_name,
        role: Role.parse(row.role),
        tenantIds: fromJson<string[]>(row.tenant_ids),
      },
    };
  }

  async tokenFor(userId: string): Promise<string | null> {
    const row = await this.db.selectFrom('offline_credentials').select(['hub_token', 'hub_token_expires_at']).where('user_id', '=', userId).executeTakeFirst();
    if (!row?.hub_token || !row.hub_token_expires_at) return null;
    if (toIso(row.hub_token_expires_at) <= this.clock.now().toISOString()) return null;
    try {
      return this.box.open(row.hub_token);
    } catch {
      return null;
    }
  }

  async owner(): Promise<string | null> {
    const row = await this.db.selectFrom('sync_state').select('value').where('key', '=', OWNER_KEY).executeTakeFirst();
    return row ? fromJson<string | null>(row.value) : null;
  }

  async setOwner(userId: string | null): Promise<void> {
    await this.bus.execute(setCacheOwner, { userId }, SYSTEM_ACTOR);
  }

  async invalidate(userId: string): Promise<void> {
    await this.bus.execute(forgetHubSession, { userId }, SYSTEM_ACTOR);
  }

  async forget(userId: string): Promise<void> {
    await this.bus.execute(forgetOfflineCredential, { userId }, SYSTEM_ACTOR);
  }
}
