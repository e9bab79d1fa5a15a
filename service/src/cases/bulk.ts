import { defineCommand, type CommandContext } from '../commands/bus.ts';
import { conflict, forbidden, notFound, ServiceError } from '../errors.ts';
import type { CaseRow } from '../db/schema.ts';
import { BulkAssignRequest, BulkCloseFalsePositiveRequest } from '../../../shared/src/cases.ts';
import { TenantScope } from '../auth/tenant-scope.ts';
import { assignOne } from './commands.ts';
import { decideOne } from './decisions.ts';
import { toCaseSummary } from './mapping.ts';
import { lockForUpdate } from '../db/dialect.ts';

/** The selected cases, locked; one that is missing or of another tenant makes the whole batch not found (ARCHITECTURE.md "Tenants"). */
async function loadMany(ctx: CommandContext, caseIds: readonly string[]): Promise<CaseRow[]> {
  const wanted = [...new Set(caseIds)];
  let query = ctx.trx.selectFrom('cases').selectAll().where('id', 'in', wanted).where('deleted_at', 'is', null).orderBy('created_at');
  const tenants = new TenantScope(ctx.actor.tenants).sqlList();
  if (tenants) query = query.where('tenant_id', 'in', tenants);
  query = lockForUpdate(ctx.dialect, query);
  const rows = await query.execute();
  if (rows.length !== wanted.length) throw notFound('one or more of the selected cases');
  return rows;
}

/** All or nothing: one refused case refuses the batch, naming every case that could not be done. */
async function eachOrRefuse<T>(rows: readonly CaseRow[], work: (row: CaseRow) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  const refused: string[] = [];
  let status = 409;
  for (const row of rows) {
    try {
      out.push(await work(row));
    } catch (error) {
      if (!(error instanceof ServiceError) || (error.status !== 409 && error.status !== 403)) throw error;
      if (error.status === 403) status = 403;
      refused.push(`${row.reference}: ${error.message}`);
    }
  }
  if (refused.length > 0) {
    const message = `${refused.length} of ${rows.length} cases cannot be done, so none were changed — ${refused.slice(0, 10).join('; ')}${refused.length > 10 ? '; …' : ''}`;
    throw status === 403 ? forbidden(message) : conflict(message);
  }
  return out;
}

export const bulkAssign = defineCommand({
  name: 'case.bulk-assign',
  input: BulkAssignRequest,
  permission: 'case:work',
  async apply(ctx, input) {
    const rows = await loadMany(ctx, input.caseIds);
    const updated = await eachOrRefuse(rows, (row) => assignOne(ctx, row, input.assigneeId));
    return { updated: updated.map(toCaseSummary), awaitingApproval: [] as string[] };
  },
});

/** Close many cases as false positives; unassigned new cases are taken by the caller first. */
export const bulkCloseFalsePositive = defineCommand({
  name: 'case.bulk-close-false-positive',
  input: BulkCloseFalsePositiveRequest,
  permission: 'case:decide',
  async apply(ctx, input) {
    const rows = await loadMany(ctx, input.caseIds);
    const updated = await eachOrRefuse(rows, async (row) => {
      const mine = row.state === 'NEW' && row.assignee_id === null ? await assignOne(ctx, row, undefined) : row;
      return decideOne(ctx, mine, { action: 'APPROVE', reasonCode: input.reasonCode, note: input.note });
    });
    return {
      updated: updated.map(toCaseSummary),
      awaitingApproval: updated.filter((r) => r.state === 'AWAITING_APPROVAL').map((r) => r.reference),
    };
  },
});
