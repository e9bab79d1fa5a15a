import ExcelJS from 'exceljs';
import { csvCell } from '../assessments/export.ts';
import { bankWallClock, isoInBankZone } from '../../../shared/src/bank-time.ts';

/**
 * Tables in and out of CSV and XLSX for the register's import and export. Reading is lenient with
 * what people paste from Excel: a byte-order mark, semicolons as the separator (Excel in locales
 * with a decimal comma) and a decimal comma in numbers, quoted cells with line breaks, trailing spaces,
 * date cells of a workbook (read as YYYY-MM-DD text).
 */

/** One cell as read: text, a number, or a date (XLSX only); null when empty. */
export type SheetCell = string | number | Date | null;

export interface SheetTable {
  header: string[];
  /** Data rows (the header is spreadsheet row 1, so rows[i] is spreadsheet row i + 2). */
  rows: SheetCell[][];
  /** The separator a CSV used (',' or ';' or tab); XLSX: null. */
  delimiter: string | null;
}

export class SheetReadError extends Error {}

/** Guesses the separator from the header line: the most frequent of comma, semicolon and tab outside quotes. */
function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [delimiter, n] of counts) if (n > counts.get(best)!) best = delimiter;
  return best;
}

/** RFC 4180 CSV with the separator detected, quotes doubled, CRLF or LF line ends, a BOM dropped. */
export function parseCsv(input: Buffer | string): SheetTable {
  let text = typeof input === 'string' ? input : input.toString('utf8');
  if (text.includes('\u0000')) throw new SheetReadError('this is not a text file (it holds NUL bytes): choose the xlsx format for a workbook');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const delimiter = detectDelimiter(text);
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === delimiter) {
      record.push(cell);
      cell = '';
    } else if (ch === '\r' || ch === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      if (ch === '\r' && text[i + 1] === '\n') i++;
    } else {
      cell += ch;
    }
    i++;
  }
  if (quoted) throw new SheetReadError('a quoted cell is not closed (a " is missing)');
  if (cell !== '' || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  const nonEmpty = records.filter((r) => r.some((c) => c.trim() !== ''));
  if (nonEmpty.length === 0) throw new SheetReadError('the file has no header row');
  // Keep spreadsheet row numbers: blank lines inside the data stay as empty rows (skipped later).
  const first = records.findIndex((r) => r.some((c) => c.trim() !== ''));
  const [header, ...rows] = records.slice(first);
  return { header: header!.map((h) => h.trim()), rows: rows.map((r) => r.map((c) => (c.trim() === '' ? null : c))), delimiter };
}

/** The first worksheet of an .xlsx workbook: row 1 is the header. */
export async function readXlsx(content: Buffer): Promise<SheetTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw new SheetReadError('this is not an .xlsx workbook (choose the csv format for text)');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.rowCount === 0) throw new SheetReadError('the workbook has no header row');
  const width = sheet.columnCount;
  const read = (rowNumber: number): SheetCell[] => {
    const row = sheet.getRow(rowNumber);
    const cells: SheetCell[] = [];
    for (let c = 1; c <= width; c++) cells.push(xlsxCell(row.getCell(c).value));
    return cells;
  };
  const header = read(1).map((h) => (h === null ? '' : cellText(h)).trim());
  const rows: SheetCell[][] = [];
  for (let r = 2; r <= sheet.rowCount; r++) rows.push(read(r));
  return { header, rows, delimiter: null };
}

function xlsxCell(value: ExcelJS.CellValue): SheetCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('') || null;
    if ('formula' in value || 'sharedFormula' in value) return xlsxCell((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return null;
  }
  return String(value);
}

/** A cell as text: dates as YYYY-MM-DD (or with the time when it has one), numbers as written. */
export function cellText(cell: SheetCell): string {
  if (cell === null) return '';
  if (cell instanceof Date) {
    const iso = cell.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  return String(cell);
}

/**
 * A number cell: XLSX numbers as they are; text with spaces or thousands separators removed, and a
 * decimal comma when the file is semicolon-separated (Excel's CSV in such locales), e.g. "1 234,5".
 */
export function parseNumberCell(cell: SheetCell, delimiter: string | null): number | null {
  if (cell === null) return null;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (cell instanceof Date) return null;
  let text = cell.trim().replace(/[\s\u00a0]/g, '');
  // With semicolons a comma is the decimal mark ("1.234,5"); a lone dot is still read as one ("0.5").
  if (delimiter === ';' && text.includes(',')) text = text.replaceAll('.', '').replace(',', '.');
  else text = text.replace(/,(?=\d{3}(\D|$))/g, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

// ---------------------------------------------------------------------------------------------
// Writing

export type OutCell = string | number | Date | boolean | null;

/**
 * CSV with a header, CRLF line ends and formula-like text neutralised (csvCell). Times are ISO 8601
 * in the bank's zone with its offset (README "Dates and time zones"); headers name the zone.
 */
export function writeCsv(header: readonly string[], rows: readonly OutCell[][]): string {
  const line = (cells: readonly OutCell[]) => cells.map((c) => csvCell(c instanceof Date ? isoInBankZone(c) : c)).join(',');
  return `${[line(header), ...rows.map(line)].join('\r\n')}\r\n`;
}

/** One sheet with a frozen bold header and an autofilter; times as the bank's wall-clock time (cells have no zone). */
export async function writeXlsx(
  sheetName: string,
  columns: ReadonlyArray<{ header: string; width: number }>,
  rows: readonly OutCell[][],
  meta: { title: string; created: Date },
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Wekeza Risk Workstation';
  workbook.created = meta.created;
  workbook.title = meta.title;
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  for (const row of rows) {
    const added = sheet.addRow(row.map((c) => (typeof c === 'boolean' ? (c ? 'TRUE' : 'FALSE') : c instanceof Date ? bankWallClock(c) : c)));
    row.forEach((c, i) => {
      if (c instanceof Date) added.getCell(i + 1).numFmt = 'yyyy-mm-dd hh:mm';
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
