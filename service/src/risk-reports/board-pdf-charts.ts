import type { Content, ContentStack, TableCell } from 'pdfmake/interfaces';
import { BANK_ZONE_LABEL, bankWallClock } from '../../../shared/src/bank-time.ts';
import type { MoneyTotal, OverviewLevel, RiskOverview } from '../../../shared/src/risk-reports.ts';

/** The board report's drawing helpers: formats, level colours, the heat maps and the trend chart (board-pdf.ts lays them out). */

export const INK = '#1f2933';
export const MUTED = '#616e7c';
export const RULE = '#cbd2d9';
export const HEADER_FILL = '#eef1f4';
const NO_LEVEL = { key: '', name: '—', colour: '#e4e7eb' };

/** `20 Nov 2026` in the bank's zone. */
export function reportDate(iso: string | null): string {
  if (!iso) return '—';
  const d = bankWallClock(iso);
  return `${String(d.getUTCDate()).padStart(2, '0')} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function reportDateTime(iso: string): string {
  const d = bankWallClock(iso);
  return `${reportDate(iso)}, ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} ${BANK_ZONE_LABEL}`;
}

export function money(totals: readonly MoneyTotal[]): string {
  if (totals.length === 0) return '—';
  return totals.map((t) => `${t.currency} ${formatMoney(t.amount)}`).join(' · ');
}

/** Whole amounts without decimals, others with two (2,550,000.50). */
export function formatMoney(n: number): string {
  return Number.isInteger(n) ? formatNumber(n) : n.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function formatNumber(n: number): string {
  return n.toLocaleString('en-GB', { maximumFractionDigits: 2 });
}

/** Black or white text, whichever reads better on the fill (WCAG relative luminance). */
export function textOn(fill: string): string {
  const hex = /^#?([0-9a-f]{6})$/i.exec(fill)?.[1];
  if (!hex) return INK;
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
  return luminance > 0.4 ? INK : '#ffffff';
}

function levelOf(overview: RiskOverview, key: string | null): OverviewLevel {
  return overview.matrix?.levels.find((l) => l.key === key) ?? (key ? { ...NO_LEVEL, key, name: key } : NO_LEVEL);
}

export function levelBadge(overview: RiskOverview, key: string | null, score: number | null): TableCell {
  const level = levelOf(overview, key);
  return { text: score === null ? '—' : `${score} ${level.name}`, fillColor: level.colour, color: textOn(level.colour), bold: true, alignment: 'center' };
}

export function heatMap(overview: RiskOverview, basis: 'inherent' | 'residual'): ContentStack {
  const matrix = overview.matrix;
  if (!matrix) return { stack: [{ text: 'No risk matrix yet.', color: MUTED }] };
  const counts = overview.heatMap[basis];
  const body: TableCell[][] = [];
  // Highest likelihood on top, as risk heat maps are read.
  for (const likelihood of [...matrix.likelihood].sort((a, b) => b.value - a.value)) {
    const row: TableCell[] = [{ text: `${likelihood.value} ${likelihood.name}`, style: 'axis', alignment: 'right', margin: [0, 7, 2, 0] }];
    for (const impact of [...matrix.impact].sort((a, b) => a.value - b.value)) {
      const levelIndex = matrix.cells[likelihood.value - 1]?.[impact.value - 1];
      const level = levelIndex === undefined ? NO_LEVEL : (matrix.levels[levelIndex] ?? NO_LEVEL);
      const n = counts[likelihood.value - 1]?.[impact.value - 1] ?? 0;
      row.push({
        text: n === 0 ? ' ' : String(n),
        fillColor: level.colour,
        color: textOn(level.colour),
        bold: true,
        fontSize: 11,
        alignment: 'center',
        margin: [0, 6, 0, 6],
      });
    }
    body.push(row);
  }
  // Impact names are keyed below the grid: long ones would not fit under a cell.
  const impacts = [...matrix.impact].sort((a, b) => a.value - b.value);
  body.push([
    { text: 'Impact', style: 'axis', alignment: 'right' },
    ...impacts.map((i): TableCell => ({ text: String(i.value), style: 'axis', alignment: 'center' })),
  ]);
  const total = counts.flat().reduce((a, b) => a + b, 0);
  return {
    stack: [
      { text: basis === 'inherent' ? 'Inherent risk' : 'Residual risk (after controls)', style: 'h3' },
      { text: `${total} open risk${total === 1 ? '' : 's'} · likelihood (rows) × impact (columns)`, style: 'note', margin: [0, 0, 0, 4] },
      {
        table: { widths: [52, ...matrix.impact.map(() => '*')], body },
        layout: { hLineColor: () => '#ffffff', vLineColor: () => '#ffffff', hLineWidth: () => 1.5, vLineWidth: () => 1.5 },
      },
      { text: `Impact: ${impacts.map((i) => `${i.value} ${i.name}`).join(' · ')}`, style: 'axis', margin: [54, 2, 0, 0] },
    ],
  };
}

export function legend(overview: RiskOverview): Content {
  const levels = overview.matrix?.levels ?? [];
  if (levels.length === 0) return { text: '' };
  return {
    table: {
      widths: levels.flatMap(() => [8, 'auto', 8]),
      body: [levels.flatMap((l): TableCell[] => [{ text: ' ', fillColor: l.colour, fontSize: 6 }, { text: l.name, style: 'note' }, { text: '' }])],
    },
    layout: { hLineWidth: () => 0, vLineWidth: () => 0, paddingTop: () => 0, paddingBottom: () => 0, paddingLeft: () => 2, paddingRight: () => 2 },
    margin: [0, 6, 0, 0],
  };
}

/** Open risks by residual level per week, as stacked bars drawn on a canvas. */
export function trendChart(overview: RiskOverview): Content {
  const weeks = overview.trend;
  const levels = overview.matrix?.levels ?? [];
  if (weeks.length === 0 || levels.length === 0) {
    return {
      stack: [
        { text: 'Risk trend', style: 'h2' },
        { text: 'No assessment history in the period.', color: MUTED },
      ],
      unbreakable: true,
    };
  }
  const width = 515;
  const height = 120;
  const axis = 24;
  const max = Math.max(1, ...weeks.map((w) => Object.values(w.counts).reduce((a, b) => a + b, 0)));
  const slot = (width - axis) / weeks.length;
  const bar = Math.max(2, Math.min(28, slot * 0.7));
  const shapes: NonNullable<Extract<Content, { canvas: unknown }>['canvas']> = [
    { type: 'line', x1: axis, y1: height, x2: width, y2: height, lineWidth: 0.5, lineColor: MUTED },
  ];
  weeks.forEach((week, i) => {
    let y = height;
    for (const level of levels) {
      const n = week.counts[level.key] ?? 0;
      if (n === 0) continue;
      const h = (n / max) * (height - 8);
      y -= h;
      shapes.push({ type: 'rect', x: axis + i * slot + (slot - bar) / 2, y, w: bar, h, color: level.colour });
    }
  });
  // Week labels: as many as fit, evenly spaced under their bars.
  const every = Math.max(1, Math.ceil(weeks.length / 8));
  const labels: Content[] = weeks
    .filter((_, i) => i % every === 0)
    .map((w) => ({ text: reportDate(w.weekStart).slice(0, 6), style: 'axis', width: slot * every }));
  return {
    stack: [
      { text: 'Risk trend', style: 'h2' },
      { text: `Open risks by residual level at each week's end (tallest bar: ${max})`, style: 'note', margin: [0, 0, 0, 4] },
      { canvas: shapes },
      { columns: [{ text: '', width: axis }, ...labels], columnGap: 0, margin: [0, 2, 0, 0] },
      legend(overview),
    ],
    unbreakable: true,
  };
}
