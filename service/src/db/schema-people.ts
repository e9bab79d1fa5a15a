// Issue 15 slice D's tables (migration 0021); merged into `Database` in schema.ts.
import type { Timestamp } from './schema.ts';

/** One SLA notice sent for one deadline of a case (kind 'warning' | 'breached'). */
export interface CaseSlaNoticesTable {
  case_id: string;
  kind: string;
  sla_due_at: Timestamp;
  notified_at: Timestamp;
  /** How many people it went to (0 when nobody could be found: recorded so it is not retried every minute). */
  recipients: number;
  /** The queue name a breach moved the case to (auto-escalation), else null. */
  escalated_to: string | null;
}

export interface PeopleTables {
  case_sla_notices: CaseSlaNoticesTable;
}
