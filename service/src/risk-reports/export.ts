import type { Kysely } from 'kysely';
import type { RegisterKind, SheetFormat } from '../../../shared/src/risk-reports.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import { toNumber, toNumberOrNull } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { CONTROL_COLUMNS, type ColumnSpec, type ControlSheetRecord, KRI_COLUMNS, type KriSheetRecord, RISK_COLUMNS, type RiskSheetRecord } from './columns.ts';
import { writeCsv, writeXlsx } from './sheets.ts';

/**
 * Export of the register's risks, controls and KRIs as CSV or XLSX, filtered to the caller's
 * tenants (tenant rule 'list'). The columns are those the import reads (columns.ts), so a file
 * exported here previews as duplicates in its own tenant and as new rows in another.
 */

/** The most rows one export returns. */
export const REGISTER_EXPORT_LIMIT = 100_000;

const asDate = (value: Date | string | null): Date | null => (value === null ? null : value instanceof Date ? value : new Date(value));

export async function riskSheetRecords(db: Kysely<Database>, scope: TenantScope, now: Date): Promise<RiskSheetRecord[]> {
  let query = db
    .selectFrom('risks')
    .leftJoin('users', 'users.id', 'risks.owner_id')
    .selectAll('risks')
    .select(['users.username as owner_username', 'users.display_name as owner_name'])
    .where('risks.deleted_at', 'is', null);
  const tenants = scope.sqlList();
  if (tenants) query = query.where('risks.tenant_id', 'in', tenants);
  const rows = await query.orderBy('risks.tenant_id').orderBy('risks.reference').limit(REGISTER_EXPORT_LIMIT).execute();
  return rows.map((r) => {
    const nextReviewAt = asDate(r.next_review_at);
    return {
      reference: r.reference,
      tenantId: r.tenant_id,
      title: r.title,
      category: r.category,
      status: r.status,
      businessUnit: r.business_unit,
      ownerUsername: r.owner_username,
      ownerName: r.owner_name,
      description: r.description,
      causes: r.causes,
      consequences: r.consequences,
      inherentLikelihood: r.inherent_likelihood,
      inherentImpact: r.inherent_impact,
      inherentScore: r.inherent_score,
      inherentLevel: r.inherent_level,
      residualLikelihood: r.residual_likelihood,
      residualImpact: r.residual_impact,
      residualScore: r.residual_score,
      residualLevel: r.residual_level,
      lastAssessedAt: asDate(r.last_assessed_at),
      nextReviewAt,
      reviewOverdue: r.status !== 'CLOSED' && nextReviewAt !== null && nextReviewAt.getTime() < now.getTime(),
    };
  });
}

/** Risk references per linked record id, from a link table (risk_controls or kri_risks). */
async function linkedReferences(db: Kysely<Database>, link: 'risk_controls' | 'kri_risks', ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows =
      link === 'risk_controls'
        ? await db
            .selectFrom('risk_controls')
            .innerJoin('risks', 'risks.id', 'risk_controls.risk_id')
            .select(['risk_controls.control_id as owner', 'risks.reference'])
            .where('risk_controls.control_id', 'in', chunk)
            .where('risk_controls.deleted_at', 'is', null)
            .where('risks.deleted_at', 'is', null)
            .orderBy('risks.reference')
            .execute()
        : await db
            .selectFrom('kri_risks')
            .innerJoin('risks', 'risks.id', 'kri_risks.risk_id')
            .select(['kri_risks.kri_id as owner', 'risks.reference'])
            .where('kri_risks.kri_id', 'in', chunk)
            .where('kri_risks.deleted_at', 'is', null)
            .where('risks.deleted_at', 'is', null)
            .orderBy('risks.reference')
            .execute();
    for (const row of rows) out.set(row.owner, [...(out.get(row.owner) ?? []), row.reference]);
  }
  return out;
}

export async function controlSheetRecords(db: Kysely<Database>, scope: TenantScope, now: Date): Promise<ControlSheetRecord[]> {
  let query = db
    .selectFrom('controls')
    .leftJoin('users', 'users.id', 'controls.owner_id')
    .selectAll('controls')
    .select(['users.username as owner_username', 'users.display_name as owner_name'])
    .where('controls.deleted_at', 'is', null);
  const tenants = scope.sqlList();
  if (tenants) query = query.where('controls.tenant_id', 'in', tenants);
  const rows = await query.orderBy('controls.tenant_id').orderBy('controls.reference').limit(REGISTER_EXPORT_LIMIT).execute();
  const risks = await linkedReferences(
    db,
    'risk_controls',
    rows.map((r) => r.id),
  );
  const today = now.toISOString().slice(0, 10);
  return rows.map((c) => ({
    reference: c.reference,
    tenantId: c.tenant_id,
    name: c.name,
    type: c.type,
    frequency: c.frequency,
    ownerUsername: c.owner_username,
    ownerName: c.owner_name,
    description: c.description,
    effectiveness: c.effectiveness,
    lastTestedAt: asDate(c.last_tested_at),
    lastTestResult: c.last_test_result,
    nextTestDue: c.next_test_due,
    testOverdue: c.last_tested_at === null || (c.next_test_due !== null && c.next_test_due < today),
    riskReferences: risks.get(c.id) ?? [],
  }));
}

export async function kriSheetRecords(db: Kysely<Database>, scope: TenantScope): Promise<KriSheetRecord[]> {
  let query = db.selectFrom('kris').selectAll().where('deleted_at', 'is', null);
  const tenants = scope.sqlList();
  if (tenants) query = query.where('tenant_id', 'in', tenants);
  const rows = await query.orderBy('tenant_id').orderBy('reference').limit(REGISTER_EXPORT_LIMIT).execute();
  const owners = await userNames(db);
  const risks = await linkedReferences(
    db,
    'kri_risks',
    rows.map((r) => r.id),
  );
  return rows.map((k) => ({
    reference: k.reference,
    tenantId: k.tenant_id,
    name: k.name,
    description: k.description,
    unit: k.unit,
    direction: k.direction,
    thresholdWarning: toNumber(k.threshold_warning),
    thresholdCritical: toNumber(k.threshold_critical),
    frequency: k.frequency,
    graceHours: k.grace_hours,
    dataSource: k.data_source,
    measurement: k.measurement,
    metric: k.metric,
    schedule: k.schedule,
    ownerUsername: k.owner_id ? (owners.get(k.owner_id)?.username ?? null) : null,
    ownerName: k.owner_id ? (owners.get(k.owner_id)?.displayName ?? null) : null,
    riskReferences: risks.get(k.id) ?? [],
    status: k.status,
    lastValue: toNumberOrNull(k.last_value),
    lastMeasuredAt: asDate(k.last_measured_at),
  }));
}

/**
 * Users by id. kris.owner_id is text while users.id is a uuid on PostgreSQL, so KRI owners are
 * looked up here rather than joined (the users table is small).
 */
export async function userNames(db: Kysely<Database>): Promise<Map<string, { username: string; displayName: string }>> {
  const users = await db.selectFrom('users').select(['id', 'username', 'display_name']).execute();
  return new Map(users.map((u) => [u.id, { username: u.username, displayName: u.display_name }]));
}

const SHEET_NAMES: Record<RegisterKind, string> = { risks: 'Risks', controls: 'Controls', kris: 'KRIs' };

export interface RegisterFile {
  fileName: string;
  contentType: string;
  body: Buffer | string;
}

/** The caller's tenants' records of one kind as a CSV or XLSX file, dated by the service clock. */
export async function exportRegister(
  db: Kysely<Database>,
  kind: RegisterKind,
  format: SheetFormat,
  scope: TenantScope,
  now: Date,
  who: string,
): Promise<RegisterFile> {
  const file = async <R>(columns: ReadonlyArray<ColumnSpec<R>>, records: R[]): Promise<Buffer | string> => {
    const rows = records.map((r) => columns.map((c) => c.exportValue(r)));
    if (format === 'csv')
      return writeCsv(
        columns.map((c) => c.header),
        rows,
      );
    return writeXlsx(SHEET_NAMES[kind], columns, rows, { title: `${SHEET_NAMES[kind]} exported ${now.toISOString()} by ${who}`, created: now });
  };
  const body =
    kind === 'risks'
      ? await file(RISK_COLUMNS, await riskSheetRecords(db, scope, now))
      : kind === 'controls'
        ? await file(CONTROL_COLUMNS, await controlSheetRecords(db, scope, now))
        : await file(KRI_COLUMNS, await kriSheetRecords(db, scope));
  const stamp = now.toISOString().slice(0, 16).replace(/[:T]/g, '-');
  return {
    fileName: `${kind}-${stamp}.${format}`,
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body,
  };
}
