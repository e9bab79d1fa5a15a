import {
  ResolveConflictRequest,
  SyncChangesPage,
  SyncChangesQuery,
  SyncConflict,
  SyncConflictList,
  SyncHubInfo,
  SyncPushRequest,
  SyncPushResponse,
  SyncSnapshotPage,
  SyncSnapshotQuery,
  SyncStatus,
} from '../sync.ts';
import { defineOperation, UuidParams } from './operation.ts';

/**
 * Sync (ARCHITECTURE.md rule 2; shared/src/sync.ts). The hub serves info, snapshot, changes and
 * push to workstations, with the caller's scope decided from the token (tenant rule 'list': a
 * workstation receives only its user's tenants). Every node answers status; a workstation keeps
 * the Conflicts inbox. Push runs each mutation as its own command, whose permission and tenant
 * checks apply as if the user had called it directly.
 */
export const syncOperations = {
  info: defineOperation({
    name: 'sync.info',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/sync/info',
    access: 'signed-in',
    tenant: 'global',
    summary: 'The hub: its id, the command versions it accepts, the offline sign-in period and its newest change.',
    output: SyncHubInfo,
  }),
  snapshot: defineOperation({
    name: 'sync.snapshot',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/sync/snapshot',
    access: 'signed-in',
    tenant: 'list',
    summary: "A page of the first sync: the caller's cases by id with their payments, assessments, customers, comments; reference data on the first page.",
    query: SyncSnapshotQuery,
    output: SyncSnapshotPage,
  }),
  changes: defineOperation({
    name: 'sync.changes',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/sync/changes',
    access: 'signed-in',
    tenant: 'list',
    summary: "The change feed after a cursor: each changed entity's current rows, or its removal when it left the caller's scope.",
    query: SyncChangesQuery,
    output: SyncChangesPage,
  }),
  push: defineOperation({
    name: 'sync.push',
    kind: 'command',
    method: 'POST',
    path: '/api/v1/sync/push',
    access: 'signed-in',
    tenant: 'list',
    summary: "A workstation's queued actions, in order: each runs as its command with the caller's rights; repeats are skipped, refusals recorded.",
    body: SyncPushRequest,
    output: SyncPushResponse,
    bodyLimit: 64 * 1024 * 1024,
  }),
  status: defineOperation({
    name: 'sync.status',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/sync/status',
    access: 'signed-in',
    tenant: 'global',
    summary: 'Connection and sync state of this node: online, cursor, hub sequence, pending and rejected changes, conflicts, last sync.',
    output: SyncStatus,
    allowedBeforePasswordChange: true,
  }),
  conflicts: defineOperation({
    name: 'sync.conflict.list',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/sync/conflicts',
    access: 'signed-in',
    tenant: 'global',
    summary: "The Conflicts inbox: this workstation's actions the hub refused, with both sides.",
    output: SyncConflictList,
  }),
  resolveConflict: defineOperation({
    name: 'sync.conflict.resolve',
    kind: 'command',
    method: 'POST',
    path: '/api/v1/sync/conflicts/:id/resolve',
    access: 'signed-in',
    tenant: 'global',
    summary: 'Re-apply my action on the entity as it is now, or discard it.',
    params: UuidParams,
    body: ResolveConflictRequest,
    output: SyncConflict,
  }),
} as const;
