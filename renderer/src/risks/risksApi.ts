// The risk register through the typed contract client (ARCHITECTURE.md rule 2): no hand-written URLs.
import { kriOperations } from '../../../shared/src/contract/kris.ts';
import { riskEventOperations } from '../../../shared/src/contract/risk-events.ts';
import { controlOperations, riskMatrixOperations, riskOperations } from '../../../shared/src/contract/risks.ts';
import type {
  AcceptanceRequestInput,
  ControlCreateInput,
  ControlListQuery,
  ControlTestInput,
  ControlUpdateInput,
  RiskAssessmentInput,
  RiskCreateInput,
  RiskMatrixUpdateInput,
  RiskStatusInput,
  RiskUpdateInput,
  TreatmentActionUpdateInput,
  TreatmentActionCreateInput,
  TreatmentCreateInput,
  TreatmentUpdateInput,
} from '../../../shared/src/risk-register.ts';
import { callApi, downloadApi } from '../api/contract-client.ts';
import type { toRiskListQuery } from './useRiskRegisterParams.ts';

export const fetchRisks = (query: ReturnType<typeof toRiskListQuery>, signal?: AbortSignal) => callApi(riskOperations.list, { query }, { signal });
export const fetchRisk = (id: string, signal?: AbortSignal) => callApi(riskOperations.get, { params: { id } }, { signal });
export const createRisk = (body: RiskCreateInput) => callApi(riskOperations.create, { body });
export const updateRisk = (id: string, body: RiskUpdateInput) => callApi(riskOperations.update, { params: { id }, body });
export const deleteRisk = (id: string, expectedVersion: number) => callApi(riskOperations.remove, { params: { id }, query: { expectedVersion } });
export const fetchAssessments = (id: string, signal?: AbortSignal) => callApi(riskOperations.assessments, { params: { id } }, { signal });
export const assessRisk = (id: string, body: RiskAssessmentInput) => callApi(riskOperations.assess, { params: { id }, body });
export const changeRiskStatus = (id: string, body: RiskStatusInput) => callApi(riskOperations.changeStatus, { params: { id }, body });
export const linkControl = (id: string, controlId: string) => callApi(riskOperations.linkControl, { params: { id }, body: { controlId } });
export const unlinkControl = (id: string, controlId: string) => callApi(riskOperations.unlinkControl, { params: { id, controlId } });
export const createTreatment = (id: string, body: TreatmentCreateInput) => callApi(riskOperations.createTreatment, { params: { id }, body });
export const updateTreatment = (id: string, treatmentId: string, body: TreatmentUpdateInput) =>
  callApi(riskOperations.updateTreatment, { params: { id, treatmentId }, body });
export const createTreatmentAction = (id: string, treatmentId: string, body: TreatmentActionCreateInput) =>
  callApi(riskOperations.createTreatmentAction, { params: { id, treatmentId }, body });
export const updateTreatmentAction = (id: string, treatmentId: string, actionId: string, body: TreatmentActionUpdateInput) =>
  callApi(riskOperations.updateTreatmentAction, { params: { id, treatmentId, actionId }, body });
export const requestAcceptance = (id: string, body: AcceptanceRequestInput) => callApi(riskOperations.requestAcceptance, { params: { id }, body });
export const approveAcceptance = (id: string, expectedVersion: number, note: string) =>
  callApi(riskOperations.approveAcceptance, { params: { id }, body: { expectedVersion, note } });
export const rejectAcceptance = (id: string, expectedVersion: number, note: string) =>
  callApi(riskOperations.rejectAcceptance, { params: { id }, body: { expectedVersion, note } });
export const withdrawAcceptance = (id: string, expectedVersion: number, note: string) =>
  callApi(riskOperations.withdrawAcceptance, { params: { id }, body: { expectedVersion, note } });

export const fetchControls = (query: Partial<ControlListQuery>, signal?: AbortSignal) =>
  callApi(controlOperations.list, { query: { page: 0, pageSize: 100, ...query } }, { signal });
export const fetchControl = (id: string, signal?: AbortSignal) => callApi(controlOperations.get, { params: { id } }, { signal });
export const createControl = (body: ControlCreateInput) => callApi(controlOperations.create, { body });
export const updateControl = (id: string, body: ControlUpdateInput) => callApi(controlOperations.update, { params: { id }, body });
export const deleteControl = (id: string, expectedVersion: number) => callApi(controlOperations.remove, { params: { id }, query: { expectedVersion } });
export const fetchControlTests = (id: string, signal?: AbortSignal) => callApi(controlOperations.tests, { params: { id } }, { signal });
export const recordControlTest = (id: string, body: ControlTestInput) => callApi(controlOperations.recordTest, { params: { id }, body }, { timeout: 120_000 });
export const downloadEvidence = (id: string, testId: string, fileName: string) => downloadApi(controlOperations.evidence, { params: { id, testId } }, fileName);

export const fetchMatrix = (signal?: AbortSignal) => callApi(riskMatrixOperations.current, {}, { signal });
export const fetchMatrixVersions = (signal?: AbortSignal) => callApi(riskMatrixOperations.versions, {}, { signal });
export const saveMatrix = (body: RiskMatrixUpdateInput) => callApi(riskMatrixOperations.update, { body });

export const fetchRiskKris = (riskId: string, signal?: AbortSignal) => callApi(kriOperations.list, { query: { riskId } }, { signal });
export const fetchKriMeasurements = (id: string, signal?: AbortSignal) =>
  callApi(kriOperations.measurements, { params: { id }, query: { limit: 200 } }, { signal });
export const fetchRiskEvents = (riskId: string, signal?: AbortSignal) => callApi(riskEventOperations.list, { query: { riskId, limit: 100 } }, { signal });
