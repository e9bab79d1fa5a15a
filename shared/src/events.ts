import type { CaseSummary } from './cases.ts';
import type { AssessmentResponse } from './assessments.ts';

export interface AssessmentCreatedEvent extends AssessmentResponse {
  id: string;
  customerId: string;
  amount: number;
  currency: string;
  channel: string;
  createdAt: string;
  caseId: string | null;
}

/** Events the service pushes over socket.io. Clients only receive events their role may read. */
export interface ServerToClientEvents {
  'case.opened': (summary: CaseSummary) => void;
  'case.updated': (summary: CaseSummary) => void;
  'assessment.created': (event: AssessmentCreatedEvent) => void;
  'session.revoked': (info: { reason: string }) => void;
}
export type ServerEventName = keyof ServerToClientEvents;

export interface ClientToServerEvents {
  /** Lets a client measure round-trip latency and prove its session is still valid. */
  ping: (ack: (serverTime: string) => void) => void;
}
