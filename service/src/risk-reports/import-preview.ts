import type { z } from 'zod';
import { KriCreateInput } from '../../../shared/src/kris.ts';
import { ControlCreateInput, RiskCreateInput } from '../../../shared/src/risk-register.ts';
import { MAX_IMPORT_ROWS, type ImportPreviewRow, type ImportRowError, type RegisterKind } from '../../../shared/src/risk-reports.ts';
import { headerKey, IMPORT_COLUMNS, type ImportColumn, NAME_FIELD, REQUIRED_FIELDS } from './columns.ts';
import { cellText, parseNumberCell, type SheetCell, type SheetTable } from './sheets.ts';

/**
 * Judges every row of an import file the way the create command would (its own zod input schema)
 * plus what only the register knows: owners by username or display name, risk references, and
 * records that already exist (duplicates). Pure: the directory is read by the caller.
 */

export interface DirectoryUser {
  id: string;
  username: string;
  displayName: string;
  /** [] = every tenant. */
  tenantIds: readonly string[];
  active: boolean;
}

export interface ImportDirectory {
  users: readonly DirectoryUser[];
  /** Records of the imported kind in the tenant (not deleted). */
  existing: ReadonlyArray<{ id: string; reference: string; name: string }>;
  /** Risks of the tenant, for Risks columns (not deleted). */
  risks: ReadonlyArray<{ id: string; reference: string; title: string }>;
}

/** A valid row as the create command's input. */
export interface PlannedRow {
  row: number;
  input: Record<string, unknown>;
}

export interface PreviewResult {
  columns: string[];
  rows: ImportPreviewRow[];
  errors: ImportRowError[];
  planned: PlannedRow[];
}

const CREATE_INPUTS: Record<RegisterKind, z.ZodType> = { risks: RiskCreateInput, controls: ControlCreateInput, kris: KriCreateInput };

const normalise = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();
const enumKey = (text: string) =>
  text
    .trim()
    .toUpperCase()
    .replace(/[\s\-/]+/g, '_');
const label = (option: string) => option.charAt(0) + option.slice(1).toLowerCase().replaceAll('_', ' ');

/** Exports put an apostrophe before text a spreadsheet would run as a formula (csvCell); an import takes it off again. */
export function withoutFormulaGuard(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

/** Finds the owner named by username or, failing that, display name, among users who act for the tenant. */
export function resolveOwner(users: readonly DirectoryUser[], tenantId: string, named: string): { id: string; shown: string } | { error: string } {
  const key = normalise(named);
  const byUsername = users.find((u) => u.username.toLowerCase() === key);
  const matches = byUsername ? [byUsername] : users.filter((u) => normalise(u.displayName) === key);
  if (matches.length > 1)
    return { error: `${matches.length} users are named "${named.trim()}": use the username (${matches.map((u) => u.username).join(', ')})` };
  const user = matches[0];
  if (!user) return { error: `no user has the username or display name "${named.trim()}"` };
  if (!user.active) return { error: `${user.username} is deactivated` };
  if (user.tenantIds.length > 0 && !user.tenantIds.includes(tenantId)) return { error: `${user.username} does not act for tenant ${tenantId}` };
  return { id: user.id, shown: `${user.displayName} (${user.username})` };
}

export function buildPreview(kind: RegisterKind, table: SheetTable, tenantId: string, directory: ImportDirectory): PreviewResult {
  const specs = IMPORT_COLUMNS[kind];
  const errors: ImportRowError[] = [];
  // Which spec each file column is: by header, without case, punctuation or a "(zone)" suffix.
  const byKey = new Map(specs.map((s) => [headerKey(s.header), s]));
  const mapped: Array<{ index: number; spec: ImportColumn }> = [];
  const seen = new Set<string>();
  table.header.forEach((header, index) => {
    const spec = byKey.get(headerKey(header));
    if (!spec) return;
    if (seen.has(spec.header)) {
      errors.push({ row: 1, column: header, message: `the ${spec.header} column appears twice` });
      return;
    }
    seen.add(spec.header);
    mapped.push({ index, spec });
  });
  for (const field of REQUIRED_FIELDS[kind]) {
    const spec = specs.find((s) => s.importAs && 'field' in s.importAs && s.importAs.field === field);
    if (spec && !seen.has(spec.header)) errors.push({ row: 1, column: spec.header, message: `the file has no ${spec.header} column` });
  }
  const columns = mapped.map((m) => m.spec.header);
  const fieldColumn = new Map(mapped.flatMap((m) => (m.spec.importAs && 'field' in m.spec.importAs ? [[m.spec.importAs.field, m.spec.header] as const] : [])));

  const dataRows = table.rows.map((cells, i) => ({ cells, row: i + 2 })).filter(({ cells }) => cells.some((c) => c !== null && cellText(c).trim() !== ''));
  if (dataRows.length === 0 && errors.length === 0) errors.push({ row: 1, column: '', message: 'the file has a header but no rows' });
  if (dataRows.length > MAX_IMPORT_ROWS) {
    errors.push({ row: MAX_IMPORT_ROWS + 2, column: '', message: `at most ${MAX_IMPORT_ROWS} rows per import: split the file` });
    return { columns, rows: [], errors, planned: [] };
  }

  const existingByReference = new Map(directory.existing.map((e) => [e.reference.toUpperCase(), e]));
  const existingByName = new Map(directory.existing.map((e) => [normalise(e.name), e]));
  const riskByReference = new Map(directory.risks.map((r) => [r.reference.toUpperCase(), r]));
  const nameInFile = new Map<string, number>();
  const rows: ImportPreviewRow[] = [];
  const planned: PlannedRow[] = [];

  for (const { cells, row } of dataRows) {
    const rowErrors: ImportRowError[] = [];
    const fail = (column: string, message: string) => rowErrors.push({ row, column, message });
    const values: Record<string, string | number | null> = {};
    const input: Record<string, unknown> = { tenantId };
    let reference: string | null = null;
    for (const { index, spec } of mapped) {
      const cell: SheetCell = cells[index] ?? null;
      const text = withoutFormulaGuard(cellText(cell).trim());
      const how = spec.importAs;
      values[spec.header] = text === '' ? null : text;
      if (!how || text === '') continue;
      switch (how.kind) {
        case 'reference':
          reference = text.toUpperCase();
          break;
        case 'tenant':
          if (text !== tenantId) fail(spec.header, `this row is for tenant ${text}, the import is into ${tenantId}`);
          break;
        case 'text':
        case 'nullable-text':
          input[how.field] = text;
          break;
        case 'enum': {
          const option = how.options.find((o) => o === enumKey(text));
          if (option) {
            input[how.field] = option;
            values[spec.header] = option;
          } else fail(spec.header, `"${text}" is not one of ${how.options.map(label).join(', ')}`);
          break;
        }
        case 'number':
        case 'integer': {
          const n = parseNumberCell(cell, table.delimiter);
          if (n === null) fail(spec.header, `"${text}" is not a number`);
          else if (how.kind === 'integer' && !Number.isInteger(n)) fail(spec.header, `"${text}" is not a whole number`);
          else {
            input[how.field] = n;
            values[spec.header] = n;
          }
          break;
        }
        case 'owner': {
          const owner = resolveOwner(directory.users, tenantId, text);
          if ('error' in owner) fail(spec.header, owner.error);
          else {
            input[how.field] = owner.id;
            values[spec.header] = owner.shown;
          }
          break;
        }
        case 'risks': {
          const ids: string[] = [];
          for (const ref of text.split(/[\s,;]+/).filter(Boolean)) {
            const risk = riskByReference.get(ref.toUpperCase());
            if (!risk) fail(spec.header, `no risk ${ref} in tenant ${tenantId}`);
            else if (!ids.includes(risk.id)) ids.push(risk.id);
          }
          input[how.field] = ids;
          break;
        }
      }
    }
    // Whatever the cells say, the create command's own schema has the last word (same messages as the API).
    const parsed = CREATE_INPUTS[kind].safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        const column = fieldColumn.get(field) ?? field;
        if (!rowErrors.some((e) => e.column === column)) fail(column, issue.message);
      }
    }
    const nameField = NAME_FIELD[kind];
    const name = typeof input[nameField] === 'string' ? normalise(input[nameField] as string) : '';
    const duplicate = (reference ? existingByReference.get(reference) : undefined) ?? (name ? existingByName.get(name) : undefined);
    const earlier = name ? nameInFile.get(name) : undefined;
    if (!duplicate && earlier !== undefined) fail(fieldColumn.get(nameField) ?? nameField, `repeats row ${earlier}`);
    if (name && earlier === undefined) nameInFile.set(name, row);
    const status = rowErrors.length > 0 ? 'INVALID' : duplicate ? 'DUPLICATE' : 'VALID';
    rows.push({ row, status, values, duplicateOf: duplicate?.reference ?? null, errors: rowErrors });
    errors.push(...rowErrors);
    if (status === 'VALID') planned.push({ row, input });
  }
  return { columns, rows, errors, planned };
}
