// Kysely table types of migration 0015-risk-register (issue 13). Column conventions: see schema.ts.
import type { Selectable } from 'kysely';
import type { Json, NullableJson, NullableTimestamp, OptionalTimestamp, Timestamp } from './schema.ts';

interface Audited {
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
}
interface Synced {
  version: number;
  deleted_at: OptionalTimestamp;
}

export interface RiskMatrixVersionsTable extends Synced {
  id: string;
  version_number: number;
  definition: Json;
  note: string;
  created_by: string;
  created_at: Timestamp;
}

export interface RisksTable extends Audited, Synced {
  id: string;
  tenant_id: string;
  reference: string;
  title: string;
  description: string;
  category: string;
  business_unit: string;
  owner_id: string;
  causes: string;
  consequences: string;
  status: string;
  inherent_likelihood: number | null;
  inherent_impact: number | null;
  inherent_score: number | null;
  inherent_level: string | null;
  current_likelihood: number | null;
  current_impact: number | null;
  current_score: number | null;
  current_level: string | null;
  residual_likelihood: number | null;
  residual_impact: number | null;
  residual_score: number | null;
  residual_level: string | null;
  residual_explanation: NullableJson;
  matrix_version_id: string | null;
  last_assessed_at: NullableTimestamp;
  next_review_at: NullableTimestamp;
}

export interface RiskAssessmentsTable extends Synced {
  id: string;
  risk_id: string;
  tenant_id: string;
  matrix_version_id: string;
  matrix_version_number: number;
  matrix: Json;
  inherent_likelihood: number;
  inherent_impact: number;
  inherent_score: number;
  inherent_level: string;
  current_likelihood: number | null;
  current_impact: number | null;
  current_score: number | null;
  current_level: string | null;
  residual_likelihood: number;
  residual_impact: number;
  residual_score: number;
  residual_level: string;
  residual_explanation: Json;
  note: string;
  assessed_by: string;
  assessed_by_name: string;
  assessed_at: Timestamp;
}

export interface ControlsTable extends Audited, Synced {
  id: string;
  tenant_id: string;
  reference: string;
  name: string;
  description: string;
  type: string;
  owner_id: string;
  frequency: string;
  effectiveness: string;
  last_tested_at: NullableTimestamp;
  last_test_result: string | null;
  /** YYYY-MM-DD */
  next_test_due: string | null;
}

export interface RiskControlsTable extends Synced {
  id: string;
  risk_id: string;
  control_id: string;
  tenant_id: string;
  created_by: string;
  created_at: Timestamp;
}

export interface ControlTestsTable extends Synced {
  id: string;
  control_id: string;
  tenant_id: string;
  tester_id: string;
  tester_name: string;
  tested_at: Timestamp;
  result: string;
  notes: string;
  evidence_sha256: string | null;
  evidence_name: string | null;
  evidence_content_type: string | null;
  evidence_size_bytes: number | null;
  next_test_date: string;
  created_at: Timestamp;
}

export interface RiskTreatmentsTable extends Audited, Synced {
  id: string;
  risk_id: string;
  tenant_id: string;
  strategy: string;
  title: string;
  description: string;
  owner_id: string;
  due_date: string;
  status: string;
}

export interface TreatmentActionsTable extends Audited, Synced {
  id: string;
  treatment_id: string;
  risk_id: string;
  tenant_id: string;
  title: string;
  owner_id: string;
  due_date: string;
  status: string;
  completed_at: NullableTimestamp;
}

export interface RiskAcceptancesTable extends Synced {
  id: string;
  risk_id: string;
  tenant_id: string;
  status: string;
  justification: string;
  requested_by: string;
  requested_by_name: string;
  requested_at: Timestamp;
  expires_at: Timestamp;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: NullableTimestamp;
  decision_note: string | null;
  expired_at: NullableTimestamp;
}

export type RiskRegisterTables = {
  risk_matrix_versions: RiskMatrixVersionsTable;
  risks: RisksTable;
  risk_assessments: RiskAssessmentsTable;
  controls: ControlsTable;
  risk_controls: RiskControlsTable;
  control_tests: ControlTestsTable;
  risk_treatments: RiskTreatmentsTable;
  treatment_actions: TreatmentActionsTable;
  risk_acceptances: RiskAcceptancesTable;
};

export type RiskMatrixVersionRow = Selectable<RiskMatrixVersionsTable>;
export type RiskRow = Selectable<RisksTable>;
export type RiskAssessmentRow = Selectable<RiskAssessmentsTable>;
export type ControlRow = Selectable<ControlsTable>;
export type RiskControlRow = Selectable<RiskControlsTable>;
export type ControlTestRow = Selectable<ControlTestsTable>;
export type RiskTreatmentRow = Selectable<RiskTreatmentsTable>;
export type TreatmentActionRow = Selectable<TreatmentActionsTable>;
export type RiskAcceptanceRow = Selectable<RiskAcceptancesTable>;
