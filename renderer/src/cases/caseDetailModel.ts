import type { Assessment } from '../../../shared/src/assessments.ts';
import type { CaseDetail, TimelineEntry } from '../../../shared/src/cases.ts';

/** The assessment that opened the case (matching transaction reference, else the oldest). */
export function openingAssessment(detail: CaseDetail): Assessment | null {
  const byReference = detail.assessments.find((a) => a.transactionReference === detail.case.transactionReference);
  if (byReference) return byReference;
  return [...detail.assessments].sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0] ?? null;
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
}

/** Who closed the case, when, and their note: from the closing timeline entry, else the assessment's manual decision. */
export function closingDecision(detail: CaseDetail, assessment: Assessment | null): DecisionRecord {
  const closing = [...detail.timeline]
    .sort((a, b) => b.occurredAt.localeCompare(a.occurredAt))
    .find((entry) => entryState(entry).after === 'CLOSED' || /decid|decision|close/i.test(entry.command));
  const manual = assessment?.manualDecision ?? null;
  return {
    who: closing?.actorName ?? manual?.decidedBy ?? null,
    role: closing?.actorRole ?? null,
    when: detail.case.closedAt ?? closing?.occurredAt ?? manual?.decidedAt ?? null,
    note: stringField(closing?.after ?? null, 'note') ?? manual?.reason ?? null,
  };
}
