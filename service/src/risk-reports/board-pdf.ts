import pdfmake from 'pdfmake';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import type { RiskOverview } from '../../../shared/src/risk-reports.ts';
import {
  formatMoney,
  formatNumber,
  HEADER_FILL,
  heatMap,
  INK,
  legend,
  levelBadge,
  money,
  MUTED,
  reportDate,
  reportDateTime,
  RULE,
  textOn,
  trendChart,
} from './board-pdf-charts.ts';

/**
 * The board risk report (issue 13 "Screens"): heat maps (inherent vs residual), top risks, KRIs in
 * breach, the risk trend and risk events with their losses for a period, as a PDF. Built with
 * pdfmake's server side and the PDF standard Helvetica (no font files, no network access).
 */

// The standard 14 fonts are built into every PDF reader; pdfkit measures them from its own metrics.
const HELVETICA = { normal: 'Helvetica', bold: 'Helvetica-Bold', italics: 'Helvetica-Oblique', bolditalics: 'Helvetica-BoldOblique' };
const STANDARD_FONTS = new Set(Object.values(HELVETICA));
pdfmake.setFonts({ Helvetica: HELVETICA });
// A report never fetches anything: no image or font by URL, no file from disk but pdfkit's own font names.
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((path) => STANDARD_FONTS.has(path));

export interface BoardReportMeta {
  /** Who asked for it (shown in the footer). */
  generatedBy: string;
  /** The tenants the report covers ("all tenants" for bank-wide callers). */
  tenants: string;
}

function keyFigures(overview: RiskOverview): Content {
  const t = overview.totals;
  const worst = [...t.byResidualLevel].reverse().filter((l) => l.count > 0)[0];
  const figures: Array<[string, string]> = [
    ['Open risks', String(t.openRisks)],
    [worst ? `${worst.name} (residual)` : 'Residual levels', worst ? String(worst.count) : '0'],
    ['Reviews overdue', String(t.reviewOverdue)],
    ['KRIs in breach', String(t.krisInBreach)],
    ['Risk events', String(t.events)],
    ['Losses', money(t.losses)],
  ];
  return {
    table: {
      // The losses may name several currencies: their cell is the widest, and long amounts shrink.
      widths: figures.map((_, i) => (i === figures.length - 1 ? 120 : '*')),
      body: [
        figures.map(
          ([, value]): TableCell => ({
            text: value,
            fontSize: value.length > 18 ? 8 : value.length > 8 ? 11 : 16,
            bold: true,
            alignment: 'center',
            margin: [0, value.length > 8 ? 7 : 4, 0, 0],
          }),
        ),
        figures.map(([label]): TableCell => ({ text: label, style: 'note', alignment: 'center', margin: [0, 0, 0, 4] })),
      ],
    },
    layout: {
      fillColor: () => HEADER_FILL,
      hLineWidth: () => 0,
      vLineWidth: (i: number) => (i === 0 || i === figures.length ? 0 : 1),
      vLineColor: () => '#ffffff',
    },
    margin: [0, 8, 0, 12],
  };
}

const tableLayout = {
  hLineWidth: (i: number) => (i === 1 ? 1 : 0.5),
  vLineWidth: () => 0,
  hLineColor: (i: number) => (i === 1 ? MUTED : RULE),
  paddingTop: () => 3,
  paddingBottom: () => 3,
};

function header(cells: string[]): TableCell[] {
  return cells.map((text) => ({ text, style: 'th' }));
}

function topRisks(overview: RiskOverview): Content {
  if (overview.topRisks.length === 0) return { text: 'No open risks.', color: MUTED };
  return {
    table: {
      headerRows: 1,
      keepWithHeaderRows: 1,
      dontBreakRows: true,
      widths: [46, '*', 56, 72, 56, 56, 56],
      body: [
        header(['Ref', 'Risk', 'Category', 'Owner', 'Inherent', 'Residual', 'Next review']),
        ...overview.topRisks.map((r): TableCell[] => [
          { text: r.reference, bold: true },
          { text: r.title },
          { text: titleCase(r.category) },
          { text: r.ownerName ?? '—' },
          levelBadge(overview, r.inherentLevel, r.inherentScore),
          levelBadge(overview, r.residualLevel, r.residualScore),
          { text: reportDate(r.nextReviewAt) + (r.reviewOverdue ? ' (overdue)' : ''), color: r.reviewOverdue ? '#b42318' : INK },
        ]),
      ],
    },
    layout: tableLayout,
  };
}

function krisInBreach(overview: RiskOverview): Content {
  if (overview.krisInBreach.length === 0) return { text: 'No KRI is beyond its warning threshold.', color: MUTED };
  const statusFill = { WARNING: '#f5a524', CRITICAL: '#c62828' } as const;
  return {
    table: {
      headerRows: 1,
      keepWithHeaderRows: 1,
      dontBreakRows: true,
      widths: [46, '*', 54, 64, 50, 50, 56],
      body: [
        header(['Ref', 'KRI', 'Status', 'Last value', 'Warning', 'Critical', 'Measured']),
        ...overview.krisInBreach.map((k): TableCell[] => [
          { text: k.reference, bold: true },
          { text: [k.name, { text: `  ${k.direction === 'HIGHER_IS_BETTER' ? 'higher is better' : 'higher is worse'}`, style: 'note' }] },
          { text: k.status, bold: true, fillColor: statusFill[k.status], color: textOn(statusFill[k.status]), alignment: 'center' },
          { text: k.lastValue === null ? '—' : `${formatNumber(k.lastValue)} ${k.unit}`, alignment: 'right' },
          { text: formatNumber(k.thresholdWarning), alignment: 'right' },
          { text: formatNumber(k.thresholdCritical), alignment: 'right' },
          { text: reportDate(k.lastMeasuredAt) },
        ]),
      ],
    },
    layout: tableLayout,
  };
}

function eventsTable(overview: RiskOverview): Content {
  const weeks = overview.eventsByWeek.filter((w) => w.events > 0);
  const byWeek: Content =
    weeks.length === 0
      ? { text: 'No risk events in the period.', color: MUTED }
      : {
          table: {
            headerRows: 1,
            keepWithHeaderRows: 1,
            dontBreakRows: true,
            widths: [90, 50, '*'],
            body: [
              header(['Week of', 'Events', 'Financial impact']),
              ...weeks.map((w): TableCell[] => [{ text: reportDate(w.weekStart) }, { text: String(w.events), alignment: 'right' }, { text: money(w.losses) }]),
            ],
          },
          layout: tableLayout,
        };
  const notable: Content =
    overview.notableEvents.length === 0
      ? { text: '' }
      : {
          table: {
            headerRows: 1,
            keepWithHeaderRows: 1,
            dontBreakRows: true,
            widths: [46, '*', 56, 50, 56, 86],
            body: [
              header(['Ref', 'Event', 'Type', 'Severity', 'Occurred', 'Impact']),
              ...overview.notableEvents.map((e): TableCell[] => [
                { text: e.reference, bold: true },
                { text: e.riskReference ? [e.title, { text: `  ${e.riskReference}`, style: 'note' }] : e.title },
                { text: titleCase(e.type) },
                { text: titleCase(e.severity) },
                { text: reportDate(e.occurredAt) },
                { text: e.financialImpact === null ? '—' : `${e.currency ?? ''} ${formatMoney(e.financialImpact)}`, alignment: 'right' },
              ]),
            ],
          },
          layout: tableLayout,
          margin: [0, 10, 0, 0],
        };
  return { stack: [byWeek, notable] };
}

/**
 * A titled section. A short one moves to the next page whole rather than leave its title or table
 * header at the bottom of a page; a long one keeps its title with the table's first rows.
 */
function section(title: string, content: Content, rows: number): Content {
  const heading: Content = { text: title, style: 'h2', headlineLevel: 1 };
  return rows <= 12 ? { stack: [heading, content], unbreakable: true } : { stack: [heading, content] };
}

function titleCase(value: string): string {
  if (value === 'KRI_BREACH') return 'KRI breach';
  const spaced = value.replaceAll('_', ' ').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** The report's document definition (exported for tests that read its text without rendering). */
export function boardReportDefinition(overview: RiskOverview, meta: BoardReportMeta): TDocumentDefinitions {
  const period = `${reportDate(overview.from)} – ${reportDate(overview.to)}`;
  return {
    pageSize: 'A4',
    pageMargins: [40, 48, 40, 44],
    info: {
      title: `Board risk report ${period}`,
      author: 'Wekeza Risk Workstation',
      creator: 'Wekeza Risk Workstation',
      creationDate: new Date(overview.asOf),
    },
    defaultStyle: { font: 'Helvetica', fontSize: 8.5, color: INK, lineHeight: 1.15 },
    styles: {
      h1: { fontSize: 20, bold: true },
      h2: { fontSize: 12.5, bold: true, margin: [0, 14, 0, 6] },
      h3: { fontSize: 10, bold: true, margin: [0, 0, 0, 2] },
      note: { fontSize: 7.5, color: MUTED },
      axis: { fontSize: 6.5, color: MUTED },
      th: { bold: true, fontSize: 7.5, color: MUTED },
    },
    footer: (page: number, pages: number) => ({
      columns: [
        { text: `Wekeza Risk Workstation · as of ${reportDateTime(overview.asOf)} · for ${meta.generatedBy}`, style: 'note' },
        { text: `Page ${page} of ${pages}`, style: 'note', alignment: 'right' },
      ],
      margin: [40, 14, 40, 0],
    }),
    // A section title never ends a page: it moves to the next one with its table.
    pageBreakBefore: (node, nodes) => node.headlineLevel === 1 && nodes.getFollowingNodesOnPage().length === 0,
    content: [
      { text: 'Board risk report', style: 'h1' },
      { text: `${period} · ${meta.tenants} · as of ${reportDateTime(overview.asOf)}`, color: MUTED, margin: [0, 2, 0, 0] },
      keyFigures(overview),
      // Two maps side by side fill the A4 text width (515 pt).
      {
        columns: [
          { width: 245, ...heatMap(overview, 'inherent') },
          { width: 245, ...heatMap(overview, 'residual') },
        ],
        columnGap: 25,
      },
      legend(overview),
      section('Top risks by residual score', topRisks(overview), overview.topRisks.length),
      section('KRIs in breach', krisInBreach(overview), overview.krisInBreach.length),
      trendChart(overview),
      section(
        'Risk events and losses in the period',
        eventsTable(overview),
        overview.eventsByWeek.filter((w) => w.events > 0).length + overview.notableEvents.length,
      ),
    ],
  };
}

/** The report as PDF bytes. */
export async function renderBoardReport(overview: RiskOverview, meta: BoardReportMeta): Promise<Buffer> {
  return pdfmake.createPdf(boardReportDefinition(overview, meta)).getBuffer();
}
