import { EventEmitter } from 'node:events';
import { createHash } from 'node:crypto';
import { uuidv7 } from './ids.ts';
import { sql, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../db/database.ts';
import { toJson } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { Permission, Role } from '../../../shared/src/roles.ts';
import type { TenantAccess } from '../../../shared/src/tenants.ts';
import { roleHasPermission } from '../../../shared/src/roles.ts';
import type { ServerToClientEvents, ServerEventName } from '../../../shared/src/events.ts';
import { forbidden, parseOrThrow, validationFailed } from '../errors.ts';
import { systemClock, type Clock } from '../clock.ts';
import { requestContext } from './request-context.ts';

/** Who is acting: a signed-in user, a machine client, or the service itself (scheduler, seeding). */
export interface Actor {
  kind: 'user' | 'client' | 'system';
  id: string;
  name: string;
  role: Role | 'SYSTEM';
  /** The tenants this actor acts for (ARCHITECTURE.md "Tenants"); commands check records against it. */
  tenants: TenantAccess;
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: 'system', name: 'Wekeza service', role: 'SYSTEM', tenants: 'ALL' };

export interface AuditRecord {
  entityType: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** The tenant of the entity (ARCHITECTURE.md "Tenants"): audit reads are scoped by it. Omitted = bank-wide data. */
  tenantId?: string | null;
}

export interface ChangeRecord {
  entityType: string;
  entityId: string;
  operation: 'upsert' | 'delete';
  version: number;
  data: Record<string, unknown> | null;
}

export type Announcement = {
  [E in ServerEventName]: {
    event: E;
    payload: Parameters<ServerToClientEvents[E]>[0];
    audience: Permission;
    /** The tenant the change belongs to; only sockets acting for it hear it. Omitted = bank-wide data. */
    tenantId?: string | null;
    /** For one user only (a notification): only that user's sockets hear it, whatever the audience. */
    userId?: string;
  };
}[ServerEventName];

/** What a command's apply() gets: the transaction, the actor, the clock, and recorders. */
export interface CommandContext {
  trx: Transaction<Database>;
  dialect: Db['dialect'];
  actor: Actor;
  now: Date;
  audit(record: AuditRecord): void;
  change(record: ChangeRecord): void;
  announce(announcement: Announcement): void;
  /**
   * A new row id. Derived from the mutation id, so that a workstation's action and its replay on
   * the hub create rows with the same ids (a comment made offline is one comment, not two).
   */
  newId(): string;
}

export interface CommandDefinition<S extends z.ZodType, R> {
  /** Stable dotted name recorded in the audit and change logs, e.g. "case.decide". */
  name: string;
  input: S;
  /**
   * Required permission; 'signed-in' = any authenticated user or client (e.g. signing out);
   * null = only the service itself (SYSTEM actor) may run it.
   */
  permission: Permission | 'signed-in' | null;
  apply(ctx: CommandContext, input: z.output<S>): Promise<R>;
}

const COMMANDS = new Map<string, { definition: CommandDefinition<z.ZodType, unknown>; site: string }>();

/** Where defineCommand was called from ("file:line"), to tell a re-created command from a clash. */
function callerSite(): string {
  const lines = (new Error().stack ?? '').split('\n');
  // [0] "Error", [1] callerSite, [2] defineCommand, [3] the code that defines the command.
  return (lines[3] ?? '').trim().replace(/:\d+\)?$/, '');
}

/**
 * Declares a command and registers it by name, so that it can be run from its name and input
 * alone (a workstation's outbox replayed on a hub, ARCHITECTURE.md rule 1). Names are unique:
 * two definitions of one name in different places is an error; commands built by a factory
 * (they close over a service's dependencies) are re-registered by the newest service.
 */
export function defineCommand<S extends z.ZodType, R>(definition: CommandDefinition<S, R>): CommandDefinition<S, R> {
  const site = callerSite();
  const existing = COMMANDS.get(definition.name);
  if (existing && existing.site !== site) throw new Error(`two commands are named ${definition.name}: ${existing.site} and ${site}`);
  COMMANDS.set(definition.name, { definition: definition as unknown as CommandDefinition<z.ZodType, unknown>, site });
  return definition;
}

/** The command of that name, among those whose modules are loaded (the service loads them all). */
export function commandByName(name: string): CommandDefinition<z.ZodType, unknown> | undefined {
  return COMMANDS.get(name)?.definition;
}

export function commandNames(): string[] {
  return [...COMMANDS.keys()].sort();
}

export interface ExecuteOptions {
  /** Clock override for replaying history (demo seeding); HTTP callers never set it. */
  at?: Date;
  requestId?: string;
  /** The mutation this execution is (a workstation's outbox entry); new row ids derive from it. */
  mutationId?: string;
  /** Extra writes that must commit with the command, e.g. the hub's record of an applied mutation. */
  inTransaction?: (trx: Transaction<Database>, results: unknown[]) => Promise<void>;
  /** A workstation re-running a waiting action on newer hub rows: it is already in the outbox. */
  rebase?: boolean;
}

/** What the bus tells its afterApply hook about each command it applied (inside the transaction). */
export interface AppliedCommand {
  command: string;
  /** The input as the caller gave it (before parsing), so it can be replayed elsewhere. */
  rawInput: unknown;
  actor: Actor;
  mutationId: string;
  now: Date;
}

export interface CommandBusOptions {
  /** Runs inside the transaction after each command applied (a workstation writes its outbox here). */
  afterApply?: (trx: Transaction<Database>, applied: AppliedCommand, options: ExecuteOptions) => Promise<void>;
}

interface Pending {
  audits: Array<{ record: AuditRecord; command: string; actor: Actor; now: Date }>;
  changes: Array<{ record: ChangeRecord; command: string; now: Date }>;
  announcements: Announcement[];
  /** The last change-log sequence the transaction wrote, if any. */
  lastSeq?: number;
}

export interface CommandBusEvents {
  announce: [Announcement];
  executed: [{ command: string; outcome: 'ok' | 'error'; durationMs: number }];
  /** After commit: change-log rows up to `seq` exist (the hub tells workstations to pull, sync/routes.ts). */
  changes: [{ seq: number }];
}

const CHANGE_SEQUENCE = 'change_log.seq';

/**
 * The one path for every state change (ARCHITECTURE.md rule 1): validate input with zod, check the
 * permission, apply in one transaction that also appends audit rows and change-log rows, and only
 * after commit announce the change on socket.io.
 */
export class CommandBus {
  readonly events = new EventEmitter<CommandBusEvents>();

  constructor(
    private readonly db: Db,
    readonly clock: Clock = systemClock,
    private readonly options: CommandBusOptions = {},
  ) {}

  /**
   * Runs a command by its name and raw input, with the same validation, permission and tenant
   * checks as any other call (the input is parsed by the command's own schema).
   */
  async executeByName(name: string, rawInput: unknown, actor: Actor, options: ExecuteOptions = {}): Promise<unknown> {
    const command = commandByName(name);
    if (!command) throw validationFailed([{ path: 'command', message: `no command is named ${name}` }]);
    return this.execute(command, rawInput, actor, options);
  }

  async execute<S extends z.ZodType, R>(command: CommandDefinition<S, R>, rawInput: unknown, actor: Actor, options: ExecuteOptions = {}): Promise<R> {
    // One command of one request: its audit rows carry that request's id. (Group-committed batches
    // mix requests, so executeMany takes the id only when it is given.)
    const requestId = options.requestId ?? requestContext.getStore()?.requestId;
    const [result] = await this.executeMany([{ command, input: rawInput }], actor, { ...options, ...(requestId ? { requestId } : {}) });
    return result as R;
  }

  /**
   * Several commands in one transaction (all or nothing). Used to batch work that arrives together;
   * each command is still validated, authorised, audited and change-logged on its own.
   */
  async executeMany(
    batch: ReadonlyArray<{ command: CommandDefinition<z.ZodType, unknown>; input: unknown; at?: Date; actor?: Actor }>,
    actor: Actor,
    options: ExecuteOptions = {},
  ): Promise<unknown[]> {
    const started = performance.now();
    const prepared = this.prepare(batch, actor);
    const pending: Pending = { audits: [], changes: [], announcements: [] };
    let results: unknown[];
    try {
      results = await this.db.kysely.transaction().execute(async (trx) => {
        const out = await this.applyPrepared(trx, prepared, pending, options);
        await options.inTransaction?.(trx, out);
        return out;
      });
    } catch (error) {
      this.emitExecuted(prepared, 'error', started);
      throw error;
    }
    this.emitExecuted(prepared, 'ok', started);
    for (const announcement of pending.announcements) this.events.emit('announce', announcement);
    if (pending.lastSeq !== undefined) this.events.emit('changes', { seq: pending.lastSeq });
    return results;
  }

  /**
   * Runs one command inside a transaction the caller holds (a workstation applying a pulled page
   * re-runs its waiting actions on the new rows in the page's transaction). Nothing is announced:
   * the caller announces what the whole transaction changed after it commits.
   */
  async executeWithin(trx: Transaction<Database>, name: string, rawInput: unknown, actor: Actor, options: ExecuteOptions = {}): Promise<unknown> {
    const command = commandByName(name);
    if (!command) throw validationFailed([{ path: 'command', message: `no command is named ${name}` }]);
    const prepared = this.prepare([{ command, input: rawInput }], actor);
    const [result] = await this.applyPrepared(trx, prepared, { audits: [], changes: [], announcements: [] }, options);
    return result;
  }

  private prepare(batch: ReadonlyArray<{ command: CommandDefinition<z.ZodType, unknown>; input: unknown; at?: Date; actor?: Actor }>, actor: Actor) {
    // Each item may act for its own caller (group commit batches requests of several clients).
    return batch.map(({ command, input, at, actor: itemActor }) => {
      const who = itemActor ?? actor;
      authorize(command, who);
      return { command, rawInput: input, input: parseOrThrow(command.input, input, 'body'), at, actor: who };
    });
  }

  private async applyPrepared(
    trx: Transaction<Database>,
    prepared: ReturnType<CommandBus['prepare']>,
    pending: Pending,
    options: ExecuteOptions,
  ): Promise<unknown[]> {
    const batchNow = options.at ?? this.clock.now();
    const out: unknown[] = [];
    for (const { command, input, rawInput, at, actor } of prepared) {
      const now = at ?? batchNow;
      const mutationId = (prepared.length === 1 ? options.mutationId : undefined) ?? uuidv7(now.getTime());
      let idCounter = 0;
      const ctx: CommandContext = {
        trx,
        dialect: this.db.dialect,
        actor,
        now,
        audit: (record) => pending.audits.push({ record, command: command.name, actor, now }),
        change: (record) => pending.changes.push({ record, command: command.name, now }),
        announce: (announcement) => pending.announcements.push(announcement),
        newId: () => derivedId(mutationId, idCounter++),
      };
      out.push(await command.apply(ctx, input));
      await this.options.afterApply?.(trx, { command: command.name, rawInput, actor, mutationId, now }, options);
    }
    // Written once for the whole batch and last, so that the change-log counter is always the
    // last lock a transaction takes (concurrent batches cannot deadlock on lock order).
    await writeAudit(trx, pending.audits, options.requestId);
    const lastSeq = await writeChanges(trx, pending.changes);
    if (lastSeq !== null) pending.lastSeq = lastSeq;
    return out;
  }

  private emitExecuted(prepared: ReadonlyArray<{ command: { name: string } }>, outcome: 'ok' | 'error', started: number) {
    const durationMs = performance.now() - started;
    for (const { command } of prepared) this.events.emit('executed', { command: command.name, outcome, durationMs });
  }
}

function authorize(command: CommandDefinition<z.ZodType, unknown>, actor: Actor): void {
  if (actor.kind === 'system') return;
  if (command.permission === null) throw forbidden(`${command.name} can only be run by the service itself`);
  if (command.permission === 'signed-in') return;
  if (actor.role === 'SYSTEM' || !roleHasPermission(actor.role, command.permission)) {
    throw forbidden(`${command.name} needs the ${command.permission} permission`);
  }
}

async function writeAudit(trx: Transaction<Database>, records: Pending['audits'], requestId: string | undefined) {
  for (const chunk of chunks(records, 1000)) {
    await trx
      .insertInto('audit_log')
      .values(
        chunk.map(({ record: r, command, actor, now }) => ({
          id: uuidv7(),
          occurred_at: now.toISOString(),
          actor_id: actor.id,
          actor_name: actor.name,
          actor_role: actor.role,
          command,
          entity_type: r.entityType,
          entity_id: r.entityId,
          before: r.before === null ? null : toJson(r.before),
          after: r.after === null ? null : toJson(r.after),
          request_id: requestId ?? null,
          tenant_id: r.tenantId ?? null,
        })),
      )
      .execute();
  }
}

/**
 * The n-th row id made by a mutation: a UUID (version 8, RFC 9562 "custom") from SHA-256 of the
 * mutation id and n, the same on every node that runs the mutation.
 */
export function derivedId(mutationId: string, n: number): string {
  const bytes = createHash('sha256').update(`${mutationId}:${n}`).digest();
  bytes[6] = 0x80 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Multi-row inserts are split to stay under SQLite's 32,766 bound-variable limit. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Change-log sequence numbers are taken from a counter row updated inside the writing transaction.
 * The row lock is held until commit, so on PostgreSQL no transaction can commit a lower sequence
 * after a higher one has been seen (a plain sequence can: sequences commit out of order).
 */
async function writeChanges(trx: Transaction<Database>, records: Pending['changes']): Promise<number | null> {
  if (records.length === 0) return null;
  const last = await reserveCounter(trx, CHANGE_SEQUENCE, records.length);
  const first = last - records.length + 1;
  for (const [c, chunk] of chunks(records, 2000).entries()) {
    await trx
      .insertInto('change_log')
      .values(
        chunk.map(({ record: r, command, now }, i) => ({
          seq: first + c * 2000 + i,
          entity_type: r.entityType,
          entity_id: r.entityId,
          operation: r.operation,
          version: r.version,
          data: r.data === null ? null : toJson(r.data),
          occurred_at: now.toISOString(),
          command,
        })),
      )
      .execute();
  }
  return last;
}

/** Adds `by` to a named counter inside the transaction and returns the new value (row-locked until commit). */
export async function reserveCounter(trx: Transaction<Database>, name: string, by = 1): Promise<number> {
  const updated = await trx
    .updateTable('counters')
    .set({ value: sql<number>`value + ${by}` })
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirst();
  if (updated) return Number(updated.value);
  // First use: create the counter. A concurrent creator makes this insert fail and the transaction
  // retries at the caller; counters are created once per database, so this is rare.
  await trx.insertInto('counters').values({ name, value: by }).execute();
  return by;
}
