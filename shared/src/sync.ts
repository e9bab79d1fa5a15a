import { z } from 'zod';

/**
 * Sync between a hub (PostgreSQL, the bank's central node) and workstations (SQLite cache +
 * durable outbox, working offline). README "Workstations and sync"; ARCHITECTURE.md rules 1 and 5.
 *
 * Down: the hub serves a snapshot (first sync) and then a change feed read by cursor from its
 * change log. Each change carries the hub's *current* rows of the changed entity in the storage
 * form of SQLite (JSON as text, booleans 0/1, timestamps ISO), or a removal when the entity left
 * the caller's scope (SYNC_SCOPE below). A page and its cursor commit in one SQLite transaction.
 *
 * Up: a user's action on a workstation runs the same command locally and writes an outbox entry
 * in the same transaction. The outbox is pushed in order; the hub runs each mutation by command
 * name with the actor and tenants from the token, skips mutation ids it already applied, and
 * records a rejected one instead of blocking the queue.
 */

export const SYNC_PROTOCOL_VERSION = 1;

/** How a workstation's action on an entity behaves when the entity moved on at the hub. */
export type SyncMutationKind =
  /** Carries the entity version it was based on (expectedVersion); a moved entity rejects it as a conflict. */
  | 'versioned'
  /** Appends a new row (comments, attachments): never conflicts. */
  | 'append-only';

export interface SyncableCommand {
  /** Bumped when the command's input or meaning changes; hub and workstation must agree. */
  version: number;
  entityType: 'case' | 'risk' | 'control' | 'kri' | 'risk_event' | 'treatment-action' | 'consent';
  /** The input field naming the entity (absent for a command that creates a new entity). */
  idField: 'caseId' | 'riskId' | 'controlId' | 'kriId' | 'actionId' | 'consentId' | null;
  kind: SyncMutationKind;
  /** One line for the Conflicts inbox: what the user did. */
  label: string;
  /**
   * The input field saying when the fact happened (default: when the command runs). A workstation
   * fills it with the local time of the action, so a test or measurement recorded offline keeps
   * its own time at the hub instead of the time it was sent.
   */
  timeField?: 'testedAt' | 'measuredAt';
}

/**
 * The commands a workstation runs locally (optimistically) and queues for the hub. Everything else
 * a workstation is asked to do is forwarded to the hub while online and answered "needs the hub"
 * (503, code HUB_UNAVAILABLE) while offline.
 */
export const SYNCABLE_COMMANDS = {
  'case.assign': { version: 1, entityType: 'case', idField: 'caseId', kind: 'versioned', label: 'Assign' },
  'case.release': { version: 1, entityType: 'case', idField: 'caseId', kind: 'versioned', label: 'Release to queue' },
  'case.start': { version: 1, entityType: 'case', idField: 'caseId', kind: 'versioned', label: 'Start work' },
  'case.request-info': { version: 1, entityType: 'case', idField: 'caseId', kind: 'versioned', label: 'Request information' },
  'case.resume': { version: 1, entityType: 'case', idField: 'caseId', kind: 'versioned', label: 'Resume' },
  'case.decide': { version: 1, entityType: 'case', idField: 'caseId', kind: 'versioned', label: 'Decision' },
  'case.approval': { version: 1, entityType: 'case', idField: 'caseId', kind: 'versioned', label: 'Four-eyes approval' },
  'case.tag': { version: 1, entityType: 'case', idField: 'caseId', kind: 'versioned', label: 'Tags' },
  'case.comment': { version: 1, entityType: 'case', idField: 'caseId', kind: 'append-only', label: 'Comment' },
  'case.attach': { version: 1, entityType: 'case', idField: 'caseId', kind: 'append-only', label: 'Attachment' },
  // The risk register (issue 13): a risk officer reviews and records offline.
  'risk.assess': { version: 1, entityType: 'risk', idField: 'riskId', kind: 'append-only', label: 'Risk assessment' },
  'risk.update': { version: 1, entityType: 'risk', idField: 'riskId', kind: 'versioned', label: 'Risk details' },
  'risk.change-status': { version: 1, entityType: 'risk', idField: 'riskId', kind: 'versioned', label: 'Risk status' },
  'risk.treatment.create': { version: 1, entityType: 'risk', idField: 'riskId', kind: 'append-only', label: 'Treatment plan' },
  'risk.treatment-action.create': { version: 1, entityType: 'risk', idField: 'riskId', kind: 'append-only', label: 'Treatment action' },
  'risk.treatment-action.update': { version: 1, entityType: 'treatment-action', idField: 'actionId', kind: 'versioned', label: 'Treatment action progress' },
  'risk.acceptance.request': { version: 1, entityType: 'risk', idField: 'riskId', kind: 'append-only', label: 'Risk acceptance request' },
  'control.record-test': { version: 1, entityType: 'control', idField: 'controlId', kind: 'append-only', label: 'Control test', timeField: 'testedAt' },
  'kri.record-measurement': { version: 1, entityType: 'kri', idField: 'kriId', kind: 'append-only', label: 'KRI measurement', timeField: 'measuredAt' },
  'risk-event.create': { version: 1, entityType: 'risk_event', idField: null, kind: 'append-only', label: 'Risk event' },
  // The consent register (issue 14): a compliance officer revokes offline; the hub ends the tokens and tells the app.
  'consent.revoke': { version: 1, entityType: 'consent', idField: 'consentId', kind: 'versioned', label: 'Consent revocation' },
} as const satisfies Record<string, SyncableCommand>;
export type SyncableCommandName = keyof typeof SYNCABLE_COMMANDS;

export function isSyncableCommand(name: string): name is SyncableCommandName {
  return Object.hasOwn(SYNCABLE_COMMANDS, name);
}

/** "case.decide@1" for each syncable command: what a hub accepts and what a workstation sends. */
export function commandVersions(commands: Record<string, { version: number }> = SYNCABLE_COMMANDS): Record<string, number> {
  return Object.fromEntries(Object.entries(commands).map(([name, c]) => [name, c.version]));
}

/**
 * Queries a workstation answers from its own cache, online or offline. Their data arrives by the
 * change feed under SYNC_SCOPE; every other query is forwarded to the hub.
 */
export const LOCAL_QUERIES = [
  'case.list',
  'case.counts',
  'case.assignees',
  'case.get',
  'case.attachment.download',
  'case.export-csv',
  'case.export-xlsx',
  'case-queue.list',
  'case.four-eyes.get',
  'auth.me',
  'auth.logout',
  'system.health',
  'sync.status',
  'sync.conflict.list',
  'demo.info',
  // The risk register (issue 13), from the cache under SYNC_SCOPE 'risk-register'.
  'risk.list',
  'risk-owner.list',
  'risk.get',
  'risk.assessments',
  'control.list',
  'control.get',
  'control.tests',
  'risk-matrix.get',
  'risk-matrix.versions',
  'kri.list',
  'kri.get',
  'kri.measurements',
  'kri-metric.list',
  'risk-event.list',
  'risk-event.get',
  // The consent register (issue 14), from the cache under SYNC_SCOPE 'consent-register' (the access log stays at the hub).
  'consent.list',
  'consent.get',
  'consent.review',
] as const;

/**
 * What a workstation receives, decided at the hub for the signed-in user (kept with the contract so
 * that hub, workstation and README agree). `tables` are the hub tables whose rows travel.
 */
export const SYNC_SCOPE = [
  {
    entity: 'case',
    tables: ['cases', 'case_assessments', 'fraud_risk_assessments', 'payments', 'customers', 'case_comments', 'case_attachments'],
    who: 'users who may read cases',
    rule: "open cases of the user's tenants (every queue the user works, escalations included) and any case assigned to the user; with their payments, assessments, customers, comments and attachment details",
  },
  { entity: 'case-comment', tables: ['case_comments'], who: 'as its case', rule: 'comments of cases in scope (append-only)' },
  {
    entity: 'case-attachment',
    tables: ['case_attachments'],
    who: 'as its case',
    rule: 'attachment details of cases in scope; the file itself on demand, up to 10 MB',
  },
  { entity: 'case-queue', tables: ['case_queues'], who: 'everyone', rule: 'all queues (read-only)' },
  { entity: 'settings', tables: ['settings'], who: 'everyone', rule: 'four-eyes limits (read-only)' },
  { entity: 'user', tables: ['users'], who: 'everyone', rule: 'the user directory without password hashes (read-only)' },
  {
    entity: 'risk-register',
    tables: [
      'risk_matrix_versions',
      'risks',
      'risk_assessments',
      'controls',
      'risk_controls',
      'control_tests',
      'risk_treatments',
      'treatment_actions',
      'risk_acceptances',
      'kris',
      'kri_risks',
      'kri_measurements',
      'risk_events',
    ],
    who: 'users who may read the risk register (risk:read)',
    rule: "every risk, control, KRI and risk event of the user's tenants with their assessments, control tests, treatments, acceptances and KRI measurements; the risk matrix versions",
  },
  {
    entity: 'consent-register',
    tables: ['ob_apps', 'bank_accounts', 'consents', 'consent_usage'],
    who: 'users who may read the consent register (consent:read)',
    rule: "every consent of the user's tenants with today's unattended-use count (as of the consent's last change), the apps of those tenants without any secret, and the name and number of each account a consent names; not the access log or webhook deliveries (they stay at the hub)",
  },
] as const;

/**
 * The register's change-log entity types and the table each one's row lives in (issue 13): a
 * register entity is one row, sent as it stands at the hub (tombstones included).
 */
export const REGISTER_SYNC_ENTITIES = {
  'risk-matrix-version': 'risk_matrix_versions',
  risk: 'risks',
  'risk-assessment': 'risk_assessments',
  control: 'controls',
  'risk-control': 'risk_controls',
  'control-test': 'control_tests',
  'risk-treatment': 'risk_treatments',
  'treatment-action': 'treatment_actions',
  'risk-acceptance': 'risk_acceptances',
  kri: 'kris',
  kri_risk: 'kri_risks',
  kri_measurement: 'kri_measurements',
  risk_event: 'risk_events',
} as const;
export type RegisterSyncedTable = (typeof REGISTER_SYNC_ENTITIES)[keyof typeof REGISTER_SYNC_ENTITIES];

/** The consent register's change-log entity types and their tables (issue 14; service/src/sync/hub/consents.ts). */
export const CONSENT_SYNC_ENTITIES = {
  consent: 'consents',
  ob_app: 'ob_apps',
  bank_account: 'bank_accounts',
} as const;

/** Tables a workstation keeps in its cache, in the order rows are applied (parents first). */
export const SYNCED_TABLES = [
  'users',
  'settings',
  'case_queues',
  'customers',
  'payments',
  'fraud_risk_assessments',
  'cases',
  'case_assessments',
  'case_comments',
  'case_attachments',
  /** Only a case's own history (entries about the case and its payments), for its timeline. */
  'audit_log',
  // The risk register (issue 13), parents before children.
  'risk_matrix_versions',
  'risks',
  'controls',
  'kris',
  'risk_assessments',
  'risk_controls',
  'control_tests',
  'risk_treatments',
  'treatment_actions',
  'risk_acceptances',
  'kri_risks',
  'kri_measurements',
  'risk_events',
  // The consent register (issue 14), parents before children.
  'ob_apps',
  'bank_accounts',
  'consents',
  'consent_usage',
] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];

/** Primary-key columns of each synced table (case_assessments has a two-column key). */
export const SYNCED_TABLE_KEYS: Record<SyncedTable, readonly string[]> = {
  users: ['id'],
  settings: ['name'],
  case_queues: ['id'],
  customers: ['id'],
  payments: ['id'],
  fraud_risk_assessments: ['id'],
  cases: ['id'],
  case_assessments: ['case_id', 'assessment_id'],
  case_comments: ['id'],
  case_attachments: ['id'],
  audit_log: ['id'],
  risk_matrix_versions: ['id'],
  risks: ['id'],
  controls: ['id'],
  kris: ['id'],
  risk_assessments: ['id'],
  risk_controls: ['id'],
  control_tests: ['id'],
  risk_treatments: ['id'],
  treatment_actions: ['id'],
  risk_acceptances: ['id'],
  kri_risks: ['id'],
  kri_measurements: ['id'],
  risk_events: ['id'],
  ob_apps: ['id'],
  bank_accounts: ['id'],
  consents: ['id'],
  consent_usage: ['consent_id', 'day'],
};

/** A row in SQLite storage form: JSON columns as text, booleans 0/1, timestamps ISO, numbers as numbers. */
export const SyncRow = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));
export type SyncRow = z.infer<typeof SyncRow>;

export const SyncTableRows = z.object({ table: z.enum(SYNCED_TABLES), rows: z.array(SyncRow) });
export type SyncTableRows = z.infer<typeof SyncTableRows>;

/** One entity's change: its current rows (upsert) or its removal from this workstation (it was deleted or left scope). */
export const SyncChange = z.object({
  seq: z.number().int().nonnegative(),
  entityType: z.string(),
  entityId: z.string(),
  op: z.enum(['upsert', 'remove']),
  rows: z.array(SyncTableRows),
});
export type SyncChange = z.infer<typeof SyncChange>;

const Cursor = z.coerce.number().int().nonnegative();

export const SyncChangesQuery = z.object({
  /** The last change-log sequence the workstation applied (0 = none). */
  after: Cursor.default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
export type SyncChangesQuery = z.infer<typeof SyncChangesQuery>;

export const SyncChangesPage = z.object({
  changes: z.array(SyncChange),
  /** Apply the page, then store this as the cursor (in the same transaction). */
  nextCursor: z.number().int().nonnegative(),
  /** The newest change-log sequence at the hub when the page was read. */
  hubSeq: z.number().int().nonnegative(),
  hasMore: z.boolean(),
});
export type SyncChangesPage = z.infer<typeof SyncChangesPage>;

export const SyncSnapshotQuery = z.object({
  /** The case id the previous page ended at ('' = start). */
  afterCaseId: z.string().max(64).default(''),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});
export type SyncSnapshotQuery = z.infer<typeof SyncSnapshotQuery>;

/**
 * A page of the first sync: cases in scope by id with their rows; the first page (afterCaseId '')
 * also carries the reference data (users, queues, settings). After the last page the workstation
 * continues with the change feed from `snapshotSeq` of the first page.
 */
export const SyncSnapshotPage = z.object({
  rows: z.array(SyncTableRows),
  lastCaseId: z.string().nullable(),
  hasMore: z.boolean(),
  /** The change-log sequence the snapshot is at least as new as (taken before reading). */
  snapshotSeq: z.number().int().nonnegative(),
  /** Cases in scope in all (for the progress bar). */
  totalCases: z.number().int().nonnegative(),
});
export type SyncSnapshotPage = z.infer<typeof SyncSnapshotPage>;

export const SyncMutation = z.object({
  mutationId: z.uuid(),
  command: z.string().min(1).max(100),
  commandVersion: z.number().int().positive(),
  input: z.record(z.string(), z.unknown()),
  /** When the user acted on the workstation (kept for the record; the hub applies at its own time). */
  clientTime: z.iso.datetime({ offset: true }),
});
export type SyncMutation = z.infer<typeof SyncMutation>;

export const SyncPushRequest = z.object({
  /** The workstation's id (a UUID made on its first start). */
  workstationId: z.uuid(),
  mutations: z.array(SyncMutation).min(1).max(100),
});
export type SyncPushRequest = z.infer<typeof SyncPushRequest>;

export const SyncMutationError = z.object({ status: z.number().int(), code: z.string(), message: z.string() });
export type SyncMutationError = z.infer<typeof SyncMutationError>;

export const SyncMutationResult = z.object({
  mutationId: z.uuid(),
  /** applied now, applied earlier (a repeat), or rejected (recorded; the queue moves on). */
  status: z.enum(['applied', 'duplicate', 'rejected']),
  /** For rejected: what the hub said. A 409 is a conflict for the user to resolve. */
  error: SyncMutationError.nullable(),
  /** For rejected: the entity as it is now at the hub, so the workstation can roll back. */
  current: z.array(SyncTableRows).nullable(),
});
export type SyncMutationResult = z.infer<typeof SyncMutationResult>;

export const SyncPushResponse = z.object({
  results: z.array(SyncMutationResult),
  /**
   * Set when the hub stopped before the end of the batch (a fault that may pass, e.g. the database
   * restarting): results cover the mutations before it, the rest is sent again later.
   */
  stoppedAt: z.uuid().nullable(),
});
export type SyncPushResponse = z.infer<typeof SyncPushResponse>;

export const SyncHubInfo = z.object({
  hubId: z.string(),
  protocolVersion: z.number().int(),
  serviceVersion: z.string(),
  /** Syncable command versions the hub accepts (name → version). */
  commandVersions: z.record(z.string(), z.number().int()),
  /** How long a workstation may sign a user in offline after their last sign-in at the hub. */
  offlineSignInDays: z.number().int().min(0).max(90),
  hubSeq: z.number().int().nonnegative(),
});
export type SyncHubInfo = z.infer<typeof SyncHubInfo>;

/** What a workstation has to update before its waiting changes can go (never dropped meanwhile). */
export const VersionSkew = z.object({
  command: z.string(),
  workstationVersion: z.number().int().nullable(),
  hubVersion: z.number().int().nullable(),
  /** "workstation" when the hub is newer, "hub" when the workstation is. */
  update: z.enum(['workstation', 'hub']),
});
export type VersionSkew = z.infer<typeof VersionSkew>;

export const SyncStatus = z.object({
  mode: z.enum(['standalone', 'hub', 'workstation']),
  online: z.boolean(),
  hubUrl: z.string().nullable(),
  lastPulledSeq: z.number().int().nonnegative(),
  hubSeq: z.number().int().nonnegative(),
  pendingMutations: z.number().int().nonnegative(),
  rejectedMutations: z.number().int().nonnegative(),
  /** Unresolved conflicts and refusals in the Conflicts inbox. */
  conflicts: z.number().int().nonnegative(),
  lastSyncAt: z.iso.datetime({ offset: true }).nullable(),
  /** When the hub was last lost (null while online). */
  offlineSince: z.iso.datetime({ offset: true }).nullable(),
  /** 'syncing' while a pull or push is under way. */
  state: z.enum(['online', 'offline', 'syncing', 'initial-sync', 'not-applicable']),
  /** The first sync's progress (null when done). */
  initialSync: z
    .object({ rowsDone: z.number().int(), casesDone: z.number().int(), casesTotal: z.number().int(), secondsLeft: z.number().nullable() })
    .nullable(),
  versionSkew: z.array(VersionSkew),
  /** The user whose scope this workstation's cache holds. */
  cacheOwner: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const SyncConflict = z.object({
  id: z.uuid(),
  mutationId: z.uuid(),
  command: z.string(),
  label: z.string(),
  kind: z.enum(['conflict', 'refused']),
  entityType: z.string(),
  entityId: z.string(),
  /** e.g. the case reference. */
  entityLabel: z.string(),
  /** What the user did offline (the command's input). */
  mine: z.record(z.string(), z.unknown()),
  /** The entity as the hub has it now (case summary fields), null when unknown. */
  theirs: z.record(z.string(), z.unknown()).nullable(),
  /** What the hub said. */
  message: z.string(),
  actorId: z.string(),
  actorName: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  resolvedAt: z.iso.datetime({ offset: true }).nullable(),
  resolution: z.enum(['reapplied', 'discarded']).nullable(),
});
export type SyncConflict = z.infer<typeof SyncConflict>;

export const SyncConflictList = z.object({ items: z.array(SyncConflict) });
export type SyncConflictList = z.infer<typeof SyncConflictList>;

export const ResolveConflictRequest = z.object({
  /** reapply: run my action again on the entity as it is now; discard: drop my action. */
  action: z.enum(['reapply', 'discard']),
});
export type ResolveConflictRequest = z.infer<typeof ResolveConflictRequest>;

/** The answer when a workstation is asked for something only the hub can do, while offline. */
export const HUB_UNAVAILABLE = 'HUB_UNAVAILABLE';
