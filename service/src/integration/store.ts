import type { CommandContext } from '../commands/bus.ts';
import { chunks } from '../commands/bus.ts';
import { dbBool, toIso, toIsoOrNull } from '../db/database.ts';
import type { IngestResult, LoanStatus } from '../../../shared/src/risk-data.ts';
import { amlCaseIsOpen, screeningIsPending } from '../../../shared/src/risk-data.ts';

/**
 * Writers of the data the bank feeds, shared by the HTTP endpoints and the risk-events queue.
 * Rows are keyed by the bank's own ids per tenant: a resend updates, never duplicates. Every
 * change is audited and change-logged (ARCHITECTURE.md rules 1 and 5).
 */

export interface LoanFields {
  loanId: string;
  customerId: string;
  sector: string;
  outstandingBalance: number;
  daysPastDue: number;
  collateralValue: number;
  provision: number;
  status: LoanStatus;
  disbursedAt?: string | undefined;
}

type Counted = IngestResult['records'];

function record(
  ctx: CommandContext,
  entityType: string,
  tenantId: string,
  id: string,
  version: number,
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
) {
  ctx.audit({ entityType, entityId: id, before, after, tenantId });
  ctx.change({ entityType, entityId: id, operation: 'upsert', version, data: { id, tenantId, ...after } });
}

const loanView = (l: {
  customer_id: string;
  sector: string;
  outstanding_balance: number;
  days_past_due: number;
  collateral_value: number;
  provision_amount: number;
  status: string;
  loan_id: string;
}) => ({
  loanId: l.loan_id,
  customerId: l.customer_id,
  sector: l.sector,
  outstandingBalance: Number(l.outstanding_balance),
  daysPastDue: Number(l.days_past_due),
  collateralValue: Number(l.collateral_value),
  provision: Number(l.provision_amount),
  status: l.status,
});

/** Creates or updates loans by the bank's loan id. */
export async function upsertLoansWithin(ctx: CommandContext, tenantId: string, loans: readonly LoanFields[], counted: Counted): Promise<void> {
  const now = ctx.now.toISOString();
  for (const chunk of chunks(loans, 500)) {
    const existing = await ctx.trx
      .selectFrom('loans')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where(
        'loan_id',
        'in',
        chunk.map((l) => l.loanId),
      )
      .execute();
    const byId = new Map(existing.map((r) => [r.loan_id, r]));
    for (const loan of chunk) {
      const values = {
        customer_id: loan.customerId,
        sector: loan.sector,
        outstanding_balance: loan.outstandingBalance,
        days_past_due: loan.daysPastDue,
        collateral_value: loan.collateralValue,
        provision_amount: loan.provision,
        status: loan.status,
      };
      const before = byId.get(loan.loanId);
      if (!before) {
        const id = ctx.newId();
        await ctx.trx
          .insertInto('loans')
          .values({
            id,
            tenant_id: tenantId,
            loan_id: loan.loanId,
            currency: 'KES',
            ...values,
            disbursed_at: loan.disbursedAt ? toIso(loan.disbursedAt) : null,
            created_at: now,
            updated_at: now,
            version: 1,
            deleted_at: null,
          })
          .execute();
        record(ctx, 'loan', tenantId, id, 1, null, loanView({ ...values, loan_id: loan.loanId }));
        counted.created += 1;
        continue;
      }
      const disbursedAt = loan.disbursedAt ? toIso(loan.disbursedAt) : toIsoOrNull(before.disbursed_at);
      const same =
        JSON.stringify(loanView(before)) === JSON.stringify(loanView({ ...values, loan_id: loan.loanId })) && disbursedAt === toIsoOrNull(before.disbursed_at);
      if (same) {
        counted.unchanged += 1;
        continue;
      }
      const version = before.version + 1;
      await ctx.trx
        .updateTable('loans')
        .set({ ...values, disbursed_at: disbursedAt, updated_at: now, version })
        .where('id', '=', before.id)
        .execute();
      record(ctx, 'loan', tenantId, before.id, version, loanView(before), loanView({ ...values, loan_id: loan.loanId }));
      counted.updated += 1;
    }
  }
}

/** A loan as stored, to change a few of its fields (queue events name a loan by the bank's id). */
export async function loadLoan(ctx: CommandContext, tenantId: string, loanId: string): Promise<LoanFields | null> {
  const row = await ctx.trx.selectFrom('loans').selectAll().where('tenant_id', '=', tenantId).where('loan_id', '=', loanId).executeTakeFirst();
  if (!row) return null;
  return { ...loanView(row), status: row.status as LoanStatus, disbursedAt: toIsoOrNull(row.disbursed_at) ?? undefined };
}

export interface LiquidityFields {
  asOf: string;
  currency: string;
  level1: number;
  level2a: number;
  level2b: number;
  outflows30d: number;
  inflows30d: number;
  availableStableFunding: number | null;
  requiredStableFunding: number | null;
}

/** Stores the treasury's position as of an instant (a resend of the same instant replaces its figures). */
export async function storeLiquidityWithin(ctx: CommandContext, tenantId: string, p: LiquidityFields, counted: Counted): Promise<void> {
  const asOf = toIso(p.asOf);
  const values = {
    hqla_level1: p.level1,
    hqla_level2a: p.level2a,
    hqla_level2b: p.level2b,
    outflows_30d: p.outflows30d,
    inflows_30d: p.inflows30d,
    available_stable_funding: p.availableStableFunding,
    required_stable_funding: p.requiredStableFunding,
    currency: p.currency,
  };
  const before = await ctx.trx.selectFrom('liquidity_positions').selectAll().where('tenant_id', '=', tenantId).where('as_of', '=', asOf).executeTakeFirst();
  const shown = { ...p, asOf };
  if (!before) {
    const id = ctx.newId();
    await ctx.trx
      .insertInto('liquidity_positions')
      .values({ id, tenant_id: tenantId, as_of: asOf, ...values, created_at: ctx.now.toISOString(), version: 1, deleted_at: null })
      .execute();
    record(ctx, 'liquidity_position', tenantId, id, 1, null, shown);
    counted.created += 1;
    return;
  }
  const version = before.version + 1;
  await ctx.trx
    .updateTable('liquidity_positions')
    .set({ ...values, version })
    .where('id', '=', before.id)
    .execute();
  record(
    ctx,
    'liquidity_position',
    tenantId,
    before.id,
    version,
    {
      level1: before.hqla_level1,
      level2a: before.hqla_level2a,
      level2b: before.hqla_level2b,
      outflows30d: before.outflows_30d,
      inflows30d: before.inflows_30d,
    },
    shown,
  );
  counted.updated += 1;
}

/** Stores the FX book as of an instant: one row per currency; a resend of the instant replaces it. */
export async function storeFxPositionsWithin(
  ctx: CommandContext,
  tenantId: string,
  asOfInput: string,
  capital: number | null,
  positions: ReadonlyArray<{ currency: string; long: number; short: number }>,
  counted: Counted,
): Promise<void> {
  const asOf = toIso(asOfInput);
  const existing = await ctx.trx.selectFrom('fx_positions').selectAll().where('tenant_id', '=', tenantId).where('as_of', '=', asOf).execute();
  const byCurrency = new Map(existing.map((r) => [r.currency, r]));
  for (const p of positions) {
    const before = byCurrency.get(p.currency);
    byCurrency.delete(p.currency);
    const after = { asOf, currency: p.currency, long: p.long, short: p.short, capital };
    if (!before) {
      const id = ctx.newId();
      await ctx.trx
        .insertInto('fx_positions')
        .values({
          id,
          tenant_id: tenantId,
          as_of: asOf,
          currency: p.currency,
          long_position: p.long,
          short_position: p.short,
          capital,
          created_at: ctx.now.toISOString(),
          version: 1,
          deleted_at: null,
        })
        .execute();
      record(ctx, 'fx_position', tenantId, id, 1, null, after);
      counted.created += 1;
      continue;
    }
    const version = before.version + 1;
    await ctx.trx
      .updateTable('fx_positions')
      .set({ long_position: p.long, short_position: p.short, capital, version, deleted_at: null })
      .where('id', '=', before.id)
      .execute();
    record(ctx, 'fx_position', tenantId, before.id, version, { long: before.long_position, short: before.short_position, capital: before.capital }, after);
    counted.updated += 1;
  }
  // A currency the resent book no longer holds is closed out (tombstone, rule 5).
  for (const gone of byCurrency.values()) {
    if (gone.deleted_at !== null) continue;
    const version = gone.version + 1;
    await ctx.trx.updateTable('fx_positions').set({ deleted_at: ctx.now.toISOString(), version }).where('id', '=', gone.id).execute();
    ctx.audit({ entityType: 'fx_position', entityId: gone.id, before: { currency: gone.currency }, after: null, tenantId });
    ctx.change({ entityType: 'fx_position', entityId: gone.id, operation: 'delete', version, data: null });
    counted.updated += 1;
  }
}

export interface AmlCaseFields {
  caseId: string;
  status: string;
  riskScore?: number | undefined;
  assignedTo?: string | undefined;
}

/** Creates or updates an AML case; `open` follows its status (shared/src/risk-data.ts). */
export async function upsertAmlCaseWithin(ctx: CommandContext, tenantId: string, c: AmlCaseFields, counted: Counted): Promise<void> {
  const open = amlCaseIsOpen(c.status);
  const now = ctx.now.toISOString();
  const before = await ctx.trx.selectFrom('aml_cases').selectAll().where('tenant_id', '=', tenantId).where('case_id', '=', c.caseId).executeTakeFirst();
  const after = { caseId: c.caseId, status: c.status, open, riskScore: c.riskScore ?? null, assignedTo: c.assignedTo ?? null };
  if (!before) {
    const id = ctx.newId();
    await ctx.trx
      .insertInto('aml_cases')
      .values({
        id,
        tenant_id: tenantId,
        case_id: c.caseId,
        status: c.status,
        open: dbBool(ctx.dialect, open),
        risk_score: c.riskScore ?? null,
        assigned_to: c.assignedTo ?? null,
        created_at: now,
        updated_at: now,
        version: 1,
        deleted_at: null,
      })
      .execute();
    record(ctx, 'aml_case', tenantId, id, 1, null, after);
    counted.created += 1;
    return;
  }
  const riskScore = c.riskScore ?? (before.risk_score === null ? null : Number(before.risk_score));
  const assignedTo = c.assignedTo ?? before.assigned_to;
  if (before.status === c.status && riskScore === (before.risk_score === null ? null : Number(before.risk_score)) && assignedTo === before.assigned_to) {
    counted.unchanged += 1;
    return;
  }
  const version = before.version + 1;
  await ctx.trx
    .updateTable('aml_cases')
    .set({ status: c.status, open: dbBool(ctx.dialect, open), risk_score: riskScore, assigned_to: assignedTo, updated_at: now, version })
    .where('id', '=', before.id)
    .execute();
  record(
    ctx,
    'aml_case',
    tenantId,
    before.id,
    version,
    { status: before.status, riskScore: before.risk_score, assignedTo: before.assigned_to },
    { ...after, riskScore, assignedTo },
  );
  counted.updated += 1;
}

/** Creates or updates a sanctions screening; `pending` = matches waiting for review. */
export async function upsertScreeningWithin(
  ctx: CommandContext,
  tenantId: string,
  s: { screeningId: string; matchCount: number; status: string },
  counted: Counted,
): Promise<void> {
  const pending = screeningIsPending(s.status, s.matchCount);
  const now = ctx.now.toISOString();
  const before = await ctx.trx
    .selectFrom('sanctions_screenings')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('screening_id', '=', s.screeningId)
    .executeTakeFirst();
  const after = { screeningId: s.screeningId, matchCount: s.matchCount, status: s.status, pending };
  if (!before) {
    const id = ctx.newId();
    await ctx.trx
      .insertInto('sanctions_screenings')
      .values({
        id,
        tenant_id: tenantId,
        screening_id: s.screeningId,
        match_count: s.matchCount,
        status: s.status,
        pending: dbBool(ctx.dialect, pending),
        created_at: now,
        updated_at: now,
        version: 1,
        deleted_at: null,
      })
      .execute();
    record(ctx, 'sanctions_screening', tenantId, id, 1, null, after);
    counted.created += 1;
    return;
  }
  if (before.status === s.status && Number(before.match_count) === s.matchCount) {
    counted.unchanged += 1;
    return;
  }
  const version = before.version + 1;
  await ctx.trx
    .updateTable('sanctions_screenings')
    .set({ match_count: s.matchCount, status: s.status, pending: dbBool(ctx.dialect, pending), updated_at: now, version })
    .where('id', '=', before.id)
    .execute();
  record(ctx, 'sanctions_screening', tenantId, before.id, version, { matchCount: before.match_count, status: before.status }, after);
  counted.updated += 1;
}

/**
 * A compliance snapshot (seed 000's sync lists the open cases and the screenings pending review):
 * an open case or a pending screening it no longer lists is over, and is marked so.
 */
export async function closeUnlistedWithin(
  ctx: CommandContext,
  tenantId: string,
  listedCases: readonly string[],
  listedScreenings: readonly string[],
  counted: Counted,
): Promise<void> {
  const cases = await ctx.trx.selectFrom('aml_cases').select(['case_id', 'status', 'open']).where('tenant_id', '=', tenantId).execute();
  const listed = new Set(listedCases);
  for (const c of cases) {
    if (listed.has(c.case_id) || !(c.open === true || c.open === 1)) continue;
    await upsertAmlCaseWithin(ctx, tenantId, { caseId: c.case_id, status: 'Closed' }, counted);
  }
  const screenings = await ctx.trx
    .selectFrom('sanctions_screenings')
    .select(['screening_id', 'match_count', 'pending'])
    .where('tenant_id', '=', tenantId)
    .execute();
  const listedS = new Set(listedScreenings);
  for (const s of screenings) {
    if (listedS.has(s.screening_id) || !(s.pending === true || s.pending === 1)) continue;
    await upsertScreeningWithin(ctx, tenantId, { screeningId: s.screening_id, matchCount: Number(s.match_count), status: 'Reviewed' }, counted);
  }
}

/** Stores transaction outcomes by the bank's transaction id (a later outcome of the same transaction replaces the earlier). */
export async function storeOutcomesWithin(
  ctx: CommandContext,
  tenantId: string,
  outcomes: ReadonlyArray<{ transactionId: string; occurredAt: string; failed: boolean; reason?: string | undefined }>,
  counted: Counted,
): Promise<void> {
  for (const chunk of chunks(outcomes, 500)) {
    const existing = await ctx.trx
      .selectFrom('transaction_outcomes')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where(
        'transaction_id',
        'in',
        chunk.map((o) => o.transactionId),
      )
      .execute();
    const byId = new Map(existing.map((r) => [r.transaction_id, r]));
    for (const o of chunk) {
      const occurredAt = toIso(o.occurredAt);
      const after = { transactionId: o.transactionId, occurredAt, failed: o.failed, reason: o.reason ?? null };
      const before = byId.get(o.transactionId);
      if (!before) {
        const id = ctx.newId();
        await ctx.trx
          .insertInto('transaction_outcomes')
          .values({
            id,
            tenant_id: tenantId,
            transaction_id: o.transactionId,
            occurred_at: occurredAt,
            failed: dbBool(ctx.dialect, o.failed),
            reason: o.reason ?? null,
            created_at: ctx.now.toISOString(),
            version: 1,
            deleted_at: null,
          })
          .execute();
        record(ctx, 'transaction_outcome', tenantId, id, 1, null, after);
        counted.created += 1;
        continue;
      }
      const wasFailed = before.failed === true || before.failed === 1;
      if (wasFailed === o.failed && toIso(before.occurred_at) === occurredAt && (before.reason ?? null) === (o.reason ?? null)) {
        counted.unchanged += 1;
        continue;
      }
      const version = before.version + 1;
      await ctx.trx
        .updateTable('transaction_outcomes')
        .set({ occurred_at: occurredAt, failed: dbBool(ctx.dialect, o.failed), reason: o.reason ?? null, version })
        .where('id', '=', before.id)
        .execute();
      record(ctx, 'transaction_outcome', tenantId, before.id, version, { failed: wasFailed, occurredAt: toIso(before.occurred_at) }, after);
      counted.updated += 1;
    }
  }
}
