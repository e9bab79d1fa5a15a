import { z } from 'zod';
import { bankTimeText } from '../../../shared/src/bank-time.ts';
import { defineCommand, type CommandContext } from '../commands/bus.ts';
import { dbBool, toIso } from '../db/database.ts';
import type { CaseRow } from '../db/schema.ts';
import { escalationQueue, type CaseQueue } from '../../../shared/src/queues.ts';
import type { RiskLevel } from '../../../shared/src/assessments.ts';
import { escalatedTo, minutes, saveCase } from '../cases/commands.ts';
import { queuesIn } from '../cases/queues.ts';
import { notifyEachWithin } from './notify.ts';
import { usersWithPermission } from './recipients.ts';

/**
 * Issue 15 "SLA about to breach and breached (and auto-escalation rules per queue)". One system
 * command per scheduler slot (ARCHITECTURE.md "Scheduled jobs"): it looks at the open cases whose
 * SLA clock runs, sends each due notice once per case and deadline (case_sla_notices' primary
 * key), and applies the queue's breach rule. All of it in the command's one transaction, with the
 * slot's instant as the clock (rules 1 and 3).
 */

export type SlaNoticeKind = 'warning' | 'breached';

/** Bounded work per slot: the next slot (a minute later) takes the rest, oldest deadlines first. */
export const SLA_WATCH_BATCH = 200;

/**
 * A deadline that passed longer ago than this (e.g. cases imported or seeded with old times, or a
 * service that was down for days) is recorded as handled without notifying anyone: the queue shows
 * such cases as overdue, and a burst of stale notices would bury the current ones.
 */
export const STALE_BREACH_MS = 24 * 60 * 60_000;

/** States whose SLA clock runs. PENDING_INFO pauses it (sla_paused_at); CLOSED has none. */
const WATCHED_STATES = ['NEW', 'ASSIGNED', 'IN_PROGRESS', 'ESCALATED', 'AWAITING_APPROVAL'] as const;
/** States a breach may move to the escalation queue: not already escalated, not waiting for a second approver. */
const ESCALATABLE_STATES: readonly string[] = ['NEW', 'ASSIGNED', 'IN_PROGRESS'];

export interface SlaPoint {
  kind: SlaNoticeKind;
  /** The deadline the notice is about (part of its once-only key). */
  dueAt: Date;
}

/**
 * Which notice is due for a case at `now`, if any: 'breached' from the deadline on, 'warning' once
 * `warnAtPercent` of the queue's SLA for the case's risk level has elapsed. The SLA's length is the
 * queue's (not created→due), because resuming a paused case moves the deadline by the pause.
 */
export function dueSlaPoint(now: Date, dueAt: Date, slaMinutes: number, warnAtPercent: number): SlaPoint | null {
  if (now.getTime() >= dueAt.getTime()) return { kind: 'breached', dueAt };
  const warnAt = dueAt.getTime() - minutes(slaMinutes) * (1 - warnAtPercent / 100);
  return now.getTime() >= warnAt ? { kind: 'warning', dueAt } : null;
}

function minutesLeft(now: Date, dueAt: Date): number {
  return Math.max(0, Math.round((dueAt.getTime() - now.getTime()) / 60_000));
}

/** More unassigned cases of one queue than this in one run: the supervisors get one digest. */
export const DIGEST_AFTER = 3;

function caseNotice(row: CaseRow, point: SlaPoint, now: Date, escalatedTo: string | null) {
  return {
    tenantId: row.tenant_id,
    kind: point.kind === 'warning' ? 'case.sla-warning' : 'case.sla-breached',
    ...describe(row, point, now, escalatedTo),
    link: `/cases/${row.id}`,
    entityType: 'case',
    entityId: row.id,
  };
}

/** One notice for a backlog: the queue's unassigned cases in that SLA state (the case list's own filters). */
function digestNotice(queue: CaseQueue, kind: SlaNoticeKind, group: ReadonlyArray<{ row: CaseRow; escalatedTo: string | null }>) {
  const moved = group.filter((g) => g.escalatedTo).length;
  const refs = group.slice(0, 10).map((g) => g.row.reference);
  const more = group.length > refs.length ? ` and ${group.length - refs.length} more` : '';
  // The case list's own URL filters (renderer/src/cases/useCaseQueueParams.ts): the same cases, as they stand now.
  const filter =
    kind === 'warning'
      ? `queueId=${queue.id}&assignee=unassigned&sla=due-soon`
      : moved === group.length
        ? 'state=ESCALATED&assignee=unassigned'
        : `queueId=${queue.id}&assignee=unassigned&sla=overdue`;
  return {
    tenantId: group[0]!.row.tenant_id,
    kind: kind === 'warning' ? 'case.sla-warning' : 'case.sla-breached',
    title:
      kind === 'warning'
        ? `${group.length} unassigned cases in ${queue.name} are about to breach their SLA`
        : `${group.length} unassigned cases in ${queue.name} breached their SLA`,
    body: `${refs.join(', ')}${more}.${moved ? ` ${moved} moved to the escalation queue by the queue's escalation rule.` : ''}`,
    link: `/cases?${filter}`,
    entityType: 'case-queue',
    entityId: queue.id,
  };
}

function describe(row: CaseRow, point: SlaPoint, now: Date, escalatedTo: string | null) {
  const label = `${row.reference} (${row.risk_level}, ${row.customer_name ?? row.customer_ref})`;
  if (point.kind === 'warning') {
    return {
      title: `SLA about to breach: ${row.reference}`,
      body: `${label} in ${row.queue} is due in ${minutesLeft(now, point.dueAt)} min (${bankTimeText(point.dueAt)}).`,
    };
  }
  return {
    title: `SLA breached: ${row.reference}`,
    body: escalatedTo
      ? `${label} passed its deadline (${bankTimeText(point.dueAt)}) in ${row.queue} and was moved to ${escalatedTo} by the queue's escalation rule.`
      : `${label} in ${row.queue} passed its deadline (${bankTimeText(point.dueAt)}).`,
  };
}

/** Claims the notice; false when it was already sent (another slot or hub got there first). */
async function claimNotice(ctx: CommandContext, caseId: string, point: SlaPoint): Promise<boolean> {
  const existing = await ctx.trx
    .selectFrom('case_sla_notices')
    .select('case_id')
    .where('case_id', '=', caseId)
    .where('kind', '=', point.kind)
    .where('sla_due_at', '=', point.dueAt.toISOString())
    .executeTakeFirst();
  return !existing;
}

/** Moves a breached case to the queue's escalation target, unassigned, with that queue's SLA (as a manual escalation does). */
async function autoEscalate(ctx: CommandContext, row: CaseRow, queue: CaseQueue, queues: readonly CaseQueue[]): Promise<CaseRow | null> {
  if (queue.slaEscalation.onBreach !== 'ESCALATE' || !ESCALATABLE_STATES.includes(row.state)) return null;
  const named = queues.find((q) => q.id === queue.slaEscalation.escalateToQueueId && q.active && q.kind === 'ESCALATION');
  const target = named ?? escalationQueue(queues);
  if (!target || target.id === queue.id) return null;
  return saveCase(ctx, row, escalatedTo(ctx, row, target), {
    autoEscalation: { rule: `queue "${queue.name}": escalate on SLA breach`, from: queue.name, to: target.name },
  });
}

export interface SlaWatchOutcome {
  warnings: number;
  breaches: number;
  /** Breaches older than STALE_BREACH_MS, recorded without a notice. */
  stale: number;
  escalated: number;
  notifications: number;
}

export const watchCaseSlas = defineCommand({
  name: 'case.sla-watch',
  input: z.object({}),
  permission: null,
  async apply(ctx): Promise<SlaWatchOutcome> {
    const outcome: SlaWatchOutcome = { warnings: 0, breaches: 0, stale: 0, escalated: 0, notifications: 0 };
    const queues = await queuesIn(ctx);
    const byId = new Map(queues.map((q) => [q.id, q]));
    // Only cases whose earliest possible warning point has passed: the smallest warning share
    // (50 %) of the longest SLA bounds how far ahead of its deadline a case can need a notice.
    const longest = Math.max(60, ...queues.flatMap((q) => Object.values(q.sla)));
    const horizon = new Date(ctx.now.getTime() + minutes(longest) / 2).toISOString();
    const rows = await ctx.trx
      .selectFrom('cases')
      .selectAll()
      .where('is_open', '=', dbBool(ctx.dialect, true))
      .where('deleted_at', 'is', null)
      .where('state', 'in', [...WATCHED_STATES])
      .where('sla_paused_at', 'is', null)
      .where('sla_due_at', '<=', horizon)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('case_sla_notices')
              .select('case_sla_notices.case_id')
              .whereRef('case_sla_notices.case_id', '=', 'cases.id')
              .whereRef('case_sla_notices.sla_due_at', '=', 'cases.sla_due_at')
              .where('case_sla_notices.kind', '=', 'breached'),
          ),
        ),
      )
      .orderBy('sla_due_at')
      .orderBy('id')
      .limit(SLA_WATCH_BATCH)
      .execute();
    // Unassigned cases go to the supervisors: grouped per queue, tenant and kind, so a backlog
    // gives each supervisor one digest instead of one notice per case.
    const forSupervisors = new Map<string, Array<{ row: CaseRow; point: SlaPoint; escalatedTo: string | null; queue: CaseQueue }>>();
    for (const row of rows) {
      const queue = row.queue_id ? byId.get(row.queue_id) : undefined;
      if (!queue) continue;
      const point = dueSlaPoint(ctx.now, new Date(toIso(row.sla_due_at)), queue.sla[row.risk_level as RiskLevel], queue.slaEscalation.warnAtPercent);
      if (!point || !(await claimNotice(ctx, row.id, point))) continue;
      // A breach also settles the warning: a case found late (scheduler down) gets one notice, not two.
      if (point.kind === 'breached') await recordNotice(ctx, row.id, { kind: 'warning', dueAt: point.dueAt }, 0, null, true);
      const escalated = point.kind === 'breached' ? await autoEscalate(ctx, row, queue, queues) : null;
      const escalatedTo = escalated?.queue ?? null;
      const stale = point.kind === 'breached' && ctx.now.getTime() - point.dueAt.getTime() > STALE_BREACH_MS;
      if (point.kind === 'warning') outcome.warnings++;
      else if (stale) outcome.stale++;
      else outcome.breaches++;
      if (escalated) outcome.escalated++;
      if (stale || !row.assignee_id) {
        if (stale) await recordNotice(ctx, row.id, point, 0, escalatedTo);
        else {
          const key = `${queue.id}|${row.tenant_id ?? ''}|${point.kind}`;
          forSupervisors.set(key, [...(forSupervisors.get(key) ?? []), { row, point, escalatedTo, queue }]);
        }
        continue;
      }
      const sent = await notifyEachWithin(ctx, [row.assignee_id], caseNotice(row, point, ctx.now, escalatedTo));
      await recordNotice(ctx, row.id, point, sent, escalatedTo);
      outcome.notifications += sent;
    }
    for (const group of forSupervisors.values()) {
      const first = group[0]!;
      const supervisors = (await usersWithPermission(ctx, 'case:supervise', first.row.tenant_id)).map((u) => u.id);
      if (group.length <= DIGEST_AFTER) {
        for (const item of group)
          outcome.notifications += await notifyEachWithin(ctx, supervisors, caseNotice(item.row, item.point, ctx.now, item.escalatedTo));
      } else {
        outcome.notifications += await notifyEachWithin(ctx, supervisors, digestNotice(first.queue, first.point.kind, group));
      }
      for (const item of group) await recordNotice(ctx, item.row.id, item.point, supervisors.length, item.escalatedTo);
    }
    return outcome;
  },
});

/**
 * Records a notice as sent. The primary key makes a second send of the same notice fail the
 * command (its notifications roll back with it); `ifMissing` is for the warning a breach settles.
 */
async function recordNotice(
  ctx: CommandContext,
  caseId: string,
  point: SlaPoint,
  recipients: number,
  escalatedTo: string | null,
  ifMissing = false,
): Promise<void> {
  const values = {
    case_id: caseId,
    kind: point.kind,
    sla_due_at: point.dueAt.toISOString(),
    notified_at: ctx.now.toISOString(),
    recipients,
    escalated_to: escalatedTo,
  };
  let insert = ctx.trx.insertInto('case_sla_notices').values(values);
  if (ifMissing) insert = insert.onConflict((oc) => oc.columns(['case_id', 'kind', 'sla_due_at']).doNothing());
  await insert.execute();
}
