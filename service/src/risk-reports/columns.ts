import { bankZoneHeader } from '../../../shared/src/bank-time.ts';
import { KriDirection, KriFrequency, KriMeasurementMode } from '../../../shared/src/kris.ts';
import { ControlFrequency, ControlType, RiskCategory } from '../../../shared/src/risk-register.ts';
import type { RegisterKind } from '../../../shared/src/risk-reports.ts';
import type { OutCell } from './sheets.ts';

/**
 * The columns of the register's sheets, one list per kind for export and import alike, so that an
 * export re-imports as it is. Columns with `importAs` fill the create command's input; the others
 * (scores, status, test results, measurements) are the register's own findings: shown on export,
 * ignored on import.
 */

export type ImportField =
  | { kind: 'text'; field: string }
  | { kind: 'enum'; field: string; options: readonly string[] }
  | { kind: 'number'; field: string }
  | { kind: 'integer'; field: string }
  | { kind: 'nullable-text'; field: string }
  /** A user by username or display name → users.id. */
  | { kind: 'owner'; field: string }
  /** Risk references (RSK-0001) separated by spaces, commas or semicolons → risk ids. */
  | { kind: 'risks'; field: string }
  /** The record's own reference: a row naming an existing one is a duplicate. */
  | { kind: 'reference' }
  /** Must name the tenant imported into, when given. */
  | { kind: 'tenant' };

export interface ColumnSpec<R> {
  header: string;
  width: number;
  exportValue: (record: R) => OutCell;
  importAs?: ImportField;
}

/** What the export queries answer per record (owner by username, so it re-imports unambiguously). */
export interface RiskSheetRecord {
  reference: string;
  tenantId: string;
  title: string;
  category: string;
  status: string;
  businessUnit: string;
  ownerUsername: string | null;
  ownerName: string | null;
  description: string;
  causes: string;
  consequences: string;
  inherentLikelihood: number | null;
  inherentImpact: number | null;
  inherentScore: number | null;
  inherentLevel: string | null;
  residualLikelihood: number | null;
  residualImpact: number | null;
  residualScore: number | null;
  residualLevel: string | null;
  lastAssessedAt: Date | null;
  nextReviewAt: Date | null;
  reviewOverdue: boolean;
}

export interface ControlSheetRecord {
  reference: string;
  tenantId: string;
  name: string;
  type: string;
  frequency: string;
  ownerUsername: string | null;
  ownerName: string | null;
  description: string;
  effectiveness: string;
  lastTestedAt: Date | null;
  lastTestResult: string | null;
  nextTestDue: string | null;
  testOverdue: boolean;
  riskReferences: string[];
}

export interface KriSheetRecord {
  reference: string;
  tenantId: string;
  name: string;
  description: string;
  unit: string;
  direction: string;
  thresholdWarning: number;
  thresholdCritical: number;
  frequency: string;
  graceHours: number;
  dataSource: string;
  measurement: string;
  metric: string | null;
  schedule: string | null;
  ownerUsername: string | null;
  ownerName: string | null;
  riskReferences: string[];
  status: string;
  lastValue: number | null;
  lastMeasuredAt: Date | null;
}

const zone = bankZoneHeader();

export const RISK_COLUMNS: ReadonlyArray<ColumnSpec<RiskSheetRecord>> = [
  { header: 'Reference', width: 11, exportValue: (r) => r.reference, importAs: { kind: 'reference' } },
  { header: 'Tenant', width: 12, exportValue: (r) => r.tenantId, importAs: { kind: 'tenant' } },
  { header: 'Title', width: 40, exportValue: (r) => r.title, importAs: { kind: 'text', field: 'title' } },
  { header: 'Category', width: 14, exportValue: (r) => r.category, importAs: { kind: 'enum', field: 'category', options: RiskCategory.options } },
  { header: 'Status', width: 12, exportValue: (r) => r.status },
  { header: 'Business unit', width: 18, exportValue: (r) => r.businessUnit, importAs: { kind: 'text', field: 'businessUnit' } },
  { header: 'Owner', width: 16, exportValue: (r) => r.ownerUsername, importAs: { kind: 'owner', field: 'ownerId' } },
  { header: 'Owner name', width: 20, exportValue: (r) => r.ownerName },
  { header: 'Description', width: 40, exportValue: (r) => r.description, importAs: { kind: 'text', field: 'description' } },
  { header: 'Causes', width: 30, exportValue: (r) => r.causes, importAs: { kind: 'text', field: 'causes' } },
  { header: 'Consequences', width: 30, exportValue: (r) => r.consequences, importAs: { kind: 'text', field: 'consequences' } },
  { header: 'Inherent likelihood', width: 10, exportValue: (r) => r.inherentLikelihood },
  { header: 'Inherent impact', width: 10, exportValue: (r) => r.inherentImpact },
  { header: 'Inherent score', width: 10, exportValue: (r) => r.inherentScore },
  { header: 'Inherent level', width: 10, exportValue: (r) => r.inherentLevel },
  { header: 'Residual likelihood', width: 10, exportValue: (r) => r.residualLikelihood },
  { header: 'Residual impact', width: 10, exportValue: (r) => r.residualImpact },
  { header: 'Residual score', width: 10, exportValue: (r) => r.residualScore },
  { header: 'Residual level', width: 10, exportValue: (r) => r.residualLevel },
  { header: `Last assessed (${zone})`, width: 20, exportValue: (r) => r.lastAssessedAt },
  { header: `Next review (${zone})`, width: 20, exportValue: (r) => r.nextReviewAt },
  { header: 'Review overdue', width: 9, exportValue: (r) => r.reviewOverdue },
];

export const CONTROL_COLUMNS: ReadonlyArray<ColumnSpec<ControlSheetRecord>> = [
  { header: 'Reference', width: 11, exportValue: (c) => c.reference, importAs: { kind: 'reference' } },
  { header: 'Tenant', width: 12, exportValue: (c) => c.tenantId, importAs: { kind: 'tenant' } },
  { header: 'Name', width: 36, exportValue: (c) => c.name, importAs: { kind: 'text', field: 'name' } },
  { header: 'Type', width: 12, exportValue: (c) => c.type, importAs: { kind: 'enum', field: 'type', options: ControlType.options } },
  { header: 'Frequency', width: 12, exportValue: (c) => c.frequency, importAs: { kind: 'enum', field: 'frequency', options: ControlFrequency.options } },
  { header: 'Owner', width: 16, exportValue: (c) => c.ownerUsername, importAs: { kind: 'owner', field: 'ownerId' } },
  { header: 'Owner name', width: 20, exportValue: (c) => c.ownerName },
  { header: 'Description', width: 40, exportValue: (c) => c.description, importAs: { kind: 'text', field: 'description' } },
  { header: 'Risks', width: 24, exportValue: (c) => c.riskReferences.join(' '), importAs: { kind: 'risks', field: 'riskIds' } },
  { header: 'Effectiveness', width: 18, exportValue: (c) => c.effectiveness },
  { header: `Last tested (${zone})`, width: 20, exportValue: (c) => c.lastTestedAt },
  { header: 'Last result', width: 10, exportValue: (c) => c.lastTestResult },
  { header: 'Next test due', width: 12, exportValue: (c) => c.nextTestDue },
  { header: 'Test overdue', width: 9, exportValue: (c) => c.testOverdue },
];

export const KRI_COLUMNS: ReadonlyArray<ColumnSpec<KriSheetRecord>> = [
  { header: 'Reference', width: 11, exportValue: (k) => k.reference, importAs: { kind: 'reference' } },
  { header: 'Tenant', width: 12, exportValue: (k) => k.tenantId, importAs: { kind: 'tenant' } },
  { header: 'Name', width: 36, exportValue: (k) => k.name, importAs: { kind: 'text', field: 'name' } },
  { header: 'Description', width: 40, exportValue: (k) => k.description, importAs: { kind: 'text', field: 'description' } },
  { header: 'Unit', width: 10, exportValue: (k) => k.unit, importAs: { kind: 'text', field: 'unit' } },
  { header: 'Direction', width: 18, exportValue: (k) => k.direction, importAs: { kind: 'enum', field: 'direction', options: KriDirection.options } },
  { header: 'Warning threshold', width: 12, exportValue: (k) => k.thresholdWarning, importAs: { kind: 'number', field: 'thresholdWarning' } },
  { header: 'Critical threshold', width: 12, exportValue: (k) => k.thresholdCritical, importAs: { kind: 'number', field: 'thresholdCritical' } },
  { header: 'Frequency', width: 12, exportValue: (k) => k.frequency, importAs: { kind: 'enum', field: 'frequency', options: KriFrequency.options } },
  { header: 'Grace hours', width: 9, exportValue: (k) => k.graceHours, importAs: { kind: 'integer', field: 'graceHours' } },
  { header: 'Data source', width: 24, exportValue: (k) => k.dataSource, importAs: { kind: 'text', field: 'dataSource' } },
  {
    header: 'Measurement',
    width: 12,
    exportValue: (k) => k.measurement,
    importAs: { kind: 'enum', field: 'measurement', options: KriMeasurementMode.options },
  },
  { header: 'Metric', width: 24, exportValue: (k) => k.metric, importAs: { kind: 'nullable-text', field: 'metric' } },
  { header: 'Schedule', width: 14, exportValue: (k) => k.schedule, importAs: { kind: 'nullable-text', field: 'schedule' } },
  { header: 'Owner', width: 16, exportValue: (k) => k.ownerUsername, importAs: { kind: 'owner', field: 'ownerId' } },
  { header: 'Owner name', width: 20, exportValue: (k) => k.ownerName },
  { header: 'Risks', width: 24, exportValue: (k) => k.riskReferences.join(' '), importAs: { kind: 'risks', field: 'riskIds' } },
  { header: 'Status', width: 10, exportValue: (k) => k.status },
  { header: 'Last value', width: 12, exportValue: (k) => k.lastValue },
  { header: `Last measured (${zone})`, width: 20, exportValue: (k) => k.lastMeasuredAt },
];

/** What the import side reads of a column: its header and the input field it fills. */
export type ImportColumn = Pick<ColumnSpec<never>, 'header' | 'importAs'>;

export const IMPORT_COLUMNS: Record<RegisterKind, ReadonlyArray<ImportColumn>> = {
  risks: RISK_COLUMNS,
  controls: CONTROL_COLUMNS,
  kris: KRI_COLUMNS,
};

/** Fields a file must have a column for (the create command requires them). */
export const REQUIRED_FIELDS: Record<RegisterKind, readonly string[]> = {
  risks: ['title', 'category', 'businessUnit', 'ownerId'],
  controls: ['name', 'type', 'frequency', 'ownerId'],
  kris: ['name', 'unit', 'direction', 'thresholdWarning', 'thresholdCritical', 'frequency'],
};

/** The field that names a record for duplicate checks (besides its reference). */
export const NAME_FIELD: Record<RegisterKind, string> = { risks: 'title', controls: 'name', kris: 'name' };

/** Headers compare without case, punctuation or a trailing "(zone)". */
export function headerKey(header: string): string {
  return header
    .replace(/\(.*\)\s*$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
