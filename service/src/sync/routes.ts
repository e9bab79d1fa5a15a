import type { ServiceContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { syncOperations } from '../../../shared/src/contract/sync.ts';
import { commandVersions } from '../../../shared/src/sync.ts';
import { syncViewer } from './hub/scope.ts';
import { HubReader, readSnapshotPage } from './hub/snapshot.ts';
import { readChangesPage } from './hub/changes.ts';
import { pushMutations } from './hub/push.ts';
import { HubIdentity, nodeSyncStatus, readHubInfo } from './hub/info.ts';

/** One reader per service: it holds the column types read once and the snapshot's scope counts. */
const readers = new WeakMap<ServiceContext, HubReader>();
function readerFor(ctx: ServiceContext): HubReader {
  let reader = readers.get(ctx);
  if (!reader) {
    reader = new HubReader(ctx.db);
    readers.set(ctx, reader);
  }
  return reader;
}

/**
 * The hub side of sync (shared/src/contract/sync.ts), on every node but a workstation: a standalone
 * node can serve workstations as well as a PostgreSQL hub. Scope comes from the token (syncViewer).
 */
export function registerHubSyncRoutes(ctx: ServiceContext): void {
  const { operations: ops } = ctx;
  const reader = readerFor(ctx);
  const identity = new HubIdentity(reader, ctx.bus);
  // Tests simulate version skew by overriding what this hub accepts.
  const accepted = ctx.syncCommandVersions ?? commandVersions();
  const info = { serviceVersion: ctx.version, commandVersions: accepted, offlineSignInDays: ctx.offlineSignInDays ?? 7 };

  ops.implement(syncOperations.info, () => readHubInfo(identity, reader, info));
  ops.implement(syncOperations.snapshot, ({ query, principal, scope }) => readSnapshotPage(reader, syncViewer(principal, scope, ctx.clock.now()), query));
  ops.implement(syncOperations.changes, ({ query, principal, scope }) => readChangesPage(reader, syncViewer(principal, scope, ctx.clock.now()), query));
  ops.implement(syncOperations.push, ({ body, principal, scope }) =>
    pushMutations({ reader, bus: ctx.bus, accepted, logger: ctx.logger }, principal, syncViewer(principal, scope, ctx.clock.now()), body),
  );
}

/** sync.status and the Conflicts inbox on a hub or standalone node: nothing to sync, no conflicts. */
export function registerNodeSyncStatusRoutes(ctx: ServiceContext): void {
  const { operations: ops } = ctx;
  const reader = readerFor(ctx);
  ops.implement(syncOperations.status, () => nodeSyncStatus(ctx.mode, reader));
  ops.implement(syncOperations.conflicts, () => ({ items: [] }));
  ops.implement(syncOperations.resolveConflict, () => {
    throw notFound('conflict');
  });
}
