import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { bankWallClock, bankZoneHeader, isoInBankZone } from '../../../shared/src/bank-time.ts';
import type { CaseSummary } from '../../../shared/src/cases.ts';
import { csvCell } from '../assessments/export.ts';

/** The most rows one export returns. */
export const CASE_EXPORT_LIMIT = 100_000;

/** One column list for both formats: header, width (XLSX) and value. */
const COLUMNS: ReadonlyArray<{ header: string; width: number; value: (c: CaseSummary) => string | number | Date | null }> = [
  { header: 'Reference', width: 18, value: (c) => c.reference },
  { header: 'State', width: 18, value: (c) => c.state },
  { header: 'Queue', width: 18, value: (c) => c.queue },
  { header: 'Risk level', width: 10, value: (c) => c.riskLevel },
  { header: 'Risk score', width: 10, value: (c) => c.riskScore },
  { header: 'Customer', width: 24, value: (c) => c.customerName },
  { header: 'Customer ref', width: 14, value: (c) => c.customerRef },
  { header: 'GCID', width: 38, value: (c) => c.customerGcid },
  { header: 'Transaction reference', width: 24, value: (c) => c.transactionReference },
  { header: 'Amount', width: 14, value: (c) => c.amount },
  { header: 'Currency', width: 8, value: (c) => c.currency },
  { header: 'Payments', width: 9, value: (c) => c.paymentCount },
  { header: 'Total KES', width: 16, value: (c) => c.totalAmountKes },
  { header: 'Channel', width: 9, value: (c) => c.channel },
  { header: 'Payment type', width: 14, value: (c) => c.paymentType },
  { header: 'Assignee', width: 18, value: (c) => c.assigneeName },
  { header: 'Outcome', width: 10, value: (c) => c.outcome },
  { header: 'Reason codes', width: 30, value: (c) => c.reasonCodes.join(' ') },
  { header: 'Tags', width: 20, value: (c) => c.tags.join(' ') },
  // Times in the bank's zone, named in the header (README "Dates and time zones"): ISO 8601 with
  // the offset in CSV, the bank's wall-clock time in XLSX (spreadsheet cells have no zone).
  { header: `SLA due (${bankZoneHeader()})`, width: 24, value: (c) => new Date(c.slaDueAt) },
  { header: `Opened (${bankZoneHeader()})`, width: 24, value: (c) => new Date(c.createdAt) },
  { header: `Closed (${bankZoneHeader()})`, width: 24, value: (c) => (c.closedAt ? new Date(c.closedAt) : null) },
];

export function casesCsv(rows: AsyncIterable<CaseSummary>): Readable {
  return Readable.from(
    (async function* () {
      yield `${COLUMNS.map((c) => csvCell(c.header)).join(',')}\r\n`;
      let chunk = '';
      for await (const row of rows) {
        chunk += `${COLUMNS.map((c) => {
          const v = c.value(row);
          return csvCell(v instanceof Date ? isoInBankZone(v) : v);
        }).join(',')}\r\n`;
        if (chunk.length > 64_000) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    })(),
  );
}

/** A streamed workbook: one sheet, a frozen bold header, an autofilter, dates as dates. */
export function casesXlsx(rows: AsyncIterable<CaseSummary>, title: string, createdAt: Date): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Wekeza Risk Workstation';
  workbook.created = createdAt;
  const sheet = workbook.addWorksheet('Cases', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
  void (async () => {
    try {
      for await (const row of rows) {
        const added = sheet.addRow(
          COLUMNS.map((c) => {
            const v = c.value(row);
            return v instanceof Date ? bankWallClock(v) : v;
          }),
        );
        for (const index of [20, 21, 22]) added.getCell(index).numFmt = 'yyyy-mm-dd hh:mm';
        added.commit();
      }
      sheet.commit();
      workbook.title = title;
      await workbook.commit();
    } catch (error) {
      out.destroy(error as Error);
    }
  })();
  return out;
}
