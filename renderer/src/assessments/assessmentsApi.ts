import { pageOf } from '../../../shared/src/api.ts';
import { Assessment, type AssessmentListQuery } from '../../../shared/src/assessments.ts';
import { getJson } from '../api/client.ts';

const AssessmentPage = pageOf(Assessment);

export function fetchAssessments(params: Partial<AssessmentListQuery>, signal?: AbortSignal) {
  return getJson('/api/v1/fraud-risk/assessments', AssessmentPage, { params: { ...params }, signal });
}
