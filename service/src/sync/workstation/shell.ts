import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { OperationSpec } from '../../../../shared/src/contract/operation.ts';
import { ALL_OPERATIONS } from '../../../../shared/src/contract/index.ts';
import { isSyncableCommand, LOCAL_QUERIES } from '../../../../shared/src/sync.ts';
import { MAX_ATTACHMENT_BYTES } from '../../../../shared/src/cases.ts';
import type { OperationHandler } from '../../http/operations.ts';
import type { ServiceContext } from '../../context.ts';
import { defineCommand, SYSTEM_ACTOR } from '../../commands/bus.ts';
import { revokeSessionsOf } from '../../auth/sessions.ts';
import { disconnectUser } from '../../realtime/socket.ts';
import { fromJson } from '../../db/database.ts';
import { crashPoint } from '../../util/crash-points.ts';
import { OfflineCredentials } from './credentials.ts';
import { forwardToHub } from './forward.ts';
import { workstationSignIn } from './sign-in.ts';
import { WorkstationSync } from './engine.ts';
import { registerWorkstationSyncRoutes } from './conflicts.ts';
import type { HubCredentials, HubTransport, UserAccessChange } from './types.ts';

/** Operations a workstation answers itself; everything else goes to the hub (forward.ts). */
const ANSWERED_LOCALLY = new Set<string>([...LOCAL_QUERIES, 'auth.login', 'sync.status', 'sync.conflict.list', 'sync.conflict.resolve']);

export function answeredLocally(op: OperationSpec): boolean {
  return ANSWERED_LOCALLY.has(op.name) || (op.kind === 'command' && isSyncableCommand(op.name));
}

const WORKSTATION_ID_KEY = 'workstation.id';

/** The workstation's own id, made once (the hub records it with every mutation it applies). */
const ensureWorkstationId = defineCommand({
  name: 'workstation.ensure-id',
  input: z.object({}),
  permission: null,
  async apply(ctx) {
    const existing = await ctx.trx.selectFrom('sync_state').select('value').where('key', '=', WORKSTATION_ID_KEY).executeTakeFirst();
    if (existing) return fromJson<string>(existing.value);
    const id = randomUUID();
    await ctx.trx
      .insertInto('sync_state')
      .values({ key: WORKSTATION_ID_KEY, value: JSON.stringify(id), updated_at: ctx.now.toISOString() })
      .execute();
    return id;
  },
});

/** Keeps an attachment file fetched from the hub (checked against its SHA-256) in the cache. */
const cacheAttachment = defineCommand({
  name: 'workstation.cache-attachment',
  input: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), contentBase64: z.string() }),
  permission: null,
  async apply(ctx, input) {
    const content = Buffer.from(input.contentBase64, 'base64');
    if (createHash('sha256').update(content).digest('hex') !== input.sha256) return { kept: false };
    await ctx.trx
      .insertInto('attachment_blobs')
      .values({ sha256: input.sha256, size_bytes: content.length, content, created_at: ctx.now.toISOString() })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
    return { kept: true };
  },
});

/** A user lost rights at the hub: their local sessions end now (they sign in again, at the hub). */
const endLocalSessions = defineCommand({
  name: 'workstation.end-sessions',
  input: z.object({ userId: z.uuid() }),
  permission: null,
  async apply(ctx, input) {
    const ids = await revokeSessionsOf(ctx.trx, input.userId, ctx.now);
    ctx.audit({ entityType: 'user', entityId: input.userId, before: null, after: { sessionsEnded: ids.length, reason: 'rights changed at the hub' } });
    return ids;
  },
});

/**
 * A workstation (README "Workstations and sync"): the same service and UI over a SQLite cache,
 * with sign-in at the hub (or offline), every non-local operation forwarded to the hub, and the
 * sync engine keeping the cache and the outbox in step. `wrap` is given to the operation router
 * before any feature registers its routes; `attach` starts the rest once the context exists.
 */
export class WorkstationShell {
  private engine: WorkstationSync | null = null;
  private credentials: OfflineCredentials | null = null;
  private ctx: ServiceContext | null = null;

  constructor(
    readonly hubUrl: string,
    private readonly transport: HubTransport = (url, init) => fetch(url, init),
  ) {}

  /** Chooses, per operation, the feature's own handler or the forwarder. */
  readonly wrap = <S extends OperationSpec>(op: S, handler: OperationHandler<S>): OperationHandler<S> => {
    if (op.name === 'auth.login') {
      return ((call: Parameters<OperationHandler<S>>[0]) => {
        const { ctx, credentials } = this.ready();
        return workstationSignIn(ctx, {
          hubUrl: this.hubUrl,
          transport: this.transport,
          credentials,
          reportReachable: () => this.engine?.kick(),
          reportUnreachable: () => this.engine?.reportUnreachable(),
          ownerChanged: (userId) => this.changeOwner(userId),
        })(call as never);
      }) as unknown as OperationHandler<S>;
    }
    if (op.name === 'case.attachment.download') return this.attachmentOnDemand(op, handler);
    if (answeredLocally(op)) return handler;
    return this.forwarder(op) as unknown as OperationHandler<S>;
  };

  /**
   * Attachment files are not synced with their case (SYNC_SCOPE): the first download while online
   * fetches the file from the hub and keeps it in the cache (up to the attachment limit), so it
   * opens offline afterwards.
   */
  private attachmentOnDemand<S extends OperationSpec>(op: S, handler: OperationHandler<S>): OperationHandler<S> {
    return (async (call: Parameters<OperationHandler<S>>[0]) => {
      const { ctx } = this.ready();
      const { id, attachmentId } = call.params as { id: string; attachmentId: string };
      const attachment = await ctx.db.kysely
        .selectFrom('case_attachments')
        .leftJoin('attachment_blobs', 'attachment_blobs.sha256', 'case_attachments.sha256')
        .select(['case_attachments.sha256', 'case_attachments.size_bytes', 'attachment_blobs.sha256 as stored'])
        .where('case_attachments.id', '=', attachmentId)
        .where('case_attachments.case_id', '=', id)
        .executeTakeFirst();
      // Not in the cache at all, or already here: the feature's own handler answers (404 or the file).
      if (!attachment || attachment.stored) return handler(call);
      const keep = async (bytes: Buffer) => {
        if (bytes.length !== attachment.size_bytes || bytes.length > MAX_ATTACHMENT_BYTES) return;
        await ctx.bus.execute(cacheAttachment, { sha256: attachment.sha256, contentBase64: bytes.toString('base64') }, SYSTEM_ACTOR);
      };
      return this.forwarder(op, keep)(call as never);
    }) as unknown as OperationHandler<S>;
  }

  private forwarder(op: OperationSpec, keep?: (bytes: Buffer) => Promise<void>) {
    return (call: Parameters<ReturnType<typeof forwardToHub>>[0]) => {
      const engine = this.engine;
      return forwardToHub(
        {
          hubUrl: this.hubUrl,
          credentials: this.hubCredentials,
          transport: this.transport,
          isOnline: () => engine?.isOnline() ?? false,
          offlineSince: () => engine?.offlineSince() ?? null,
          reportUnreachable: () => engine?.reportUnreachable(),
        },
        op,
        keep,
      )(call);
    };
  }

  /**
   * What the engine and the forwarder use. The hub refusing a user's session (401) means it ended
   * it: deactivated, new role or tenants, a password reset. The workstation cannot tell which, so it
   * treats the user as having lost their rights here until they sign in at the hub again.
   */
  private readonly hubCredentials: HubCredentials = {
    tokenFor: (userId) => this.ready().credentials.tokenFor(userId),
    owner: () => this.ready().credentials.owner(),
    invalidate: async (userId) => {
      await this.ready().credentials.invalidate(userId);
      await this.userAccessChanged({ userId, deactivated: false, rightsChanged: true });
    },
  };

  private ready(): { ctx: ServiceContext; credentials: OfflineCredentials } {
    if (!this.ctx || !this.credentials) throw new Error('the workstation is still starting');
    return { ctx: this.ctx, credentials: this.credentials };
  }

  /**
   * Registers the workstation's own routes, forwards the hub-only sync operations, and builds the
   * sync engine (started by start(), once the service listens).
   */
  async register(ctx: ServiceContext): Promise<void> {
    this.ctx = ctx;
    const credentials = new OfflineCredentials(ctx.db.kysely, ctx.bus, ctx.secrets, ctx.clock);
    this.credentials = credentials;
    const implemented = new Set(ctx.operations.names());
    for (const op of ALL_OPERATIONS) {
      if (op.name.startsWith('sync.') && !implemented.has(op.name) && !ANSWERED_LOCALLY.has(op.name)) {
        ctx.operations.implement(op, this.forwarder(op) as never);
      }
    }
    const workstationId = (await ctx.bus.execute(ensureWorkstationId, {}, SYSTEM_ACTOR)) as string;
    const engine = new WorkstationSync({
      db: ctx.db,
      bus: ctx.bus,
      clock: ctx.clock,
      logger: ctx.logger,
      hubUrl: this.hubUrl,
      workstationId,
      credentials: this.hubCredentials,
      transport: this.transport,
      onApplied: (tables) => {
        // Pulled hub changes are in the cache: open screens refresh (scoped: the cache is the owner's).
        (ctx.realtime().emit as (event: string, payload: unknown) => boolean)('sync.applied', { tables });
      },
      onUserAccessChanged: (change) => void this.userAccessChanged(change),
    });
    this.engine = engine;
    registerWorkstationSyncRoutes(ctx, engine);
  }

  /** Starts syncing; called once the service listens (the realtime server exists). */
  start(): void {
    const { ctx } = this.ready();
    // A local case action has committed with its outbox entry (the kill tests stop here).
    ctx.bus.events.on('executed', ({ command, outcome }) => {
      if (outcome === 'ok' && isSyncableCommand(command)) crashPoint('ws.after-local-commit');
    });
    this.engine?.start();
  }

  async stop(): Promise<void> {
    await this.engine?.stop();
  }

  private async changeOwner(userId: string): Promise<void> {
    const { credentials } = this.ready();
    await credentials.setOwner(userId);
    await this.engine?.resetForOwner(userId);
  }

  /**
   * The hub deactivated a user or changed their role or tenants: their local sessions end, they
   * can no longer sign in offline with what this workstation knew, and when they own the cache,
   * the cache is emptied and synced again for their new rights (or left empty).
   */
  private async userAccessChanged(change: UserAccessChange): Promise<void> {
    const { ctx, credentials } = this.ready();
    try {
      await ctx.bus.execute(endLocalSessions, { userId: change.userId }, SYSTEM_ACTOR);
      ctx.authenticator.forgetUser(change.userId);
      disconnectUser(ctx.realtime(), change.userId, change.deactivated ? 'your account was deactivated' : 'your rights changed');
      await credentials.forget(change.userId);
      if ((await credentials.owner()) === change.userId) {
        if (change.deactivated) await credentials.setOwner(null);
        await this.engine?.resetForOwner(change.deactivated ? null : change.userId);
      }
    } catch (error) {
      ctx.logger.error({ err: error, userId: change.userId }, 'could not apply a change of rights from the hub');
    }
  }
}
