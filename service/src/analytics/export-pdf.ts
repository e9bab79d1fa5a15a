import pdfmake from 'pdfmake';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { formatNumber, HEADER_FILL, INK, MUTED, RULE } from '../risk-reports/board-pdf-charts.ts';
import type { DashboardData, ExportTable } from './export-tables.ts';

/**
 * A dashboard as a PDF (issue 15 "Export any dashboard to PDF"): each table, and a drawn bar chart
 * for the breakdowns, with pdfmake's server side and the PDF standard Helvetica, as the board
 * report does (service/src/risk-reports/board-pdf.ts): no font files, no network access.
 */
const HELVETICA = { normal: 'Helvetica', bold: 'Helvetica-Bold', italics: 'Helvetica-Oblique', bolditalics: 'Helvetica-BoldOblique' };
const STANDARD_FONTS = new Set(Object.values(HELVETICA));
pdfmake.setFonts({ Helvetica: HELVETICA });
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((path) => STANDARD_FONTS.has(path));

const BAR = '#2f6fb0';
const WIDTH = 515;
/** Rows beyond this are left out of the PDF (the CSV and XLSX hold them all). */
const MAX_PDF_ROWS = 60;

function cellText(v: string | number | null): string {
  if (v === null) return '—';
  return typeof v === 'number' ? formatNumber(v) : v;
}

/** Horizontal bars, one per row, scaled to the largest value: a borderless table (label, bar, value) keeps them aligned. */
function barChart(table: ExportTable): Content | null {
  const chart = table.chart;
  if (!chart) return null;
  const rows = table.rows.slice(0, 15).map((r) => ({ label: String(r[chart.label] ?? ''), value: Number(r[chart.value] ?? 0) }));
  const max = Math.max(0, ...rows.map((r) => r.value));
  if (rows.length === 0 || max <= 0) return null;
  const barSpace = WIDTH - 140 - 70 - 12;
  return {
    table: {
      widths: [140, barSpace, 70],
      body: rows.map((r): TableCell[] => [
        { text: r.label.slice(0, 32), style: 'axis', alignment: 'right' },
        { canvas: [{ type: 'rect', x: 0, y: 1, w: Math.max(0.5, (r.value / max) * barSpace), h: 7, color: BAR }] },
        { text: formatNumber(r.value), style: 'axis' },
      ]),
    },
    layout: 'noBorders',
    margin: [0, 2, 0, 6],
    unbreakable: true,
  };
}

function tableContent(table: ExportTable): Content[] {
  const shown = table.rows.slice(0, MAX_PDF_ROWS);
  const numeric = table.columns.map((_, i) => shown.some((r) => typeof r[i] === 'number'));
  const body: TableCell[][] = [
    table.columns.map((text, i): TableCell => ({ text, style: 'th', alignment: numeric[i] ? 'right' : 'left' })),
    ...shown.map((r) => r.map((v, i): TableCell => ({ text: cellText(v), alignment: numeric[i] ? 'right' : 'left' }))),
  ];
  const out: Content[] = [{ text: table.title, style: 'h2', headlineLevel: 1 }];
  const chart = barChart(table);
  if (chart) out.push(chart);
  if (shown.length === 0) out.push({ text: 'Nothing in this period.', color: MUTED });
  else
    out.push({
      table: { headerRows: 1, dontBreakRows: true, widths: table.columns.map((_, i) => (i === 0 || i === 1 ? 'auto' : '*')), body },
      layout: {
        hLineWidth: (i: number) => (i === 1 ? 1 : 0.5),
        vLineWidth: () => 0,
        hLineColor: (i: number) => (i === 1 ? MUTED : RULE),
        fillColor: (i: number) => (i === 0 ? HEADER_FILL : null),
      },
    });
  if (table.rows.length > MAX_PDF_ROWS) out.push({ text: `${table.rows.length - MAX_PDF_ROWS} more rows in the CSV and XLSX exports.`, style: 'note' });
  return out;
}

export function dashboardPdfDefinition(data: DashboardData, meta: { generatedBy: string; tenants: string }): TDocumentDefinitions {
  return {
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 50],
    info: { title: `${data.title} ${data.from} – ${data.to}`, author: 'Wekeza Risk Workstation' },
    defaultStyle: { font: 'Helvetica', fontSize: 8, color: INK },
    styles: {
      h1: { fontSize: 18, bold: true },
      h2: { fontSize: 11, bold: true, margin: [0, 14, 0, 4] },
      note: { fontSize: 7.5, color: MUTED },
      axis: { fontSize: 6.5, color: MUTED },
      th: { bold: true, fontSize: 7.5, color: MUTED },
    },
    footer: (page: number, pages: number) => ({
      columns: [
        { text: `Wekeza Risk Workstation · generated ${data.generatedAt.replace('T', ' ').slice(0, 16)} UTC · for ${meta.generatedBy}`, style: 'note' },
        { text: `Page ${page} of ${pages}`, style: 'note', alignment: 'right' },
      ],
      margin: [40, 14, 40, 0],
    }),
    pageBreakBefore: (node, nodes) => node.headlineLevel === 1 && nodes.getFollowingNodesOnPage().length === 0,
    content: [
      { text: data.title, style: 'h1' },
      { text: `${data.rangeLabel} · ${data.from} to ${data.to} (Nairobi days) · ${meta.tenants}`, color: MUTED, margin: [0, 2, 0, 6] },
      ...data.tables.flatMap(tableContent),
    ],
  };
}

export async function renderDashboardPdf(data: DashboardData, meta: { generatedBy: string; tenants: string }): Promise<Buffer> {
  return pdfmake.createPdf(dashboardPdfDefinition(data, meta)).getBuffer();
}
