import { z } from 'zod';
import { defineCommand, SYSTEM_ACTOR, type CommandBus } from '../../commands/bus.ts';
import { fromJson, isUniqueViolation, toJson } from '../../db/database.ts';
import { SYNC_PROTOCOL_VERSION, type SyncHubInfo, type SyncStatus } from '../../../../shared/src/sync.ts';
import type { HubReader } from './snapshot.ts';

/** The settings row holding this hub's id (one per database, so every hub process over one PostgreSQL shares it). */
export const HUB_ID_SETTING = 'sync.hub-id';

/**
 * Stored as an object: a bare JSON string in a PostgreSQL jsonb column comes back already parsed,
 * and fromJson would parse it a second time (a UUID starting with digits then fails).
 */
function hubIdOf(value: unknown): string {
  const parsed = typeof value === 'string' && value.startsWith('{') ? fromJson<unknown>(value) : value;
  if (parsed !== null && typeof parsed === 'object') return (parsed as { hubId: string }).hubId;
  // The bare string an earlier build stored: JSON text on SQLite, already parsed on PostgreSQL.
  return typeof parsed === 'string' && parsed.startsWith('"') ? fromJson<string>(parsed) : String(parsed);
}

/** Made once, on the first sync.info of a database; a state change, so a command (ARCHITECTURE.md rule 1). */
const createHubId = defineCommand({
  name: 'sync.hub-id.create',
  input: z.object({}),
  permission: null,
  async apply(ctx) {
    const existing = await ctx.trx.selectFrom('settings').select('value').where('name', '=', HUB_ID_SETTING).executeTakeFirst();
    if (existing) return hubIdOf(existing.value);
    const hubId = ctx.newId();
    const now = ctx.now.toISOString();
    await ctx.trx
      .insertInto('settings')
      .values({ name: HUB_ID_SETTING, value: toJson({ hubId }), updated_at: now, updated_by: ctx.actor.name, version: 1 })
      .execute();
    ctx.audit({ entityType: 'settings', entityId: HUB_ID_SETTING, before: null, after: { hubId } });
    ctx.change({ entityType: 'settings', entityId: HUB_ID_SETTING, operation: 'upsert', version: 1, data: { hubId } });
    return hubId;
  },
});

export class HubIdentity {
  private id: Promise<string> | null = null;

  constructor(
    private readonly reader: HubReader,
    private readonly bus: CommandBus,
  ) {}

  hubId(): Promise<string> {
    this.id ??= this.ensure().catch((error: unknown) => {
      this.id = null;
      throw error;
    });
    return this.id;
  }

  private async ensure(): Promise<string> {
    const read = async () => {
      const row = await this.reader.db.kysely.selectFrom('settings').select('value').where('name', '=', HUB_ID_SETTING).executeTakeFirst();
      return row ? hubIdOf(row.value) : null;
    };
    const existing = await read();
    if (existing) return existing;
    try {
      return await this.bus.execute(createHubId, {}, SYSTEM_ACTOR);
    } catch (error) {
      // Another hub process over the same database made it first: use theirs.
      if (!isUniqueViolation(error)) throw error;
      const made = await read();
      if (!made) throw error;
      return made;
    }
  }
}

export interface HubInfoOptions {
  serviceVersion: string;
  commandVersions: Record<string, number>;
  offlineSignInDays: number;
}

export async function readHubInfo(identity: HubIdentity, reader: HubReader, options: HubInfoOptions): Promise<SyncHubInfo> {
  const [hubId, hubSeq] = await Promise.all([identity.hubId(), reader.hubSeq()]);
  return {
    hubId,
    protocolVersion: SYNC_PROTOCOL_VERSION,
    serviceVersion: options.serviceVersion,
    commandVersions: options.commandVersions,
    offlineSignInDays: options.offlineSignInDays,
    hubSeq,
  };
}

/** WEKEZA_OFFLINE_SIGN_IN_DAYS (0–90), 7 when unset; a bad value stops the start rather than being guessed at. */
export function offlineSignInDaysFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.WEKEZA_OFFLINE_SIGN_IN_DAYS;
  if (raw === undefined || raw.trim() === '') return 7;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 0 || days > 90)
    throw new Error(`WEKEZA_OFFLINE_SIGN_IN_DAYS must be a whole number of days from 0 to 90, not "${raw}"`);
  return days;
}

/** A hub or standalone node has nothing to sync: its status says so, with its own newest change. */
export async function nodeSyncStatus(mode: SyncStatus['mode'], reader: HubReader): Promise<SyncStatus> {
  return {
    mode,
    online: true,
    hubUrl: null,
    lastPulledSeq: 0,
    hubSeq: await reader.hubSeq(),
    pendingMutations: 0,
    rejectedMutations: 0,
    conflicts: 0,
    lastSyncAt: null,
    offlineSince: null,
    state: 'not-applicable',
    initialSync: null,
    versionSkew: [],
    cacheOwner: null,
    lastError: null,
  };
}
