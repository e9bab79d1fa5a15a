import type { Assessment } from '../../../shared/src/assessments.ts';
import { REASON_CODES, SLA_AMBER_FRACTION, type CaseComment, type CaseDetail, type CaseSummary, type TimelineEntry } from '../../../shared/src/cases.ts';
import { humanise } from '../lib/format.ts';

/** The assessment that opened the case (matching transaction reference, else the oldest). */
export function openingAssessment(detail: CaseDetail): Assessment | null {
  const byReference = detail.assessments.find((a) => a.transactionReference === detail.case.transactionReference);
  if (byReference) return byReference;
  return [...detail.assessments].sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0] ?? null;
}

/** Linked payments, oldest first (the order they joined the case). */
export function linkedAssessments(detail: CaseDetail): Assessment[] {
  return [...detail.assessments].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

function stringField(record: Record<string, unknown> | null, key: string): string | null {
  const value = record?.[key];
  return typeof value === 'string' && value ? value : null;
}

export function entryState(entry: TimelineEntry): { before: string | null; after: string | null } {
  return { before: stringField(entry.before, 'state'), after: stringField(entry.after, 'state') };
}

export interface DecisionRecord {
  who: string | null;
  role: string | null;
  when: string | null;
  note: string | null;
  /** The second approver, when the decision went through four-eyes. */
  approvedBy: string | null;
}

/**
 * Who closed the case, when, and their note: from the closing timeline entry, else the assessment's
 * manual decision. After four-eyes, the decision is the requester's and the closing entry the approver's.
 */
export function closingDecision(detail: CaseDetail, assessment: Assessment | null): DecisionRecord {
  const newestFirst = [...detail.timeline].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
  const closing = newestFirst.find((entry) => entryState(entry).after === 'CLOSED') ?? newestFirst.find((entry) => /decid|decision|close/i.test(entry.command));
  const viaApproval = !!closing && entryState(closing).before === 'AWAITING_APPROVAL';
  const request = viaApproval
    ? newestFirst.find((entry) => entry.occurredAt <= closing.occurredAt && entryState(entry).after === 'AWAITING_APPROVAL')
    : undefined;
  const manual = assessment?.manualDecision ?? null;
  return {
    who: request?.actorName ?? closing?.actorName ?? manual?.decidedBy ?? null,
    role: request?.actorRole ?? closing?.actorRole ?? null,
    when: detail.case.closedAt ?? closing?.occurredAt ?? manual?.decidedAt ?? null,
    note: stringField(closing?.after ?? null, 'note') ?? manual?.reason ?? null,
    approvedBy: viaApproval ? (closing?.actorName ?? null) : null,
  };
}

/** A reason code in words ("Suspected account takeover"); unknown codes are humanised. */
export function reasonLabel(code: string | null): string | null {
  if (!code) return null;
  for (const codes of Object.values(REASON_CODES)) {
    if (Object.hasOwn(codes, code)) return (codes as Record<string, string>)[code] ?? null;
  }
  return humanise(code);
}

export type SlaStatus =
  | { kind: 'closed'; met: boolean }
  | { kind: 'paused'; remainingMs: number; pausedAt: string }
  | { kind: 'overdue'; remainingMs: number }
  | { kind: 'due-soon' | 'on-track'; remainingMs: number; fractionLeft: number };

/**
 * Where the case stands against its SLA. Amber once less than SLA_AMBER_FRACTION of the whole
 * window (opened → due) is left, so a 1-hour CRITICAL SLA and a 2-day LOW one warn proportionally.
 */
export function slaStatus(summary: Pick<CaseSummary, 'slaDueAt' | 'slaPausedAt' | 'createdAt' | 'closedAt'>, now: number): SlaStatus {
  const due = Date.parse(summary.slaDueAt);
  if (summary.closedAt) return { kind: 'closed', met: Date.parse(summary.closedAt) <= due };
  if (summary.slaPausedAt) return { kind: 'paused', remainingMs: due - Date.parse(summary.slaPausedAt), pausedAt: summary.slaPausedAt };
  const remainingMs = due - now;
  if (remainingMs < 0) return { kind: 'overdue', remainingMs };
  const window = Math.max(1, due - Date.parse(summary.createdAt));
  const fractionLeft = remainingMs / window;
  return { kind: fractionLeft < SLA_AMBER_FRACTION ? 'due-soon' : 'on-track', remainingMs, fractionLeft };
}

export type ActivityItem = { kind: 'event'; at: string; entry: TimelineEntry } | { kind: 'comment'; at: string; comment: CaseComment };

/**
 * The audit-log timeline and the comments as one stream. Audit entries for a comment are left
 * out when the comment itself is shown, so each comment appears once with its text.
 */
export function mergeActivity(timeline: readonly TimelineEntry[], comments: readonly CaseComment[], order: 'newest' | 'oldest'): ActivityItem[] {
  const items: ActivityItem[] = [
    ...timeline.filter((e) => comments.length === 0 || !/comment/i.test(e.command)).map((entry) => ({ kind: 'event' as const, at: entry.occurredAt, entry })),
    ...comments.map((comment) => ({ kind: 'comment' as const, at: comment.createdAt, comment })),
  ];
  items.sort((a, b) => a.at.localeCompare(b.at));
  return order === 'newest' ? items.reverse() : items;
}
