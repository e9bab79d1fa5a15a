import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { toIso, toNumber, toNumberOrNull } from '../db/database.ts';
import type { AssessmentListQuery } from '../../../shared/src/assessments.ts';
import { bankZoneHeader, isoInBankZone } from '../../../shared/src/bank-time.ts';
import { filteredAssessments, type ReadScope } from './queries.ts';

/** The most rows one export returns; the header row says when it was cut. */
export const EXPORT_LIMIT = 100_000;

/**
 * Times are ISO 8601 in the bank's zone with its offset, and the header names the zone (README
 * "Dates and time zones"): the export reads as the screen does.
 */
const COLUMNS = [
  'assessment_id',
  'transaction_reference',
  'tenant_id',
  `created_at (${bankZoneHeader()})`,
  'status',
  'risk_level',
  'risk_score',
  'decision',
  'engine_decision',
  'decision_reason',
  'payment_type',
  'channel',
  'customer_id',
  'amount',
  'currency',
  'amount_kes',
  'country',
  'configuration_id',
  'configuration_version',
  'external_api_used',
  'processing_time_ms',
  'retry_count',
  'case_id',
] as const;

/** RFC 4180 quoting, and a leading quote for values a spreadsheet would run as a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The export's file name, dated by the service clock (ARCHITECTURE.md rule 3). */
export function exportFileName(now: Date): string {
  return `assessments-${now.toISOString().slice(0, 10)}.csv`;
}

/** The caller's tenants' assessments as CSV, with the list's filters (ARCHITECTURE.md "Tenants"). */
export async function assessmentsCsv(db: Kysely<Database>, query: Omit<AssessmentListQuery, 'page' | 'pageSize'>, scope: ReadScope): Promise<string> {
  const sortColumn = { createdAt: 'a.created_at', riskScore: 'a.risk_score', amount: 'a.amount_kes', processingTimeMs: 'a.processing_time_ms' } as const;
  const rows = await filteredAssessments(db, query, 'all', scope)
    .select([
      'a.assessment_id',
      'a.transaction_reference',
      'a.tenant_id',
      'a.created_at',
      'a.status',
      'a.risk_level',
      'a.risk_score',
      'a.decision',
      'a.engine_decision',
      'a.decision_reason',
      'a.payment_type',
      'a.channel',
      'a.customer_ref',
      'p.amount',
      'p.currency',
      'a.amount_kes',
      'p.country',
      'a.configuration_id',
      'a.configuration_version',
      'a.external_api_used',
      'a.processing_time_ms',
      'a.retry_count',
      'a.case_id',
    ])
    .orderBy(sortColumn[query.sort], query.direction)
    .orderBy('a.id', query.direction)
    .limit(EXPORT_LIMIT)
    .execute();
  const lines = [COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.assessment_id,
        r.transaction_reference,
        r.tenant_id,
        isoInBankZone(toIso(r.created_at)),
        r.status,
        r.risk_level,
        toNumberOrNull(r.risk_score),
        r.decision,
        r.engine_decision,
        r.decision_reason,
        r.payment_type,
        r.channel,
        r.customer_ref,
        toNumber(r.amount),
        r.currency,
        toNumber(r.amount_kes),
        r.country,
        r.configuration_id,
        r.configuration_version,
        r.external_api_used,
        toNumberOrNull(r.processing_time_ms),
        r.retry_count,
        r.case_id,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
