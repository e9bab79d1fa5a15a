import type { AlertEntityType, AlertEvidence, AlertPattern, AlertSeverity, PatternThresholds } from '../../../../shared/src/alerts.ts';
import type { AlertingConfig } from '../../../../shared/src/decision-engine.ts';

/** One stored payment with what detectors read from its assessment (payments ⋈ fraud_risk_assessments). */
export interface DetectorPayment {
  /** fraud_risk_assessments.id */
  assessmentId: string;
  transactionReference: string;
  tenantId: string;
  customerRef: string;
  amountKes: number;
  occurredAt: string;
  atMs: number;
  channel: string;
  country: string | null;
  debtorAccount: string | null;
  creditorAccount: string | null;
  deviceId: string | null;
  riskLevel: string | null;
  caseId: string | null;
  /** Whether the customer had used the device before, as stored with the decision (null: unknown or no device). */
  deviceKnown: boolean | null;
  /** Scoring rules that fired (filled for evidence only; empty when not loaded). */
  ruleHits: string[];
}

/** What only the payment being checked needs: its anomaly score and its configuration's alert settings. */
export interface TriggerExtras {
  anomalyScore: number | null;
  configurationId: string | null;
  /** The alert settings of the configuration version that decided it (replayable: versions are immutable). */
  alerting: AlertingConfig | null;
  /** Whether the customer paid this creditor account before the payment (null: not looked up). */
  payeeKnown: boolean | null;
}

export interface ContactChangeFact {
  customerRef: string;
  field: string;
  changedAt: string;
  atMs: number;
}

/**
 * Everything the detectors know about one payment, as of its time: the payment itself and the
 * earlier payments of the same customer, device, creditor and debtor accounts, channel and tenant
 * within the windows the thresholds ask for (ARCHITECTURE.md rule 3: nothing after the payment).
 */
export interface PaymentFacts {
  trigger: DetectorPayment;
  extras: TriggerExtras;
  /** Each list is ordered by time, ends at the trigger's time and includes the trigger where it belongs. */
  customer: DetectorPayment[];
  device: DetectorPayment[];
  /** Payments into the trigger's creditor account. */
  intoCreditor: DetectorPayment[];
  /** Payments out of the trigger's debtor account. */
  outOfDebtor: DetectorPayment[];
  /** Payments into the trigger's debtor account (money in before it goes out again). */
  intoDebtor: DetectorPayment[];
  /** HIGH and CRITICAL payments of the tenant on the trigger's channel, and of the whole tenant. */
  highRiskChannel: DetectorPayment[];
  highRiskTenant: DetectorPayment[];
  contactChanges: ContactChangeFact[];
}

/** Each pattern's thresholds in force for a tenant (absent or disabled = the detector does not run). */
export type ThresholdMap = Partial<{ [P in AlertPattern]: Extract<PatternThresholds, { pattern: P }> }>;

/** What a detector raises: the input of slice A's alert.raise command (AlertCandidateInput). */
export interface DetectorCandidate {
  tenantId: string;
  pattern: AlertPattern;
  severity: AlertSeverity;
  title: string;
  entityType: AlertEntityType;
  entityId: string;
  detectedAt: string;
  evidence: AlertEvidence;
  configurationId: string | null;
}
