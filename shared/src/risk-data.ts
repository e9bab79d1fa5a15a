import { z } from 'zod';
import { TenantId } from './tenants.ts';
import { BoundedInstant, NoteText, PlainText } from './text.ts';
import { CurrencyCode } from './currencies.ts';

/**
 * What the bank's systems feed the risk workstation (seed 000 "Integration Points" and "API
 * Integration Examples"), as machine clients with the CORE_BANKING role. Every body may name the
 * tenant it is for (`tenantId`); a client that feeds one tenant may leave it out. Amounts are in
 * the reporting currency (KES) unless a field says otherwise.
 */

const Id = (what: string) => PlainText(100).min(1, `the ${what} is required`);
const Amount = z.number().finite().nonnegative();
const OptionalTenant = { tenantId: TenantId.optional() };

/** Seed 000 severities ("High"), any letter case. */
export const IncomingSeverity = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']));
export type IncomingSeverity = z.output<typeof IncomingSeverity>;

/**
 * Seed 000 Example 2, POST /api/integration/operational/incident. The seed's body spells the
 * downtime `"downtime Minutes"` (with a space); `downtimeMinutes` is accepted too — both given
 * must agree.
 */
export const OperationalIncidentInput = z
  .object({
    ...OptionalTenant,
    /** The bank's own id of the incident; a repeat of it is the same incident (idempotency). */
    incidentId: PlainText(100).min(1).optional(),
    incidentType: PlainText(100).min(1, 'the incident type is required, e.g. SystemOutage'),
    severity: IncomingSeverity,
    affectedSystem: PlainText(200).optional(),
    'downtime Minutes': z.number().int().min(0).max(527_040).optional(),
    downtimeMinutes: z.number().int().min(0).max(527_040).optional(),
    financialImpact: Amount.optional(),
    currency: CurrencyCode.default('KES'),
    description: NoteText(4000).min(1, 'describe the incident'),
    occurredAt: BoundedInstant.optional(),
  })
  .superRefine((v, ctx) => {
    if (v['downtime Minutes'] !== undefined && v.downtimeMinutes !== undefined && v['downtime Minutes'] !== v.downtimeMinutes) {
      ctx.addIssue({ code: 'custom', path: ['downtimeMinutes'], message: 'differs from "downtime Minutes": send one of them' });
    }
  })
  .transform(({ 'downtime Minutes': spaced, downtimeMinutes, ...rest }) => ({ ...rest, downtimeMinutes: downtimeMinutes ?? spaced ?? null }));
export type OperationalIncidentInput = z.output<typeof OperationalIncidentInput>;

/** Statuses the bank's AML system uses for a case that is over (any case, spaces and underscores ignored). */
const CLOSED_AML = new Set(['closed', 'resolved', 'dismissed', 'cleared', 'falsepositive', 'rejected', 'reported', 'filed']);
/** Statuses of a sanctions screening whose matches still wait for a reviewer. */
const PENDING_SCREENING = new Set(['pendingreview', 'pending', 'open', 'underreview', 'escalated']);
const squash = (status: string) => status.toLowerCase().replace(/[\s_-]/g, '');
export const amlCaseIsOpen = (status: string) => !CLOSED_AML.has(squash(status));
export const screeningIsPending = (status: string, matchCount: number) => matchCount > 0 && PENDING_SCREENING.has(squash(status));

export const AmlCaseInput = z.object({
  caseId: Id('case id'),
  status: PlainText(50).min(1),
  riskScore: z.number().finite().min(0).max(100).optional(),
  assignedTo: PlainText(200).optional(),
});
export const SanctionsScreeningInput = z.object({
  screeningId: Id('screening id'),
  matchCount: z.number().int().min(0).max(100_000),
  status: PlainText(50).min(1),
});

/**
 * Seed 000 Example 3, POST /api/integration/compliance/sync. The seed's sync sends the open AML
 * cases and the screenings pending review: by default (`mode: SNAPSHOT`) a case or screening of
 * the tenant that the sync no longer lists is taken as closed / reviewed. `DELTA` only upserts.
 */
export const ComplianceSyncInput = z
  .object({
    ...OptionalTenant,
    mode: z.enum(['SNAPSHOT', 'DELTA']).default('SNAPSHOT'),
    amlCases: z.array(AmlCaseInput).max(10_000).default([]),
    sanctionsScreenings: z.array(SanctionsScreeningInput).max(10_000).default([]),
  })
  .superRefine((v, ctx) => {
    duplicates(
      v.amlCases.map((c) => c.caseId),
      'amlCases',
      'caseId',
      ctx,
    );
    duplicates(
      v.sanctionsScreenings.map((s) => s.screeningId),
      'sanctionsScreenings',
      'screeningId',
      ctx,
    );
  });
export type ComplianceSyncInput = z.output<typeof ComplianceSyncInput>;

function duplicates(ids: string[], list: string, field: string, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const [i, id] of ids.entries()) {
    if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [list, i, field], message: `${id} is listed twice` });
    seen.add(id);
  }
}

export const LoanStatus = z.enum(['ACTIVE', 'DEFAULTED', 'CLOSED', 'WRITTEN_OFF']);
export type LoanStatus = z.infer<typeof LoanStatus>;

export const LoanInput = z.object({
  loanId: Id('loan id'),
  customerId: Id('customer id'),
  /** Seed 000 groups the portfolio by `Industry`: the economic sector of the borrower. */
  sector: PlainText(100).min(1, 'the sector is required'),
  outstandingBalance: Amount,
  daysPastDue: z.number().int().min(0).max(100_000).default(0),
  collateralValue: Amount.default(0),
  /** Specific loan-loss provision held against this loan. */
  provision: Amount.default(0),
  status: LoanStatus.default('ACTIVE'),
  disbursedAt: BoundedInstant.optional(),
});
export type LoanInput = z.output<typeof LoanInput>;

/** POST /api/integration/credit/loans: loans created or updated by the bank's loan id (a partial list is fine). */
export const LoanBatchInput = z.object({ ...OptionalTenant, loans: z.array(LoanInput).min(1, 'send at least one loan').max(5000) }).superRefine((v, ctx) =>
  duplicates(
    v.loans.map((l) => l.loanId),
    'loans',
    'loanId',
    ctx,
  ),
);
export type LoanBatchInput = z.output<typeof LoanBatchInput>;

/** POST /api/integration/liquidity/positions: one treasury position (seed 000 §4), its 30-day stress flows and, where known, stable funding. */
export const LiquidityPositionInput = z
  .object({
    ...OptionalTenant,
    asOf: BoundedInstant,
    currency: CurrencyCode.default('KES'),
    /** High-quality liquid assets at market value, before the Basel haircuts. */
    hqla: z.object({ level1: Amount, level2a: Amount.default(0), level2b: Amount.default(0) }),
    outflows30d: z.number().finite().positive('must be above 0: the LCR divides by the net outflows'),
    inflows30d: Amount,
    availableStableFunding: Amount.optional(),
    requiredStableFunding: z.number().finite().positive().optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.availableStableFunding === undefined) !== (v.requiredStableFunding === undefined)) {
      const missing = v.availableStableFunding === undefined ? 'availableStableFunding' : 'requiredStableFunding';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'the NSFR needs both available and required stable funding' });
    }
  });
export type LiquidityPositionInput = z.output<typeof LiquidityPositionInput>;

/** POST /api/integration/market/fx-positions: the treasury's FX book at one instant, in KES equivalent. */
export const FxPositionsInput = z
  .object({
    ...OptionalTenant,
    asOf: BoundedInstant,
    /** Core capital, so the open position can be shown as its share (the usual limit is 10 % or so). */
    capital: z.number().finite().positive().optional(),
    positions: z
      .array(z.object({ currency: CurrencyCode, long: Amount, short: Amount }))
      .min(1, 'send at least one currency')
      .max(300),
  })
  .superRefine((v, ctx) => {
    duplicates(
      v.positions.map((p) => p.currency),
      'positions',
      'currency',
      ctx,
    );
    for (const [i, p] of v.positions.entries()) {
      if (p.currency === 'KES')
        ctx.addIssue({ code: 'custom', path: ['positions', i, 'currency'], message: 'KES is the reporting currency: it has no open position' });
    }
  });
export type FxPositionsInput = z.output<typeof FxPositionsInput>;

/** POST /api/integration/transactions/outcomes: how transactions ended, for the failure-rate KRI (seed 000 §2). */
export const TransactionOutcomesInput = z
  .object({
    ...OptionalTenant,
    outcomes: z
      .array(
        z.object({
          transactionId: Id('transaction id'),
          occurredAt: BoundedInstant,
          status: z.enum(['SUCCEEDED', 'FAILED']),
          reason: PlainText(500).optional(),
        }),
      )
      .min(1, 'send at least one outcome')
      .max(10_000),
  })
  .superRefine((v, ctx) =>
    duplicates(
      v.outcomes.map((o) => o.transactionId),
      'outcomes',
      'transactionId',
      ctx,
    ),
  );
export type TransactionOutcomesInput = z.output<typeof TransactionOutcomesInput>;

export const PortfolioRiskQuery = z.object({ ...OptionalTenant });

export const RiskModelName = z.enum(['CREDIT', 'LIQUIDITY', 'MARKET']);
export type RiskModelName = z.infer<typeof RiskModelName>;

/**
 * What one delivery did. A repeat (same Idempotency-Key, natural id or eventId) answers this same
 * result again, with the header `Idempotent-Replayed: true`.
 */
export const IngestResult = z.object({
  ingestionId: z.uuid(),
  type: z.string(),
  tenantId: z.string(),
  idempotencyKey: z.string(),
  receivedAt: z.string(),
  records: z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() }),
  riskEventIds: z.array(z.string()),
  riskIds: z.array(z.string()),
  modelRuns: z.array(z.object({ model: RiskModelName, runId: z.string() })),
  kriMeasurements: z.array(z.object({ kriId: z.string(), metric: z.string(), value: z.number(), status: z.string() })),
  notes: z.array(z.string()),
});
export type IngestResult = z.infer<typeof IngestResult>;
