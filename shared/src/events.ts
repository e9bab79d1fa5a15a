import type { CaseSummary } from './cases.ts';
import type { AssessmentResponse, AssessmentStatus, Decision } from './assessments.ts';
import type { Backtest } from './decision-engine.ts';
import type { Notification } from './notifications.ts';

/** The per-rule log is left out: it is kilobytes per payment, and screens fetch it when a row is opened. */
export interface AssessmentCreatedEvent extends Omit<AssessmentResponse, 'riskFactors'> {
  id: string;
  customerId: string;
  amount: number;
  currency: string;
  channel: string;
  createdAt: string;
  caseId: string | null;
  tenantId: string;
  paymentType: string;
  externalApiUsed: string | null;
}

/** A later change to an assessment: retry, cancellation, manual decision, batch processing. */
export interface AssessmentUpdatedEvent {
  id: string;
  assessmentId: string;
  status: AssessmentStatus;
  decision: Decision | null;
  version: number;
  updatedAt: string;
}

/** A toggle configuration changed, or a scheduled window opened or closed ("boundary"). */
export interface ToggleChangedEvent {
  configurationId: string | null;
  action: 'created' | 'updated' | 'deleted' | 'boundary' | 'approval-requested' | 'approval-decided' | 'settings';
  at: string;
  by: string;
}

export interface ConfigurationChangedEvent {
  configurationId: string;
  action: 'created' | 'updated' | 'deleted' | 'draft-saved' | 'draft-discarded' | 'published';
  versionNumber: number | null;
  by: string;
}

/** A comment or attachment was added to a case (the case row itself did not change). */
export interface CaseActivityEvent {
  caseId: string;
  reference: string;
  kind: 'comment' | 'attachment';
  by: string;
  at: string;
}

/** A queue, its routing or SLA, or the four-eyes settings changed. */
export interface QueueChangedEvent {
  queueId: string | null;
  action: 'created' | 'updated' | 'deleted' | 'four-eyes';
  by: string;
}

/** Issue 13: which KRI changed and how it stands now. */
export interface KriChangedEvent {
  kriId: string;
  reference: string;
  status: 'OK' | 'WARNING' | 'CRITICAL' | 'NO_DATA';
  lastValue: number | null;
  lastMeasuredAt: string | null;
  version: number;
}

/** Issue 13: which risk event changed and how it stands now. */
export interface RiskEventChangedEvent {
  eventId: string;
  reference: string;
  kriId: string | null;
  riskId: string | null;
  severity: string;
  status: 'OPEN' | 'CLOSED';
  version: number;
}

/** Issue 13: a register record (risk, control, acceptance, matrix) changed; register screens refetch it. */
export interface RegisterChangedEvent {
  entity: 'risk' | 'control' | 'risk-acceptance' | 'risk-matrix';
  id: string;
  reference: string | null;
  version: number;
}

/** Issue 14: a consent was created, authorised, rejected or revoked; the consent register refetches it. */
export interface ConsentChangedEvent {
  id: string;
  appId: string;
  tenantId: string;
  status: string;
  version: number;
}

/** Issue 14: an Open Banking app was registered, edited, suspended, reinstated or given a new secret. */
export interface ObAppChangedEvent {
  id: string;
  tenantId: string;
  status: string;
  version: number;
}

/** Issue 15: an alert was raised, found again, acknowledged, assigned, escalated or resolved. */
export interface AlertChangedEvent {
  id: string;
  reference: string;
  tenantId: string;
  status: string;
  severity: string;
  pattern: string;
  version: number;
}

/** Events the service pushes over socket.io. Clients only receive events their role may read. */
export interface ServerToClientEvents {
  'case.opened': (summary: CaseSummary) => void;
  'case.updated': (summary: CaseSummary) => void;
  'case.activity': (event: CaseActivityEvent) => void;
  'queue.changed': (event: QueueChangedEvent) => void;
  'assessment.created': (event: AssessmentCreatedEvent) => void;
  'assessment.updated': (event: AssessmentUpdatedEvent) => void;
  'configuration.changed': (event: ConfigurationChangedEvent) => void;
  'toggle.changed': (event: ToggleChangedEvent) => void;
  'backtest.progress': (backtest: Omit<Backtest, 'changes'>) => void;
  'session.revoked': (info: { reason: string }) => void;
  /** A risk, control, acceptance or the risk matrix changed (issue 13): register screens refetch. */
  'register.changed': (event: RegisterChangedEvent) => void;
  /** A KRI was measured, edited or flagged stale (issue 13): KRI screens refetch it. */
  'kri.changed': (event: KriChangedEvent) => void;
  /** A risk event was opened, escalated, edited or closed (issue 13). */
  'risk-event.changed': (event: RiskEventChangedEvent) => void;
  /** A consent changed state (issue 14): the consent register refetches it. */
  'consent.changed': (event: ConsentChangedEvent) => void;
  /** An app changed (issue 14): the apps screen and the consent register (app state) refetch. */
  'ob-app.changed': (event: ObAppChangedEvent) => void;
  /** An alert changed (issue 15): the inbox and the alert's page refetch it. */
  'alert.changed': (event: AlertChangedEvent) => void;
  /** A notification for this user only (sent to the user's own room): the renderer shows it and raises an OS notification. */
  'notification.created': (notification: Notification) => void;
  /** A workstation applied changes pulled from the hub (the synced tables they touched): screens refetch. */
  'sync.applied': (event: { tables: string[] }) => void;
  /** The hub's change log grew to `seq`: a workstation pulls at once (sent to every signed-in socket). */
  'sync.changed': (event: { seq: number }) => void;
}
export type ServerEventName = keyof ServerToClientEvents;

export interface ClientToServerEvents {
  /** Lets a client measure round-trip latency and prove its session is still valid. */
  ping: (ack: (serverTime: string) => void) => void;
}
