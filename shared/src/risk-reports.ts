import { z } from 'zod';
import { TenantId } from './tenants.ts';
import { BoundedInstant, PlainText } from './text.ts';

/**
 * Reports on the risk register (issue 13): CSV/XLSX import with a preview, CSV/XLSX export of
 * risks, controls and KRIs, the board risk report (PDF) and the enterprise overview for
 * executives. Imports go through the same commands as the API (ARCHITECTURE.md rule 1).
 */

export const RegisterKind = z.enum(['risks', 'controls', 'kris']);
export type RegisterKind = z.infer<typeof RegisterKind>;

export const SheetFormat = z.enum(['csv', 'xlsx']);
export type SheetFormat = z.infer<typeof SheetFormat>;

/** Largest import file accepted (a register of a few thousand rows is well under this). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** Most data rows one import takes (every row is one command in one transaction). */
export const MAX_IMPORT_ROWS = 5000;
/** How long a preview can be committed after it was made. */
export const IMPORT_PREVIEW_TTL_HOURS = 24;

export const ImportPreviewInput = z.object({
  /** The tenant the imported rows belong to (a Tenant column, when present, must name it). */
  tenantId: TenantId,
  kind: RegisterKind,
  format: SheetFormat,
  /** The file, base64-encoded (CSV as saved or pasted from Excel, or an .xlsx workbook). */
  contentBase64: z
    .base64()
    .min(1, 'the file is empty')
    .max(Math.ceil(MAX_IMPORT_BYTES / 3) * 4 + 4, `at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB`),
  fileName: PlainText(200).optional(),
});
export type ImportPreviewInput = z.infer<typeof ImportPreviewInput>;

/** One problem of one row: the spreadsheet row number (the header is row 1), the column and what is wrong. */
export const ImportRowError = z.object({
  row: z.number().int().positive(),
  column: z.string(),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof ImportRowError>;

export const ImportRowStatus = z.enum(['VALID', 'INVALID', 'DUPLICATE']);
export type ImportRowStatus = z.infer<typeof ImportRowStatus>;

export const ImportPreviewRow = z.object({
  row: z.number().int().positive(),
  status: ImportRowStatus,
  /** The cleaned values by column header, as they would be stored (owner shown by display name). */
  values: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  /** For a DUPLICATE: the reference of the record it repeats (same reference, or same title/name). */
  duplicateOf: z.string().nullable(),
  errors: z.array(ImportRowError),
});
export type ImportPreviewRow = z.infer<typeof ImportPreviewRow>;

/** A file previewed for import; only a preview without INVALID rows can be committed. */
export const ImportPreview = z.object({
  /** Names the stored upload and its parameters; commit it with POST /api/v1/risk-imports/{previewId}/commit. */
  previewId: z.string(),
  tenantId: z.string(),
  kind: RegisterKind,
  format: SheetFormat,
  fileName: z.string().nullable(),
  columns: z.array(z.string()),
  rows: z.array(ImportPreviewRow),
  /** Every problem of the file, row by row (also on each row). */
  errors: z.array(ImportRowError),
  counts: z.object({ total: z.number().int(), valid: z.number().int(), invalid: z.number().int(), duplicate: z.number().int() }),
  /** True when nothing is INVALID and at least one row is VALID. */
  canCommit: z.boolean(),
  expiresAt: z.iso.datetime(),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const ImportPreviewId = z.string().regex(/^[0-9a-f]{64}$/, 'a previewId from POST /api/v1/risk-imports/preview');
export const ImportCommitParams = z.object({ previewId: ImportPreviewId });
export const ImportCommitInput = z.object({ tenantId: TenantId });
export type ImportCommitInput = z.infer<typeof ImportCommitInput>;

export const ImportCommitResult = z.object({
  previewId: z.string(),
  kind: RegisterKind,
  tenantId: z.string(),
  /** The records created, in file order. */
  created: z.array(z.object({ row: z.number().int(), id: z.uuid(), reference: z.string() })),
  /** DUPLICATE rows left alone. */
  skippedDuplicates: z.number().int(),
});
export type ImportCommitResult = z.infer<typeof ImportCommitResult>;

export const RegisterExportQuery = z.object({ format: SheetFormat.default('csv') });

export const DEFAULT_REPORT_DAYS = 90;
export const MAX_REPORT_DAYS = 731;

/** A reporting period; both ends default from the service clock (to = now, from = to − 90 days). */
export const ReportPeriodQuery = z
  .object({ from: BoundedInstant.optional(), to: BoundedInstant.optional() })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { path: ['from'], message: 'must be before to' })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= MAX_REPORT_DAYS * 86_400_000, {
    path: ['to'],
    message: `the period is at most ${MAX_REPORT_DAYS} days`,
  });
export type ReportPeriodQuery = z.infer<typeof ReportPeriodQuery>;

/** How many risks the overview and the board report rank. */
export const TOP_RISK_COUNT = 10;

const MatrixAxis = z.array(z.object({ value: z.number().int(), name: z.string() }));
export const OverviewLevel = z.object({ key: z.string(), name: z.string(), colour: z.string() });
export type OverviewLevel = z.infer<typeof OverviewLevel>;

export const OverviewRisk = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  reference: z.string(),
  title: z.string(),
  category: z.string(),
  status: z.string(),
  businessUnit: z.string().nullable(),
  ownerName: z.string().nullable(),
  inherentScore: z.number().nullable(),
  inherentLevel: z.string().nullable(),
  residualScore: z.number().nullable(),
  residualLevel: z.string().nullable(),
  nextReviewAt: z.string().nullable(),
  reviewOverdue: z.boolean(),
});
export type OverviewRisk = z.infer<typeof OverviewRisk>;

export const OverviewKri = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  reference: z.string(),
  name: z.string(),
  unit: z.string(),
  direction: z.string(),
  status: z.enum(['WARNING', 'CRITICAL']),
  lastValue: z.number().nullable(),
  lastMeasuredAt: z.string().nullable(),
  thresholdWarning: z.number(),
  thresholdCritical: z.number(),
  ownerName: z.string().nullable(),
});
export type OverviewKri = z.infer<typeof OverviewKri>;

export const MoneyTotal = z.object({ currency: z.string(), amount: z.number() });
export type MoneyTotal = z.infer<typeof MoneyTotal>;

export const OverviewEvent = z.object({
  id: z.uuid(),
  reference: z.string(),
  title: z.string(),
  type: z.string(),
  severity: z.string(),
  occurredAt: z.string(),
  financialImpact: z.number().nullable(),
  currency: z.string().nullable(),
  riskReference: z.string().nullable(),
});
export type OverviewEvent = z.infer<typeof OverviewEvent>;

/** The enterprise view for executives (issue 13 "Screens") and the data of the board report. */
export const RiskOverview = z.object({
  asOf: z.iso.datetime(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  /** The current risk matrix (axes and levels); null before one exists. */
  matrix: z
    .object({
      versionNumber: z.number().int(),
      likelihood: MatrixAxis,
      impact: MatrixAxis,
      levels: z.array(OverviewLevel),
      cells: z.array(z.array(z.number().int())),
    })
    .nullable(),
  /** Open (not CLOSED) risks per cell: counts[likelihood − 1][impact − 1]. */
  heatMap: z.object({ inherent: z.array(z.array(z.number().int())), residual: z.array(z.array(z.number().int())) }),
  totals: z.object({
    openRisks: z.number().int(),
    reviewOverdue: z.number().int(),
    /** Open risks by residual level (levels of the current matrix, then any other level seen). */
    byResidualLevel: z.array(OverviewLevel.extend({ count: z.number().int() })),
    krisInBreach: z.number().int(),
    events: z.number().int(),
    losses: z.array(MoneyTotal),
  }),
  topRisks: z.array(OverviewRisk),
  krisInBreach: z.array(OverviewKri),
  /**
   * Per week (Monday 00:00 UTC) of the period: open risks by residual level as of the week's end, from
   * the assessment history; a week ending now or later reads the current residual levels.
   */
  trend: z.array(z.object({ weekStart: z.iso.datetime(), weekEnd: z.iso.datetime(), counts: z.record(z.string(), z.number().int()) })),
  /** Per week of the period: risk events that occurred, and their financial impact by currency. */
  eventsByWeek: z.array(z.object({ weekStart: z.iso.datetime(), events: z.number().int(), losses: z.array(MoneyTotal) })),
  /** The period's events with a financial impact or a CRITICAL/HIGH severity, largest first (at most 20). */
  notableEvents: z.array(OverviewEvent),
});
export type RiskOverview = z.infer<typeof RiskOverview>;
