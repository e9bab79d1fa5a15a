import ExcelJS from 'exceljs';
import { csvCell } from '../assessments/export.ts';
import type { DashboardData } from './export-tables.ts';

export { renderDashboardPdf } from './export-pdf.ts';

/** CSV: one section per table (a title line, the header, the rows, an empty line); cells safe for spreadsheets. */
export function dashboardCsv(data: DashboardData): string {
  const lines: string[] = [[`${data.title}`, `${data.from} to ${data.to}`, `generated ${data.generatedAt}`].map(csvCell).join(',')];
  for (const table of data.tables) {
    lines.push('', csvCell(table.title), table.columns.map(csvCell).join(','));
    for (const row of table.rows) lines.push(row.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** XLSX: one worksheet per table, numbers as numbers, the header bold and frozen. */
export async function dashboardXlsx(data: DashboardData): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(data.generatedAt);
  const used = new Set<string>();
  for (const table of data.tables) {
    // Sheet names: at most 31 characters, none of : \ / ? * [ ], unique.
    let name = table.title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31);
    for (let n = 2; used.has(name); n++) name = `${name.slice(0, 28)} ${n}`;
    used.add(name);
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.addRow(table.columns).font = { bold: true };
    for (const row of table.rows) sheet.addRow(row);
    sheet.columns.forEach((column, i) => {
      column.width = Math.min(40, Math.max(10, ...[table.columns[i] ?? '', ...table.rows.map((r) => String(r[i] ?? ''))].map((s) => s.length + 2)));
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
