import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { RiskRow } from '../db/schema-risk-register.ts';
import { fromJson } from '../db/database.ts';
import { likeEscape } from '../db/dialect.ts';
import { notFound } from '../errors.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import type {
  Control,
  ControlListQuery,
  ControlPage,
  ControlTest,
  HeatMapCell,
  Risk,
  RiskAssessment,
  RiskDetail,
  RiskListQuery,
  RiskMatrixDefinition,
  RiskMatrixVersion,
  RiskPage,
} from '../../../shared/src/risk-register.ts';
import {
  dayOf,
  toAcceptance,
  toAssessment,
  toControl,
  toControlTest,
  toMatrixVersion,
  toRisk,
  toTreatment,
  toTreatmentAction,
  type MatrixRef,
} from './mapping.ts';
import { currentMatrixRow, userNames } from './store.ts';
import { linkedRiskRefs } from './controls.ts';

/**
 * Reads of the register (ARCHITECTURE.md "Tenants": lists filtered to the caller's tenants, one
 * record of another tenant is not found). Time-dependent flags use the caller's clock `now`.
 */

type Db = Kysely<Database>;

function scoped<Q extends SelectQueryBuilder<Database, 'risks' | 'controls', object>>(
  q: Q,
  column: 'risks.tenant_id' | 'controls.tenant_id',
  scope: TenantScope,
): Q {
  const tenants = scope.sqlList();
  return tenants ? (q.where(column, 'in', tenants) as Q) : q;
}

async function matrices(db: Db, ids: ReadonlyArray<string | null>): Promise<Map<string, MatrixRef>> {
  const unique = [...new Set(ids.filter((id): id is string => id !== null))];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('risk_matrix_versions').select(['id', 'version_number', 'definition']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, { versionNumber: r.version_number, definition: fromJson<RiskMatrixDefinition>(r.definition) }]));
}

async function controlCounts(db: Db, riskIds: readonly string[]): Promise<Map<string, number>> {
  if (riskIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('risk_controls')
    .innerJoin('controls', 'controls.id', 'risk_controls.control_id')
    .select(['risk_controls.risk_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('risk_controls.risk_id', 'in', [...riskIds])
    .where('risk_controls.deleted_at', 'is', null)
    .where('controls.deleted_at', 'is', null)
    .groupBy('risk_controls.risk_id')
    .execute();
  return new Map(rows.map((r) => [r.risk_id, Number(r.n)]));
}

async function toRisks(db: Db, rows: RiskRow[], now: Date): Promise<Risk[]> {
  const [names, matrixMap, counts] = await Promise.all([
    userNames(
      db,
      rows.map((r) => r.owner_id),
    ),
    matrices(
      db,
      rows.map((r) => r.matrix_version_id),
    ),
    controlCounts(
      db,
      rows.map((r) => r.id),
    ),
  ]);
  return rows.map((r) =>
    toRisk(r, {
      ownerName: names.get(r.owner_id) ?? 'unknown user',
      matrix: r.matrix_version_id ? matrixMap.get(r.matrix_version_id) : undefined,
      controlCount: counts.get(r.id) ?? 0,
      now,
    }),
  );
}

/** The list's filter, without the heat-map cell (the map counts every cell of the filter). */
function riskFilter(db: Db, query: RiskListQuery, scope: TenantScope, now: Date) {
  let q = scoped(db.selectFrom('risks').where('risks.deleted_at', 'is', null), 'risks.tenant_id', scope);
  if (query.tenantId) q = q.where('risks.tenant_id', '=', query.tenantId);
  if (query.category) q = q.where('risks.category', '=', query.category);
  if (query.status === 'OPEN') q = q.where('risks.status', '!=', 'CLOSED');
  else if (query.status !== 'ALL') q = q.where('risks.status', '=', query.status);
  if (query.ownerId) q = q.where('risks.owner_id', '=', query.ownerId);
  if (query.level) q = q.where(query.basis === 'inherent' ? 'risks.inherent_level' : 'risks.residual_level', '=', query.level);
  const nowIso = now.toISOString();
  if (query.reviewOverdue === true) q = q.where('risks.status', '!=', 'CLOSED').where('risks.next_review_at', '<', nowIso);
  if (query.reviewOverdue === false)
    q = q.where((eb) => eb.or([eb('risks.status', '=', 'CLOSED'), eb('risks.next_review_at', 'is', null), eb('risks.next_review_at', '>=', nowIso)]));
  if (query.q) {
    const term = `%${likeEscape(query.q.toLowerCase())}%`;
    q = q.where(
      (eb) =>
        sql<boolean>`(lower(${eb.ref('risks.title')}) like ${term} escape '\\' or lower(${eb.ref('risks.reference')}) like ${term} escape '\\' or lower(${eb.ref('risks.description')}) like ${term} escape '\\')`,
    );
  }
  return q;
}

async function heatCells(base: ReturnType<typeof riskFilter>, basis: 'inherent' | 'residual'): Promise<HeatMapCell[]> {
  const l = basis === 'inherent' ? 'risks.inherent_likelihood' : 'risks.residual_likelihood';
  const i = basis === 'inherent' ? 'risks.inherent_impact' : 'risks.residual_impact';
  const rows = await base
    .select([`${l} as likelihood`, `${i} as impact`, (eb) => eb.fn.countAll<number | string>().as('n')])
    .where(l, 'is not', null)
    .where(i, 'is not', null)
    .groupBy([l, i])
    .execute();
  return rows
    .map((r) => ({ likelihood: Number(r.likelihood), impact: Number(r.impact), count: Number(r.n) }))
    .sort((a, b) => b.likelihood - a.likelihood || a.impact - b.impact);
}

const SORT_COLUMNS = {
  reference: 'risks.reference',
  title: 'risks.title',
  inherentScore: 'risks.inherent_score',
  residualScore: 'risks.residual_score',
  nextReviewAt: 'risks.next_review_at',
  updatedAt: 'risks.updated_at',
} as const;

export async function listRisks(db: Db, query: RiskListQuery, scope: TenantScope, now: Date): Promise<RiskPage> {
  const base = riskFilter(db, query, scope, now);
  let cell = base;
  if (query.likelihood !== undefined && query.impact !== undefined) {
    cell =
      query.basis === 'inherent'
        ? cell.where('risks.inherent_likelihood', '=', query.likelihood).where('risks.inherent_impact', '=', query.impact)
        : cell.where('risks.residual_likelihood', '=', query.likelihood).where('risks.residual_impact', '=', query.impact);
  }
  const column = SORT_COLUMNS[query.sort];
  // Unscored risks sort as the lowest on both databases (PostgreSQL puts NULLs first when descending).
  const sortKey = query.sort === 'inherentScore' || query.sort === 'residualScore' ? sql`coalesce(${sql.ref(column)}, -1)` : sql.ref(column);
  const [rows, total, inherent, residual, matrixRow] = await Promise.all([
    cell
      .selectAll('risks')
      .orderBy(sortKey, query.direction)
      .orderBy('risks.reference', 'asc')
      .limit(query.pageSize)
      .offset(query.page * query.pageSize)
      .execute(),
    cell.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    heatCells(base, 'inherent'),
    heatCells(base, 'residual'),
    currentMatrixRow(db),
  ]);
  return {
    items: await toRisks(db, rows, now),
    total: Number(total.n),
    page: query.page,
    pageSize: query.pageSize,
    heatMap: { inherent, residual },
    matrix: matrixRow ? { id: matrixRow.id, versionNumber: matrixRow.version_number, definition: fromJson<RiskMatrixDefinition>(matrixRow.definition) } : null,
  };
}

async function visibleRisk(db: Db, id: string, scope: TenantScope): Promise<RiskRow> {
  const row = await db.selectFrom('risks').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row || !scope.allows(row.tenant_id)) throw notFound('risk');
  return row;
}

export async function getRisk(db: Db, id: string, scope: TenantScope, now: Date): Promise<Risk> {
  const [risk] = await toRisks(db, [await visibleRisk(db, id, scope)], now);
  return risk!;
}

export async function getRiskDetail(db: Db, id: string, scope: TenantScope, now: Date): Promise<RiskDetail> {
  const row = await visibleRisk(db, id, scope);
  const [risk] = await toRisks(db, [row], now);
  const controlRows = await db
    .selectFrom('risk_controls')
    .innerJoin('controls', 'controls.id', 'risk_controls.control_id')
    .selectAll('controls')
    .where('risk_controls.risk_id', '=', id)
    .where('risk_controls.deleted_at', 'is', null)
    .where('controls.deleted_at', 'is', null)
    .orderBy('controls.reference')
    .execute();
  const treatments = await db
    .selectFrom('risk_treatments')
    .selectAll()
    .where('risk_id', '=', id)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute();
  const actions = await db.selectFrom('treatment_actions').selectAll().where('risk_id', '=', id).where('deleted_at', 'is', null).orderBy('due_date').execute();
  const acceptances = await db
    .selectFrom('risk_acceptances')
    .selectAll()
    .where('risk_id', '=', id)
    .where('deleted_at', 'is', null)
    .orderBy('requested_at', 'desc')
    .execute();
  const names = await userNames(db, [...controlRows.map((c) => c.owner_id), ...treatments.map((t) => t.owner_id), ...actions.map((a) => a.owner_id)]);
  const name = (userId: string) => names.get(userId) ?? 'unknown user';
  const controls = await Promise.all(
    controlRows.map(async (c) => toControl(c, { ownerName: name(c.owner_id), linkedRisks: await linkedRiskRefs(db, c.id), now })),
  );
  return {
    risk: risk!,
    controls,
    treatments: treatments.map((t) =>
      toTreatment(
        t,
        name(t.owner_id),
        actions.filter((a) => a.treatment_id === t.id).map((a) => toTreatmentAction(a, name(a.owner_id), now)),
        now,
      ),
    ),
    acceptances: acceptances.map(toAcceptance),
  };
}

export async function listAssessments(db: Db, riskId: string, scope: TenantScope): Promise<RiskAssessment[]> {
  await visibleRisk(db, riskId, scope);
  const rows = await db
    .selectFrom('risk_assessments')
    .selectAll()
    .where('risk_id', '=', riskId)
    .where('deleted_at', 'is', null)
    .orderBy('assessed_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toAssessment);
}

async function toControls(db: Db, rows: Awaited<ReturnType<typeof visibleControl>>[], now: Date): Promise<Control[]> {
  const names = await userNames(
    db,
    rows.map((r) => r.owner_id),
  );
  return Promise.all(
    rows.map(async (r) => toControl(r, { ownerName: names.get(r.owner_id) ?? 'unknown user', linkedRisks: await linkedRiskRefs(db, r.id), now })),
  );
}

async function visibleControl(db: Db, id: string, scope: TenantScope) {
  const row = await db.selectFrom('controls').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row || !scope.allows(row.tenant_id)) throw notFound('control');
  return row;
}

export async function getControl(db: Db, id: string, scope: TenantScope, now: Date): Promise<Control> {
  const [control] = await toControls(db, [await visibleControl(db, id, scope)], now);
  return control!;
}

export async function listControls(db: Db, query: ControlListQuery, scope: TenantScope, now: Date): Promise<ControlPage> {
  let q = scoped(db.selectFrom('controls').where('controls.deleted_at', 'is', null), 'controls.tenant_id', scope);
  if (query.tenantId) q = q.where('controls.tenant_id', '=', query.tenantId);
  if (query.type) q = q.where('controls.type', '=', query.type);
  if (query.effectiveness) q = q.where('controls.effectiveness', '=', query.effectiveness);
  if (query.ownerId) q = q.where('controls.owner_id', '=', query.ownerId);
  const today = dayOf(now);
  if (query.testOverdue === true) q = q.where('controls.next_test_due', '<', today);
  if (query.testOverdue === false) q = q.where((eb) => eb.or([eb('controls.next_test_due', 'is', null), eb('controls.next_test_due', '>=', today)]));
  if (query.riskId) {
    const riskId = query.riskId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('risk_controls')
          .select('risk_controls.id')
          .whereRef('risk_controls.control_id', '=', 'controls.id')
          .where('risk_controls.risk_id', '=', riskId)
          .where('risk_controls.deleted_at', 'is', null),
      ),
    );
  }
  if (query.q) {
    const term = `%${likeEscape(query.q.toLowerCase())}%`;
    q = q.where(
      (eb) => sql<boolean>`(lower(${eb.ref('controls.name')}) like ${term} escape '\\' or lower(${eb.ref('controls.reference')}) like ${term} escape '\\')`,
    );
  }
  const [rows, total] = await Promise.all([
    q
      .selectAll('controls')
      .orderBy('controls.reference')
      .limit(query.pageSize)
      .offset(query.page * query.pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: await toControls(db, rows, now), total: Number(total.n), page: query.page, pageSize: query.pageSize };
}

export async function listControlTests(db: Db, controlId: string, scope: TenantScope): Promise<ControlTest[]> {
  await visibleControl(db, controlId, scope);
  const rows = await db
    .selectFrom('control_tests')
    .selectAll()
    .where('control_id', '=', controlId)
    .where('deleted_at', 'is', null)
    .orderBy('tested_at', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toControlTest);
}

export async function getTestEvidence(db: Db, controlId: string, testId: string, scope: TenantScope) {
  await visibleControl(db, controlId, scope);
  const row = await db
    .selectFrom('control_tests')
    .innerJoin('attachment_blobs', 'attachment_blobs.sha256', 'control_tests.evidence_sha256')
    .select(['control_tests.evidence_name', 'control_tests.evidence_content_type', 'control_tests.evidence_sha256', 'attachment_blobs.content'])
    .where('control_tests.id', '=', testId)
    .where('control_tests.control_id', '=', controlId)
    .where('control_tests.deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row?.evidence_name || !row.evidence_content_type || !row.evidence_sha256) throw notFound('evidence');
  return { fileName: row.evidence_name, contentType: row.evidence_content_type, sha256: row.evidence_sha256, content: Buffer.from(row.content) };
}

export async function getCurrentMatrix(db: Db): Promise<RiskMatrixVersion> {
  const row = await currentMatrixRow(db);
  if (!row) throw notFound('risk matrix');
  return toMatrixVersion(row, row.id);
}

export async function listMatrixVersions(db: Db): Promise<RiskMatrixVersion[]> {
  const rows = await db.selectFrom('risk_matrix_versions').selectAll().where('deleted_at', 'is', null).orderBy('version_number', 'desc').execute();
  return rows.map((r) => toMatrixVersion(r, rows[0]?.id ?? null));
}
