import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { defineCommand, SYSTEM_ACTOR, type CommandBus } from '../commands/bus.ts';
import { lockKeys } from '../db/dialect.ts';
import { toIso } from '../db/database.ts';
import type { Clock } from '../clock.ts';
import type { SignInLock, SignInLockKind } from '../../../shared/src/sign-in-locks.ts';
import { ClearSignInLockRequest } from '../../../shared/src/sign-in-locks.ts';

/**
 * Sign-in throttling (issue 11 §3), shared by every hub through the database (migration 0012):
 *
 * - per (username, address) pair: a few failures, then that pair waits, doubling each time. This
 *   is what stops someone guessing one account's password.
 * - per username, from every address: a higher threshold and a short, growing wait (not a hard
 *   lock), so guessing from many addresses slows down. It spares the addresses the user signed in
 *   from before ("known" rows), so an attacker elsewhere cannot keep the real user out.
 * - per address, over every username: a flooding address is held back whatever names it tries.
 *   Known pairs are spared here too (an office behind one NAT address keeps working).
 *
 * Rows expire (a quiet window forgets the failures) and are never evicted for room, so junk
 * usernames cannot push a flooding address's count out. Refused attempts write nothing, so a
 * locked-out caller cannot make the database grow either.
 */
export interface SignInThrottlePolicy {
  pair: { freeFailures: number; baseLockMs: number; maxLockMs: number };
  user: { freeFailures: number; baseLockMs: number; maxLockMs: number };
  address: { freeFailures: number; baseLockMs: number; maxLockMs: number };
  /** Failures with no new one for this long are forgotten. */
  windowMs: number;
  /** How long an address a user signed in from stays "known" for that user. */
  knownForMs: number;
}

const MINUTE = 60_000;
export const DEFAULT_SIGN_IN_POLICY: SignInThrottlePolicy = {
  pair: { freeFailures: 5, baseLockMs: 30_000, maxLockMs: 15 * MINUTE },
  user: { freeFailures: 20, baseLockMs: 5_000, maxLockMs: 5 * MINUTE },
  address: { freeFailures: 50, baseLockMs: 60_000, maxLockMs: 15 * MINUTE },
  windowMs: 15 * MINUTE,
  knownForMs: 30 * 24 * 60 * MINUTE,
};

type CountedKind = SignInLockKind;

/** Usernames are compared as typed after trimming and case-folding, so "Admin" is counted with "admin". */
function normalise(username: string): string {
  return username.trim().toLowerCase().slice(0, 200);
}

function keysFor(username: string, address: string) {
  const user = normalise(username);
  return {
    pair: `pair:${user}|${address}`,
    user: `user:${user}`,
    address: `address:${address}`,
    known: `known:${user}|${address}`,
  } as const;
}

function lockMsFor(failures: number, rule: SignInThrottlePolicy['pair']): number {
  if (failures < rule.freeFailures) return 0;
  return Math.min(rule.maxLockMs, rule.baseLockMs * 2 ** Math.min(30, failures - rule.freeFailures));
}

const Attempt = z.object({ username: z.string().max(300), address: z.string().max(100) });

function recordFailureCommand(policy: SignInThrottlePolicy) {
  return defineCommand({
    name: 'signIn.failed',
    input: Attempt,
    // Run by the sign-in route for an unauthenticated caller: only the service itself.
    permission: null,
    async apply(ctx, { username, address }) {
      const keys = keysFor(username, address);
      const user = normalise(username);
      const now = ctx.now.getTime();
      // Two hubs counting the same keys at once: one after the other (PostgreSQL advisory locks).
      await lockKeys(ctx.dialect, ctx.trx, [keys.pair, keys.user, keys.address]);
      await ctx.trx.deleteFrom('sign_in_failures').where('expires_at', '<', ctx.now.toISOString()).execute();
      const rows = await ctx.trx.selectFrom('sign_in_failures').selectAll().where('key', 'in', [keys.pair, keys.user, keys.address]).execute();
      const byKey = new Map(rows.map((r) => [r.key, r]));
      const counts: Record<CountedKind, number> = { pair: 0, user: 0, address: 0 };
      for (const kind of ['pair', 'user', 'address'] as const) {
        const key = keys[kind];
        const row = byKey.get(key);
        const failures = (row ? row.failures : 0) + 1;
        counts[kind] = failures;
        const lockMs = lockMsFor(failures, policy[kind]);
        const lockedUntil = lockMs > 0 ? new Date(now + lockMs).toISOString() : null;
        const expiresAt = new Date(Math.max(now + policy.windowMs, now + lockMs)).toISOString();
        const values = { failures, locked_until: lockedUntil, expires_at: expiresAt, updated_at: ctx.now.toISOString() };
        if (row) await ctx.trx.updateTable('sign_in_failures').set(values).where('key', '=', key).execute();
        else
          await ctx.trx
            .insertInto('sign_in_failures')
            .values({ key, kind, username: kind === 'address' ? null : user, address: kind === 'user' ? null : address, ...values })
            .execute();
      }
      // Not audited: a refused request leaves no audit row (the failed sign-in is in the log, with
      // its request id), and an attacker cannot fill the audit trail.
      return counts;
    },
  });
}

function recordSuccessCommand(policy: SignInThrottlePolicy) {
  return defineCommand({
    name: 'signIn.succeeded',
    input: Attempt,
    permission: null,
    async apply(ctx, { username, address }) {
      const keys = keysFor(username, address);
      await lockKeys(ctx.dialect, ctx.trx, [keys.pair, keys.known]);
      // Only this pair's count is forgiven: the username's and the address's counts stay, so a
      // flood from elsewhere (or of other names from here) goes on being slowed.
      await ctx.trx.deleteFrom('sign_in_failures').where('key', '=', keys.pair).execute();
      const expiresAt = new Date(ctx.now.getTime() + policy.knownForMs).toISOString();
      const known = await ctx.trx.selectFrom('sign_in_failures').select('key').where('key', '=', keys.known).executeTakeFirst();
      if (known)
        await ctx.trx.updateTable('sign_in_failures').set({ expires_at: expiresAt, updated_at: ctx.now.toISOString() }).where('key', '=', keys.known).execute();
      else
        await ctx.trx
          .insertInto('sign_in_failures')
          .values({
            key: keys.known,
            kind: 'known',
            username: normalise(username),
            address,
            failures: 0,
            locked_until: null,
            expires_at: expiresAt,
            updated_at: ctx.now.toISOString(),
          })
          .execute();
    },
  });
}

/** An administrator clears the failures of a username, an address, or one pair (audited). */
export const clearSignInLock = defineCommand({
  name: 'signInLock.clear',
  input: ClearSignInLockRequest,
  permission: 'user:manage',
  async apply(ctx, { username, address }) {
    let query = ctx.trx.deleteFrom('sign_in_failures').where('kind', '!=', 'known');
    if (username !== undefined) query = query.where('username', '=', normalise(username));
    if (address !== undefined) query = query.where('address', '=', address);
    if (username !== undefined && address !== undefined) {
      // One pair: its own row only; the username's and the address's counts are other callers' too.
      query = query.where('kind', '=', 'pair');
    } else if (username !== undefined) {
      query = query.where('kind', 'in', ['pair', 'user']);
    } else {
      query = query.where('kind', 'in', ['pair', 'address']);
    }
    const result = await query.executeTakeFirst();
    const cleared = Number(result.numDeletedRows);
    ctx.audit({
      entityType: 'sign_in',
      entityId: username !== undefined ? normalise(username) : `address:${address}`,
      before: null,
      after: { outcome: 'cleared', username: username ?? null, address: address ?? null, cleared },
    });
    return { cleared };
  },
});

export class SignInThrottle {
  private readonly recordFailure;
  private readonly recordSuccess;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly bus: CommandBus,
    private readonly clock: Clock,
    readonly policy: SignInThrottlePolicy = DEFAULT_SIGN_IN_POLICY,
  ) {
    this.recordFailure = recordFailureCommand(policy);
    this.recordSuccess = recordSuccessCommand(policy);
  }

  /** Seconds this attempt must wait (0: go ahead), and which count holds it back. */
  async check(username: string, address: string): Promise<{ retryAfterSeconds: number; by: CountedKind | null }> {
    const keys = keysFor(username, address);
    const now = this.clock.now();
    const rows = await this.db
      .selectFrom('sign_in_failures')
      .selectAll()
      .where('key', 'in', [keys.pair, keys.user, keys.address, keys.known])
      .where('expires_at', '>', now.toISOString())
      .execute();
    const byKey = new Map(rows.map((r) => [r.key, r]));
    const known = byKey.has(keys.known);
    let wait = 0;
    let by: CountedKind | null = null;
    // The pair always counts; the username's and the address's counts spare a known pair.
    for (const kind of known ? (['pair'] as const) : (['pair', 'user', 'address'] as const)) {
      const lockedUntil = byKey.get(keys[kind])?.locked_until;
      const ms = lockedUntil ? Date.parse(toIso(lockedUntil)) - now.getTime() : 0;
      if (ms > wait) {
        wait = ms;
        by = kind;
      }
    }
    return { retryAfterSeconds: Math.ceil(wait / 1000), by };
  }

  async failed(username: string, address: string, requestId?: string): Promise<void> {
    await this.bus.execute(this.recordFailure, { username, address }, SYSTEM_ACTOR, requestId ? { requestId } : {});
  }

  async succeeded(username: string, address: string, requestId?: string): Promise<void> {
    await this.bus.execute(this.recordSuccess, { username, address }, SYSTEM_ACTOR, requestId ? { requestId } : {});
  }

  /** Locks in force now, longest first (the admin's users screen). */
  async locks(): Promise<SignInLock[]> {
    const now = this.clock.now().toISOString();
    const rows = await this.db
      .selectFrom('sign_in_failures')
      .selectAll()
      .where('kind', '!=', 'known')
      .where('locked_until', '>', now)
      .orderBy('locked_until', 'desc')
      .limit(500)
      .execute();
    return rows.map((r) => ({
      kind: r.kind as CountedKind,
      username: r.username,
      address: r.address,
      failures: r.failures,
      lockedUntil: toIso(r.locked_until!),
    }));
  }
}
