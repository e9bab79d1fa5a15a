import type { Heartbeat } from '../health/heartbeats.ts';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database, ToggleConfigurationRow } from '../db/schema.ts';
import type { Actor, CommandBus, CommandBusEvents, CommandDefinition, ExecuteOptions } from '../commands/bus.ts';
import type { z } from 'zod';
import { toBool, toIso, toIsoOrNull } from '../db/database.ts';
import {
  ToggleConfiguration,
  toggleLevel,
  toggleSpecificity,
  type DisabledBehaviour,
  type ToggleResolution,
  type ToggleState,
} from '../../../shared/src/toggles.ts';
import { ToggleIndex, toEntry, type ToggleEntry, type ToggleLookup } from './resolver.ts';
import { SerialLoads } from '../util/serial-loads.ts';

export const TOGGLE_REVISION = 'toggle.revision';
const HOUR_MS = 3_600_000;
/** setTimeout cannot wait longer than ~24.8 days; longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const ms = (value: Date | string | null, open: number) => (value === null ? open : Date.parse(toIso(value)));

export function entryFromRow(row: ToggleConfigurationRow): ToggleEntry {
  return toEntry({
    id: row.id,
    tenantId: row.tenant_id,
    paymentType: row.payment_type,
    localInstrumentationCode: row.local_instrumentation_code,
    clearingSystemCode: row.clearing_system_code,
    isEnabled: toBool(row.is_enabled),
    enabledReason: row.enabled_reason,
    disabledReason: row.disabled_reason,
    fromMs: ms(row.effective_from, -Infinity),
    untilMs: ms(row.effective_until, Infinity),
    priority: row.priority,
    disabledBehaviour: row.disabled_behaviour as DisabledBehaviour,
  });
}

export function toggleState(row: ToggleConfigurationRow, atMs: number): ToggleState {
  if (!toBool(row.is_active)) return 'INACTIVE';
  const e = entryFromRow(row);
  if (e.fromMs > atMs) return 'FUTURE';
  if (e.untilMs <= atMs) return 'EXPIRED';
  return 'EFFECTIVE';
}

const levels = (row: ToggleConfigurationRow) => ({
  paymentType: row.payment_type,
  localInstrumentationCode: row.local_instrumentation_code,
  clearingSystemCode: row.clearing_system_code,
});

export function toToggleConfiguration(row: ToggleConfigurationRow, atMs: number): ToggleConfiguration {
  return ToggleConfiguration.parse({
    id: row.id,
    tenantId: row.tenant_id,
    paymentType: row.payment_type,
    localInstrumentationCode: row.local_instrumentation_code,
    clearingSystemCode: row.clearing_system_code,
    isEnabled: toBool(row.is_enabled),
    enabledReason: row.enabled_reason,
    disabledReason: row.disabled_reason,
    effectiveFrom: toIsoOrNull(row.effective_from),
    effectiveUntil: toIsoOrNull(row.effective_until),
    priority: row.priority,
    isActive: toBool(row.is_active),
    disabledBehaviour: row.disabled_behaviour,
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    level: toggleLevel(levels(row)),
    specificity: toggleSpecificity(levels(row)),
    state: toggleState(row, atMs),
    rowVersion: row.row_version,
  });
}

/** Commands after which this hub rebuilds its resolver (their names all start so). */
const TOGGLE_COMMAND_PREFIX = 'fraud-api-toggle.';

type HourCounts = Map<string, { enabled: number; disabled: number }>;

/**
 * The toggles in memory (issue 4 §5): resolution is served from a pre-sorted index, rebuilt after
 * every committed toggle command (the bus's after-commit 'executed' event, ARCHITECTURE.md rule
 * 1; other hubs see the revision counter within a second). Windows need no polling: a check
 * compares the instant itself, and a timer armed for the next boundary announces the change to
 * connected screens the moment it happens. "Now" is the bus's injected clock (rule 3).
 */
export class ToggleService {
  private index = new ToggleIndex([]);
  private revision = -1;
  private poll: NodeJS.Timeout | null = null;
  private boundaryTimer: NodeJS.Timeout | null = null;
  private readonly loads = new SerialLoads(() => this.load());
  private nextBoundaryMs: number | null = null;
  /** Checks per hour, tenant and outcome (this hub's), for statistics. */
  private readonly checks = new Map<number, HourCounts>();
  private readonly onExecuted = ({ command, outcome }: CommandBusEvents['executed'][0]) => {
    if (outcome === 'ok' && command.startsWith(TOGGLE_COMMAND_PREFIX))
      void this.reload().catch((error: unknown) => this.logger.error({ err: error }, 'fraud API toggle reload failed'));
  };

  constructor(
    private readonly db: Kysely<Database>,
    private readonly bus: CommandBus,
    private readonly logger: Logger,
  ) {}

  private nowMs(): number {
    return this.bus.clock.now().getTime();
  }

  /** Polls for other hubs' changes; each finished poll beats `heartbeat` (readiness, health/heartbeats.ts). */
  async start(pollMs = 1000, heartbeat?: Heartbeat): Promise<void> {
    this.bus.events.on('executed', this.onExecuted);
    await this.reload();
    this.poll = setInterval(
      () =>
        void this.reloadIfChanged()
          .catch(() => undefined)
          .finally(() => heartbeat?.beat()),
      pollMs,
    );
    this.poll.unref();
  }

  stop(): void {
    this.bus.events.off('executed', this.onExecuted);
    if (this.poll) clearInterval(this.poll);
    if (this.boundaryTimer) clearTimeout(this.boundaryTimer);
    this.poll = null;
    this.boundaryTimer = null;
  }

  get nextBoundary(): string | null {
    return this.nextBoundaryMs === null ? null : new Date(this.nextBoundaryMs).toISOString();
  }

  /** Serialised; each call gets a load that starts after it (no stale in-flight load answers). */
  reload(): Promise<void> {
    return this.loads.run();
  }

  /** Resolves once every reload asked for so far has finished (read-your-writes on this hub). */
  async settled(): Promise<void> {
    await this.loads.settled();
  }

  /**
   * Runs a toggle command and answers once this hub's resolver holds its result, so that a check
   * or a payment right after the answer sees the change. The reload itself is started by the
   * bus's after-commit event, not here.
   */
  async execute<S extends z.ZodType, R>(command: CommandDefinition<S, R>, input: unknown, actor: Actor, options: ExecuteOptions = {}): Promise<R> {
    const result = await this.bus.execute(command, input, actor, options);
    await this.settled();
    return result;
  }

  async reloadIfChanged(): Promise<void> {
    const row = await this.db.selectFrom('counters').select('value').where('name', '=', TOGGLE_REVISION).executeTakeFirst();
    if (Number(row?.value ?? 0) !== this.revision) await this.reload();
  }

  private async load(): Promise<void> {
    const counter = await this.db.selectFrom('counters').select('value').where('name', '=', TOGGLE_REVISION).executeTakeFirst();
    const rows = await this.db.selectFrom('fraud_api_toggle_configurations').selectAll().where('deleted_at', 'is', null).execute();
    this.index = new ToggleIndex(rows.filter((r) => toBool(r.is_active)).map(entryFromRow));
    this.revision = Number(counter?.value ?? 0);
    this.armBoundaryTimer();
  }

  private armBoundaryTimer(): void {
    if (this.boundaryTimer) clearTimeout(this.boundaryTimer);
    this.boundaryTimer = null;
    const now = this.nowMs();
    const next = this.index.nextBoundary(now);
    this.nextBoundaryMs = next;
    if (next === null) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, next - now));
    this.boundaryTimer = setTimeout(() => {
      // Real timers wait; the clock says whether the boundary has come (ARCHITECTURE.md rule 3).
      if (this.nowMs() >= next) {
        this.logger.info({ at: new Date(next).toISOString() }, 'fraud API toggle window boundary');
        this.bus.events.emit('announce', {
          event: 'toggle.changed',
          audience: 'toggle:read',
          payload: { configurationId: null, action: 'boundary', at: new Date(next).toISOString(), by: 'schedule' },
        });
      }
      this.armBoundaryTimer();
    }, wait + 1);
    this.boundaryTimer.unref();
  }

  /** The hot path, for the assessment flow: counted for statistics unless `count` is false (history replay). */
  check(context: ToggleLookup, atMs = this.nowMs(), count = true): { enabled: boolean; entry: ToggleEntry | null } {
    const entry = this.index.winner(context, atMs);
    const enabled = entry ? entry.isEnabled : true;
    if (!count) return { enabled, entry };
    // Counted by when the check happened, not by the instant it asked about.
    const hour = Math.floor(this.nowMs() / HOUR_MS);
    let tenants = this.checks.get(hour);
    if (!tenants) {
      tenants = new Map();
      this.checks.set(hour, tenants);
      // Keep two days of hourly counts.
      for (const key of this.checks.keys()) if (key < hour - 48) this.checks.delete(key);
    }
    // By tenant, so that statistics show a caller only its tenants' checks.
    let bucket = tenants.get(context.tenantId);
    if (!bucket) {
      bucket = { enabled: 0, disabled: 0 };
      tenants.set(context.tenantId, bucket);
    }
    if (enabled) bucket.enabled++;
    else bucket.disabled++;
    return { enabled, entry };
  }

  /** The explained answer, for the check endpoint and the status panel. */
  resolve(context: ToggleLookup, atMs = this.nowMs()): ToggleResolution {
    this.check(context, atMs);
    return this.index.resolve(context, atMs);
  }

  /** The check endpoint's answer: waits for a reload still running on this hub, so a check right after a change sees it. */
  async explain(context: ToggleLookup, atMs = this.nowMs()): Promise<ToggleResolution> {
    await this.settled();
    return this.resolve(context, atMs);
  }

  /** Rebuilds the resolver from the database now (POST /cache/refresh). */
  async refresh(): Promise<{ refreshed: true; configurations: number; nextBoundary: string | null }> {
    await this.reload();
    return { refreshed: true, configurations: this.index.size, nextBoundary: this.nextBoundary };
  }

  /** The raw index (benchmarks measure it without the statistics counter). */
  get currentIndex(): ToggleIndex {
    return this.index;
  }

  /** Checks per hour over the last `hours`, of the given tenants (null = every tenant). */
  checksPerHour(hours: number, tenants: readonly string[] | null): Array<{ hour: string; enabled: number; disabled: number }> {
    const now = Math.floor(this.nowMs() / HOUR_MS);
    const out = [];
    for (let h = now - hours + 1; h <= now; h++) {
      let enabled = 0;
      let disabled = 0;
      for (const [tenantId, b] of this.checks.get(h) ?? []) {
        if (tenants !== null && !tenants.includes(tenantId)) continue;
        enabled += b.enabled;
        disabled += b.disabled;
      }
      out.push({ hour: new Date(h * HOUR_MS).toISOString(), enabled, disabled });
    }
    return out;
  }
}
