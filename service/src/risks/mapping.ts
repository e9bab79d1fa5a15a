import { fromJson, fromJsonOrNull, toIso, toIsoOrNull } from '../db/database.ts';
import type {
  ControlRow,
  ControlTestRow,
  RiskAcceptanceRow,
  RiskAssessmentRow,
  RiskMatrixVersionRow,
  RiskRow,
  RiskTreatmentRow,
  TreatmentActionRow,
} from '../db/schema-risk-register.ts';
import {
  RISK_STATUS_TRANSITIONS,
  type AcceptanceStatus,
  type Control,
  type ControlEffectiveness,
  type ControlFrequency,
  type ControlTest,
  type ControlTestResult,
  type ControlType,
  type ResidualExplanation,
  type Risk,
  type RiskAcceptance,
  type RiskAssessment,
  type RiskCategory,
  type RiskLevelView,
  type RiskMatrixDefinition,
  type RiskMatrixVersion,
  type RiskRef,
  type RiskScore,
  type RiskStatus,
  type Treatment,
  type TreatmentAction,
  type TreatmentActionStatus,
  type TreatmentStatus,
  type TreatmentStrategy,
} from '../../../shared/src/risk-register.ts';
import type { AttachmentType } from '../../../shared/src/cases.ts';

/** Rows to API shapes (shared/src/risk-register.ts). Flags that depend on time take the clock's now. */

/** The UTC calendar day of an instant: due dates and test dates compare by day. */
export const dayOf = (now: Date): string => now.toISOString().slice(0, 10);

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function levelView(matrix: RiskMatrixDefinition | undefined, key: string): RiskLevelView {
  const level = matrix?.levels.find((l) => l.key === key);
  // A key always comes from the matrix the risk was scored on; the fallback only guards a hand-edited row.
  return level
    ? { key: level.key, name: level.name, colour: level.colour, reviewDays: level.reviewDays }
    : { key, name: key, colour: '#9e9e9e', reviewDays: 0 };
}

function scoreOf(matrix: RiskMatrixDefinition | undefined, l: number | null, i: number | null, s: number | null, level: string | null): RiskScore | null {
  if (l === null || i === null || s === null || level === null) return null;
  return { likelihood: l, impact: i, score: s, level: levelView(matrix, level) };
}

export interface MatrixRef {
  versionNumber: number;
  definition: RiskMatrixDefinition;
}

export interface RiskExtras {
  ownerName: string;
  matrix: MatrixRef | undefined;
  controlCount: number;
  now: Date;
}

export function toRisk(row: RiskRow, extras: RiskExtras): Risk {
  const m = extras.matrix?.definition;
  const status = row.status as RiskStatus;
  const nextReviewAt = status === 'CLOSED' ? null : toIsoOrNull(row.next_review_at);
  return {
    id: row.id,
    tenantId: row.tenant_id,
    reference: row.reference,
    title: row.title,
    description: row.description,
    category: row.category as RiskCategory,
    businessUnit: row.business_unit,
    ownerId: row.owner_id,
    ownerName: extras.ownerName,
    causes: row.causes,
    consequences: row.consequences,
    status,
    inherent: scoreOf(m, row.inherent_likelihood, row.inherent_impact, row.inherent_score, row.inherent_level),
    current: scoreOf(m, row.current_likelihood, row.current_impact, row.current_score, row.current_level),
    residual: scoreOf(m, row.residual_likelihood, row.residual_impact, row.residual_score, row.residual_level),
    residualExplanation: fromJsonOrNull<ResidualExplanation>(row.residual_explanation),
    matrixVersionId: row.matrix_version_id,
    matrixVersionNumber: extras.matrix?.versionNumber ?? null,
    lastAssessedAt: toIsoOrNull(row.last_assessed_at),
    nextReviewAt,
    reviewOverdue: nextReviewAt !== null && Date.parse(nextReviewAt) < extras.now.getTime(),
    controlCount: extras.controlCount,
    allowedTransitions: [...RISK_STATUS_TRANSITIONS[status]],
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    updatedBy: row.updated_by,
    updatedAt: toIso(row.updated_at),
    version: row.version,
  };
}

export function toAssessment(row: RiskAssessmentRow): RiskAssessment {
  const matrix = fromJson<RiskMatrixDefinition>(row.matrix);
  const score = (l: number, i: number, s: number, level: string): RiskScore => ({ likelihood: l, impact: i, score: s, level: levelView(matrix, level) });
  return {
    id: row.id,
    riskId: row.risk_id,
    tenantId: row.tenant_id,
    matrixVersionId: row.matrix_version_id,
    matrixVersionNumber: row.matrix_version_number,
    matrix,
    inherent: score(row.inherent_likelihood, row.inherent_impact, row.inherent_score, row.inherent_level),
    current:
      row.current_likelihood === null || row.current_impact === null || row.current_score === null || row.current_level === null
        ? null
        : score(row.current_likelihood, row.current_impact, row.current_score, row.current_level),
    residual: score(row.residual_likelihood, row.residual_impact, row.residual_score, row.residual_level),
    residualExplanation: fromJson<ResidualExplanation>(row.residual_explanation),
    note: row.note,
    assessedById: row.assessed_by,
    assessedByName: row.assessed_by_name,
    assessedAt: toIso(row.assessed_at),
    version: row.version,
  };
}

export function toControl(row: ControlRow, extras: { ownerName: string; linkedRisks: RiskRef[]; now: Date }): Control {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    reference: row.reference,
    name: row.name,
    description: row.description,
    type: row.type as ControlType,
    ownerId: row.owner_id,
    ownerName: extras.ownerName,
    frequency: row.frequency as ControlFrequency,
    effectiveness: row.effectiveness as ControlEffectiveness,
    lastTestedAt: toIsoOrNull(row.last_tested_at),
    lastTestResult: row.last_test_result as ControlTestResult | null,
    nextTestDue: row.next_test_due,
    testOverdue: row.next_test_due !== null && row.next_test_due < dayOf(extras.now),
    linkedRisks: extras.linkedRisks,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    updatedBy: row.updated_by,
    updatedAt: toIso(row.updated_at),
    version: row.version,
  };
}

export function toControlTest(row: ControlTestRow): ControlTest {
  return {
    id: row.id,
    controlId: row.control_id,
    tenantId: row.tenant_id,
    testerId: row.tester_id,
    testerName: row.tester_name,
    testedAt: toIso(row.tested_at),
    result: row.result as ControlTestResult,
    notes: row.notes,
    evidence:
      row.evidence_sha256 && row.evidence_name && row.evidence_content_type
        ? {
            fileName: row.evidence_name,
            contentType: row.evidence_content_type as AttachmentType,
            sizeBytes: row.evidence_size_bytes ?? 0,
            sha256: row.evidence_sha256,
          }
        : null,
    nextTestDate: row.next_test_date,
    createdAt: toIso(row.created_at),
    version: row.version,
  };
}

export function toTreatmentAction(row: TreatmentActionRow, ownerName: string, now: Date): TreatmentAction {
  const status = row.status as TreatmentActionStatus;
  return {
    id: row.id,
    treatmentId: row.treatment_id,
    riskId: row.risk_id,
    title: row.title,
    ownerId: row.owner_id,
    ownerName,
    dueDate: row.due_date,
    status,
    completedAt: toIsoOrNull(row.completed_at),
    overdue: status === 'OPEN' && row.due_date < dayOf(now),
    version: row.version,
  };
}

export function toTreatment(row: RiskTreatmentRow, ownerName: string, actions: TreatmentAction[], now: Date): Treatment {
  const status = row.status as TreatmentStatus;
  return {
    id: row.id,
    riskId: row.risk_id,
    tenantId: row.tenant_id,
    strategy: row.strategy as TreatmentStrategy,
    title: row.title,
    description: row.description,
    ownerId: row.owner_id,
    ownerName,
    dueDate: row.due_date,
    status,
    overdue: (status === 'PLANNED' || status === 'IN_PROGRESS') && row.due_date < dayOf(now),
    actions,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    version: row.version,
  };
}

export function toAcceptance(row: RiskAcceptanceRow): RiskAcceptance {
  return {
    id: row.id,
    riskId: row.risk_id,
    tenantId: row.tenant_id,
    status: row.status as AcceptanceStatus,
    justification: row.justification,
    requestedById: row.requested_by,
    requestedByName: row.requested_by_name,
    requestedAt: toIso(row.requested_at),
    expiresAt: toIso(row.expires_at),
    decidedById: row.decided_by,
    decidedByName: row.decided_by_name,
    decidedAt: toIsoOrNull(row.decided_at),
    decisionNote: row.decision_note,
    expiredAt: toIsoOrNull(row.expired_at),
    version: row.version,
  };
}

export function toMatrixVersion(row: RiskMatrixVersionRow, currentId: string | null): RiskMatrixVersion {
  return {
    id: row.id,
    versionNumber: row.version_number,
    definition: fromJson<RiskMatrixDefinition>(row.definition),
    note: row.note,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    current: row.id === currentId,
  };
}
