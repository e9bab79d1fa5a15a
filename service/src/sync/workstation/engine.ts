import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import type { CommandBus } from '../../commands/bus.ts';
import type { Clock } from '../../clock.ts';
import { isSyncableCommand, type SyncHubInfo, type SyncStatus } from '../../../../shared/src/sync.ts';
import { clearCache } from '../rows.ts';
import { HubClient, HubError } from './hub-client.ts';
import { pullForOwner } from './pull.ts';
import { pushRound } from './push.ts';
import { FRESH_SNAPSHOT, readSyncState, writeSyncState, type SnapshotProgress } from './state.ts';
import type { HubCredentials, HubTransport, UserAccessChange } from './types.ts';
import { HubAnnouncements } from './live.ts';
import { versionSkew } from './skew.ts';
import { Wake } from './wake.ts';

export interface WorkstationSyncDeps {
  db: Db;
  /** The workstation's bus (afterApply: outboxAfterApply), used to rebase waiting actions. */
  bus: CommandBus;
  clock: Clock;
  logger: Logger;
  hubUrl: string;
  workstationId: string;
  credentials: HubCredentials;
  transport?: HubTransport;
  /** Cache tables a sync step rewrote, after its commit (the shell announces them to the renderer). */
  onApplied(tables: string[]): void;
  /** A pulled user row shows a deactivation or other rights (the shell ends sessions, purges). */
  onUserAccessChanged(change: UserAccessChange): void;
  /** Tuning (tests): poll fallback, offline probe, push backoff, page sizes, request timeout. */
  timing?: Partial<SyncTiming>;
}

export interface SyncTiming {
  pollMs: number;
  probeMs: number;
  backoffMinMs: number;
  backoffMaxMs: number;
  snapshotPageSize: number;
  changesPageSize: number;
  requestTimeoutMs: number;
}

export const DEFAULT_TIMING: SyncTiming = {
  pollMs: 5_000,
  probeMs: 1_000,
  backoffMinMs: 1_000,
  backoffMaxMs: 5_000,
  snapshotPageSize: 1_000,
  changesPageSize: 500,
  requestTimeoutMs: 15_000,
};

export interface WorkstationSyncEvents {
  status: [SyncStatus];
}

/**
 * The workstation's sync engine (issue 12). Three independent loops — downloads (pull), uploads
 * (push) and, while offline, a probe of the hub's /health — so that an upload never blocks a
 * download; SQLite serialises their transactions. While online the hub's socket.io announcement
 * `sync.changed` triggers a pull at once, with a poll as the fallback.
 */
export class WorkstationSync extends EventEmitter<WorkstationSyncEvents> {
  private readonly client: HubClient;
  private readonly timing: SyncTiming;
  private running = false;
  private online = false;
  private lostAt: Date;
  private busy = 0;
  /** sync.info of this connection (null: to be fetched on the next contact). */
  private hubInfo: SyncHubInfo | null = null;
  /** The last sync.info seen, kept while offline so the status still says what to update. */
  private knownInfo: SyncHubInfo | null = null;
  private lastError: string | null = null;
  private lastSyncAt: string | null = null;
  private snapshotClock: { startedMs: number; startCases: number } | null = null;
  private readonly live: HubAnnouncements;
  private stopController = new AbortController();
  private loops: Promise<void>[] = [];
  private readonly pullWake = new Wake();
  private readonly pushWake = new Wake();
  private readonly probeWake = new Wake();
  private statusQueued = false;
  private lastEmitted = '';
  private readonly onExecuted = ({ command, outcome }: { command: string; outcome: 'ok' | 'error' }) => {
    if (outcome === 'ok' && isSyncableCommand(command)) this.pushWake.notify();
  };

  constructor(private readonly deps: WorkstationSyncDeps) {
    super();
    this.timing = { ...DEFAULT_TIMING, ...deps.timing };
    this.client = new HubClient(deps.hubUrl, deps.transport, this.timing.requestTimeoutMs);
    this.lostAt = deps.clock.now();
    this.live = new HubAnnouncements(deps.hubUrl, this.timing, () => this.pullWake.notify());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopController = new AbortController();
    this.deps.bus.events.on('executed', this.onExecuted);
    // The first probe goes at once.
    this.probeWake.notify();
    this.loops = [this.probeLoop(), this.pullLoop(), this.pushLoop()];
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopController.abort();
    this.deps.bus.events.off('executed', this.onExecuted);
    for (const wake of [this.pullWake, this.pushWake, this.probeWake]) wake.notify();
    this.live.close();
    await Promise.allSettled(this.loops);
    this.loops = [];
  }

  /** Pull and push now (a local action was queued, the user asked, the hub announced a change). */
  kick(): void {
    this.pullWake.notify();
    this.pushWake.notify();
    if (!this.online) this.probeWake.notify();
  }

  isOnline(): boolean {
    return this.online;
  }

  /** When the hub was lost (null while online). */
  offlineSince(): Date | null {
    return this.online ? null : this.lostAt;
  }

  /** The shell's forwarder saw the hub fail: go offline now (the probe notices it coming back). */
  reportUnreachable(reason = 'the hub did not answer a forwarded request'): void {
    this.goOffline(reason);
  }

  /**
   * A new cache owner (another user signed in online): the cache is emptied (the outbox and the
   * conflicts stay) and the first sync starts again for their scope. null: nobody owns it any
   * more (the owner was deactivated): emptied, and nothing is pulled until someone signs in.
   */
  async resetForOwner(userId: string | null): Promise<void> {
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await clearCache(trx);
      await writeSyncState(trx, { owner: userId, cursor: 0, snapshot: FRESH_SNAPSHOT }, this.deps.clock.now());
    });
    this.snapshotClock = null;
    this.deps.onApplied(['cases', 'case_comments', 'case_attachments', 'case_assessments', 'payments', 'fraud_risk_assessments', 'customers']);
    this.queueStatus();
    this.pullWake.notify();
  }

  async status(): Promise<SyncStatus> {
    const db = this.deps.db.kysely;
    const [state, counts, conflicts, owner] = await Promise.all([
      readSyncState(db),
      db
        .selectFrom('sync_outbox')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute(),
      db
        .selectFrom('sync_conflicts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('resolved_at', 'is', null)
        .executeTakeFirstOrThrow(),
      this.deps.credentials.owner(),
    ]);
    const count = (status: string) => Number(counts.find((c) => c.status === status)?.n ?? 0);
    const initial = owner !== null && !state.snapshot.done;
    return {
      mode: 'workstation',
      online: this.online,
      hubUrl: this.deps.hubUrl,
      lastPulledSeq: state.cursor,
      hubSeq: Math.max(state.hubSeq, this.knownInfo?.hubSeq ?? 0),
      pendingMutations: count('pending'),
      rejectedMutations: count('rejected'),
      conflicts: Number(conflicts.n),
      lastSyncAt: this.lastSyncAt ?? state.lastSyncAt,
      offlineSince: this.online ? null : this.lostAt.toISOString(),
      state: !this.online ? 'offline' : initial ? 'initial-sync' : this.busy > 0 ? 'syncing' : 'online',
      initialSync: initial ? this.initialProgress(state.snapshot) : null,
      versionSkew: this.knownInfo ? versionSkew(this.knownInfo.commandVersions) : [],
      cacheOwner: owner,
      lastError: this.lastError,
    };
  }

  // --- loops -----------------------------------------------------------------------------------

  /**
   * While offline: ask the hub's /health every second, so a healed hub is noticed at once. The
   * first probe waits a beat too: a hub that is up but failing (its database restarting, 503)
   * would otherwise flip the workstation on and off as fast as requests go.
   */
  private async probeLoop(): Promise<void> {
    while (this.running) {
      await this.probeWake.wait(this.timing.probeMs);
      if (this.running && !this.online && (await this.client.health(this.stopController.signal))) this.goOnline();
    }
  }

  private async pullLoop(): Promise<void> {
    while (this.running) {
      if (this.online) {
        try {
          await this.pullRound();
        } catch (error) {
          this.failed('pull', error);
        }
      }
      await this.pullWake.wait(this.timing.pollMs);
    }
  }

  private async pushLoop(): Promise<void> {
    let backoff = this.timing.backoffMinMs;
    while (this.running) {
      let pause = this.timing.pollMs;
      if (this.online) {
        try {
          const more = await this.pushOnce();
          backoff = this.timing.backoffMinMs;
          if (more === 'again') continue;
          if (more === 'later') pause = backoff;
        } catch (error) {
          this.failed('push', error);
          pause = backoff;
          backoff = Math.min(backoff * 2, this.timing.backoffMaxMs);
        }
      } else {
        pause = backoff;
      }
      await this.pushWake.wait(pause);
    }
  }

  // --- steps -----------------------------------------------------------------------------------

  private async pullRound(): Promise<void> {
    const owner = await this.deps.credentials.owner();
    if (!owner) return;
    const token = await this.deps.credentials.tokenFor(owner);
    if (!token) return;
    const state = await readSyncState(this.deps.db.kysely);
    // The cache was filled for someone else: it holds their scope, not this owner's.
    if (state.owner !== owner) await this.resetForOwner(owner);
    await this.ensureInfo(token, owner);
    this.live.connect(token);
    this.busy += 1;
    try {
      await pullForOwner(
        {
          db: this.deps.db,
          bus: this.deps.bus,
          clock: this.deps.clock,
          logger: this.deps.logger,
          client: this.client,
          signal: this.stopController.signal,
          snapshotPageSize: this.timing.snapshotPageSize,
          changesPageSize: this.timing.changesPageSize,
          committed: ({ tables, access, state: now }) => {
            if (!now.snapshot.done && this.snapshotClock === null) {
              this.snapshotClock = { startedMs: performance.now(), startCases: now.snapshot.casesDone };
            }
            this.lastSyncAt = now.lastSyncAt ?? this.lastSyncAt;
            if (tables.length > 0) this.deps.onApplied(tables);
            for (const change of access) this.deps.onUserAccessChanged(change);
            this.queueStatus();
          },
        },
        owner,
        token,
      );
      this.lastSyncAt = this.deps.clock.now().toISOString();
      this.lastError = null;
    } catch (error) {
      if (error instanceof HubError && error.failure === 'unauthorized') await this.deps.credentials.invalidate(owner);
      throw error;
    } finally {
      this.busy -= 1;
      this.queueStatus();
    }
  }

  /** One upload round; 'again' when it made progress and more may be sendable, 'later' after a partial stop. */
  private async pushOnce(): Promise<'again' | 'later' | 'idle'> {
    const pending = await this.deps.db.kysely.selectFrom('sync_outbox').select('actor_id').distinct().where('status', '=', 'pending').execute();
    if (pending.length === 0) return 'idle';
    const infoToken = await this.anyToken([...pending.map((p) => p.actor_id)]);
    if (!infoToken) return 'idle';
    await this.ensureInfo(infoToken.token, infoToken.userId);
    if (!this.hubInfo) return 'idle';
    this.busy += 1;
    this.queueStatus();
    try {
      const round = await pushRound({
        db: this.deps.db,
        bus: this.deps.bus,
        clock: this.deps.clock,
        logger: this.deps.logger,
        client: this.client,
        credentials: this.deps.credentials,
        workstationId: this.deps.workstationId,
        hubVersions: this.hubInfo.commandVersions,
        signal: this.stopController.signal,
      });
      if (round.tables.length > 0) this.deps.onApplied(round.tables);
      // A rollback may have rewound the download cursor (push.ts): pull again now.
      if (round.rejected > 0) this.pullWake.notify();
      this.lastError = round.lastError;
      if (round.settled > 0) this.lastSyncAt = this.deps.clock.now().toISOString();
      if (round.retryLater) return 'later';
      return round.settled > 0 ? 'again' : 'idle';
    } finally {
      this.busy -= 1;
      this.queueStatus();
    }
  }

  /** sync.info once per connection: the hub's command versions (version skew) and newest sequence. */
  private async ensureInfo(token: string, userId: string): Promise<void> {
    if (this.hubInfo) return;
    try {
      this.hubInfo = await this.client.info(token, this.stopController.signal);
    } catch (error) {
      if (error instanceof HubError && error.failure === 'unauthorized') await this.deps.credentials.invalidate(userId);
      throw error;
    }
    this.knownInfo = this.hubInfo;
    const skew = versionSkew(this.hubInfo.commandVersions);
    if (skew.length > 0) this.deps.logger.warn({ skew }, 'the hub and this workstation disagree on command versions; those changes wait');
    this.queueStatus();
  }

  private async anyToken(userIds: readonly string[]): Promise<{ userId: string; token: string } | null> {
    const owner = await this.deps.credentials.owner();
    for (const userId of owner ? [owner, ...userIds] : userIds) {
      const token = await this.deps.credentials.tokenFor(userId);
      if (token) return { userId, token };
    }
    return null;
  }

  private goOnline(): void {
    if (this.online) return;
    this.online = true;
    this.hubInfo = null;
    this.deps.logger.info({ hub: this.deps.hubUrl }, 'the hub is reachable');
    this.queueStatus();
    this.pullWake.notify();
    this.pushWake.notify();
  }

  private goOffline(reason: string): void {
    if (!this.online) return;
    this.online = false;
    this.lostAt = this.deps.clock.now();
    this.hubInfo = null;
    this.lastError = reason;
    this.live.close();
    this.deps.logger.warn({ hub: this.deps.hubUrl, reason }, 'the hub is unreachable; working offline');
    this.queueStatus();
  }

  private failed(what: 'pull' | 'push', error: unknown): void {
    if (!this.running) return;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof HubError && error.failure === 'unreachable') {
      this.goOffline(message);
      return;
    }
    this.lastError = message;
    this.deps.logger.warn({ err: error }, `sync ${what} failed`);
    this.queueStatus();
  }

  private initialProgress(snapshot: SnapshotProgress): NonNullable<SyncStatus['initialSync']> {
    let secondsLeft: number | null = null;
    if (this.snapshotClock) {
      const elapsed = (performance.now() - this.snapshotClock.startedMs) / 1000;
      const rate = elapsed > 0 ? (snapshot.casesDone - this.snapshotClock.startCases) / elapsed : 0;
      if (rate > 0) secondsLeft = Math.max(0, Math.round(((snapshot.casesTotal - snapshot.casesDone) / rate) * 10) / 10);
    }
    return { rowsDone: snapshot.rowsDone, casesDone: snapshot.casesDone, casesTotal: snapshot.casesTotal, secondsLeft };
  }

  /** Emits 'status' once per burst of changes, and only when something in it changed. */
  private queueStatus(): void {
    if (this.statusQueued || this.listenerCount('status') === 0) return;
    this.statusQueued = true;
    setImmediate(() => {
      this.statusQueued = false;
      this.status().then(
        (status) => {
          const text = JSON.stringify(status);
          if (text === this.lastEmitted) return;
          this.lastEmitted = text;
          this.emit('status', status);
        },
        (error: unknown) => this.deps.logger.debug({ err: error }, 'sync status not available'),
      );
    });
  }
}
