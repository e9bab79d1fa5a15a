import { z } from 'zod';
import { KriMetricKey, KriScheduleGroup } from './kri-metrics.ts';
import { BoundedInstant, NoteText, PlainText } from './text.ts';
import { TenantId } from './tenants.ts';

/**
 * Key risk indicators (issue 13 "KRIs", seed 000's model): a number measured by hand or by the
 * service on a schedule, judged against a warning and a critical threshold in the KRI's direction.
 * A KRI not measured within its frequency plus a grace period is stale.
 */

export const KriDirection = z.enum(['HIGHER_IS_WORSE', 'HIGHER_IS_BETTER']);
export type KriDirection = z.infer<typeof KriDirection>;

export const KriFrequency = z.enum(['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'QUARTERLY']);
export type KriFrequency = z.infer<typeof KriFrequency>;

/** How long one period of each frequency is, in hours (a month 31 days, a quarter 92: the longest ones). */
export const KRI_FREQUENCY_HOURS: Record<KriFrequency, number> = { HOURLY: 1, DAILY: 24, WEEKLY: 168, MONTHLY: 744, QUARTERLY: 2208 };
/** The grace period a KRI gets when its creator names none. */
export const DEFAULT_KRI_GRACE_HOURS: Record<KriFrequency, number> = { HOURLY: 1, DAILY: 6, WEEKLY: 24, MONTHLY: 72, QUARTERLY: 168 };

export const KriStatus = z.enum(['OK', 'WARNING', 'CRITICAL', 'NO_DATA']);
export type KriStatus = z.infer<typeof KriStatus>;
export const KriMeasurementStatus = KriStatus.exclude(['NO_DATA']);
export type KriMeasurementStatus = z.infer<typeof KriMeasurementStatus>;

export const KriMeasurementMode = z.enum(['MANUAL', 'AUTOMATIC']);
export type KriMeasurementMode = z.infer<typeof KriMeasurementMode>;
export const KriMeasurementSource = z.enum(['MANUAL', 'AUTOMATIC', 'INTEGRATION']);
export type KriMeasurementSource = z.infer<typeof KriMeasurementSource>;

/**
 * A measurement's status: "beyond a threshold" (issue 13) is strictly past it in the KRI's
 * direction, as seed 000 compares (`concentration > ThresholdCritical`); a value equal to the
 * warning threshold is still OK.
 */
export function evaluateKri(direction: KriDirection, thresholdWarning: number, thresholdCritical: number, value: number): KriMeasurementStatus {
  if (direction === 'HIGHER_IS_WORSE') {
    if (value > thresholdCritical) return 'CRITICAL';
    return value > thresholdWarning ? 'WARNING' : 'OK';
  }
  if (value < thresholdCritical) return 'CRITICAL';
  return value < thresholdWarning ? 'WARNING' : 'OK';
}

/** Why a pair of thresholds does not fit a direction, or null when it does. */
export function thresholdProblem(direction: KriDirection, thresholdWarning: number, thresholdCritical: number): string | null {
  if (direction === 'HIGHER_IS_WORSE' && !(thresholdCritical > thresholdWarning)) {
    return `must be above the warning threshold (${thresholdWarning}) when higher is worse`;
  }
  if (direction === 'HIGHER_IS_BETTER' && !(thresholdCritical < thresholdWarning)) {
    return `must be below the warning threshold (${thresholdWarning}) when higher is better`;
  }
  return null;
}

/** The instant after which a KRI counts as stale: its last measurement (or creation) + frequency + grace. */
export function kriStaleAfter(frequency: KriFrequency, graceHours: number, lastMeasuredAt: string | null, createdAt: string): string {
  const from = Date.parse(lastMeasuredAt ?? createdAt);
  return new Date(from + (KRI_FREQUENCY_HOURS[frequency] + graceHours) * 3_600_000).toISOString();
}

/** Five-field cron (minute hour day month weekday), e.g. seed 000's "0 *\/6 * * *"; checked further by the service. */
export const KriCron = z
  .string()
  .trim()
  .max(100)
  .regex(/^\S+( \S+){4}$/, 'a five-field cron string, e.g. "0 */6 * * *"');

const ThresholdValue = z.number().finite().min(-1e12).max(1e12);

const KriFields = z.object({
  name: PlainText(200).pipe(z.string().min(3, 'at least 3 characters')),
  description: NoteText(2000).default(''),
  unit: PlainText(40).pipe(z.string().min(1, 'name the unit, e.g. "%" or "cases"')),
  direction: KriDirection,
  thresholdWarning: ThresholdValue,
  thresholdCritical: ThresholdValue,
  frequency: KriFrequency,
  /** Hours past the frequency before the KRI counts as stale; default by frequency (DEFAULT_KRI_GRACE_HOURS). */
  graceHours: z.number().int().min(0).max(8760).optional(),
  dataSource: PlainText(200).default(''),
  /** The user who answers for the KRI (users.id); defaults to its creator. */
  ownerId: z.uuid().optional(),
  measurement: KriMeasurementMode.default('MANUAL'),
  /** What an AUTOMATIC KRI measures (GET /api/v1/kri-metrics). */
  metric: KriMetricKey.nullable().optional(),
  /** Overrides the metric's group schedule (seed 000's crons) for this KRI. */
  schedule: KriCron.nullable().optional(),
  riskIds: z.array(z.uuid()).max(50).default([]),
});

/** Direction, thresholds and measurement mode must agree; each problem names its field. */
function checkKri(value: z.output<typeof KriFields>, ctx: z.RefinementCtx) {
  const problem = thresholdProblem(value.direction, value.thresholdWarning, value.thresholdCritical);
  if (problem) ctx.addIssue({ code: 'custom', path: ['thresholdCritical'], message: problem });
  if (value.measurement === 'AUTOMATIC' && !value.metric)
    ctx.addIssue({ code: 'custom', path: ['metric'], message: 'an automatic KRI needs the metric it measures' });
  if (value.measurement === 'MANUAL' && value.metric) ctx.addIssue({ code: 'custom', path: ['metric'], message: 'only an automatic KRI measures a metric' });
  if (value.measurement === 'MANUAL' && value.schedule) ctx.addIssue({ code: 'custom', path: ['schedule'], message: 'only an automatic KRI has a schedule' });
  if (new Set(value.riskIds).size !== value.riskIds.length) ctx.addIssue({ code: 'custom', path: ['riskIds'], message: 'each risk once' });
}

export const KriCreateInput = KriFields.safeExtend({ tenantId: TenantId }).superRefine(checkKri);
export type KriCreateInput = z.input<typeof KriCreateInput>;

/** An edit restates every field (the form sends the whole KRI) and the version it was based on. */
export const KriUpdateInput = KriFields.safeExtend({ expectedVersion: z.number().int().positive() }).superRefine(checkKri);
export type KriUpdateInput = z.input<typeof KriUpdateInput>;

export const KriDeleteQuery = z.object({ expectedVersion: z.coerce.number().int().positive(), reason: NoteText(300).optional() });

export const KriRiskLink = z.object({ id: z.uuid(), reference: z.string(), title: z.string(), ownerId: z.string().nullable() });

export const Kri = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  reference: z.string(),
  name: z.string(),
  description: z.string(),
  unit: z.string(),
  direction: KriDirection,
  thresholdWarning: z.number(),
  thresholdCritical: z.number(),
  frequency: KriFrequency,
  graceHours: z.number().int(),
  dataSource: z.string(),
  measurement: KriMeasurementMode,
  metric: KriMetricKey.nullable(),
  schedule: z.string().nullable(),
  /** The cron it is measured by: its own schedule, else its metric group's (null for manual KRIs). */
  effectiveSchedule: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  riskIds: z.array(z.uuid()),
  risks: z.array(KriRiskLink),
  lastValue: z.number().nullable(),
  lastMeasuredAt: z.iso.datetime().nullable(),
  status: KriStatus,
  /** Not measured within frequency + grace, as of the service's clock. */
  stale: z.boolean(),
  staleAfter: z.iso.datetime(),
  /** The OPEN KRI_BREACH risk event of this KRI, if any. */
  openEventId: z.uuid().nullable(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  updatedBy: z.string(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type Kri = z.infer<typeof Kri>;

export const KriListQuery = z.object({
  tenantId: TenantId.optional(),
  status: KriStatus.optional(),
  stale: z.enum(['true', 'false']).optional(),
  riskId: z.uuid().optional(),
  measurement: KriMeasurementMode.optional(),
  q: PlainText(100).optional(),
});
export type KriListQuery = z.infer<typeof KriListQuery>;

export const KriList = z.object({
  kris: z.array(Kri),
  counts: z.object({ OK: z.number().int(), WARNING: z.number().int(), CRITICAL: z.number().int(), NO_DATA: z.number().int(), stale: z.number().int() }),
});
export type KriList = z.infer<typeof KriList>;

export const KriMeasurementInput = z.object({
  value: z.number().finite().min(-1e15).max(1e15),
  /** When the value was true; default now. Earlier than the newest measurement = a backfill, which needs a note. */
  measuredAt: BoundedInstant.optional(),
  note: NoteText(1000).optional(),
});
export type KriMeasurementInput = z.input<typeof KriMeasurementInput>;

export const KriMeasurement = z.object({
  id: z.uuid(),
  kriId: z.uuid(),
  value: z.number(),
  measuredAt: z.iso.datetime(),
  status: KriMeasurementStatus,
  note: z.string().nullable(),
  source: KriMeasurementSource,
  /** What an automatic measurement was computed from (KriMetric inputs). */
  inputs: z.record(z.string(), z.unknown()).nullable(),
  recordedBy: z.string(),
  recordedAt: z.iso.datetime(),
  /** Recorded after a newer measurement existed: history only, it did not change the KRI's status. */
  backfill: z.boolean(),
});
export type KriMeasurement = z.infer<typeof KriMeasurement>;

export const KriMeasurementsQuery = z.object({
  from: BoundedInstant.optional(),
  to: BoundedInstant.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

/** Measurements oldest first (chart order), the newest `limit` of the window. */
export const KriMeasurementList = z.object({ kriId: z.uuid(), measurements: z.array(KriMeasurement) });
export type KriMeasurementList = z.infer<typeof KriMeasurementList>;

/** What POST measurements answers: the measurement and the KRI after it. */
export const KriMeasurementRecorded = z.object({ measurement: KriMeasurement, kri: Kri, eventId: z.uuid().nullable() });
export type KriMeasurementRecorded = z.infer<typeof KriMeasurementRecorded>;

export const KriMetricInfo = z.object({
  key: KriMetricKey,
  label: z.string(),
  unit: z.string(),
  direction: KriDirection,
  group: KriScheduleGroup,
  defaultSchedule: z.string(),
  description: z.string(),
});
export type KriMetricInfo = z.infer<typeof KriMetricInfo>;
export const KriMetricCatalogue = z.object({ metrics: z.array(KriMetricInfo) });
export type KriMetricCatalogue = z.infer<typeof KriMetricCatalogue>;
