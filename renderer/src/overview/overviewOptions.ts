// Chart options for the ranged Overview (issue 15): the period against the previous one (dashed),
// bar breakdowns with the previous period as a ghost bar. Every bar and point carries the index
// of the row whose DrillTarget a click opens.
import { alpha, type Theme } from '@mui/material/styles';
import type { BreakdownRow, DashboardOverview } from '../../../shared/src/analytics.ts';
import { Decision, RiskLevel } from '../../../shared/src/assessments.ts';
import { formatCount, formatEatDay, formatEatHour } from '../lib/format.ts';
import { chartBase, decisionFill } from './chartOptions.ts';
import type { ChartOption } from './EChart.tsx';

function bucketLabel(at: string, bucket: DashboardOverview['range']['bucket']): string {
  return bucket === 'hour' ? formatEatHour(at) : formatEatDay(at);
}

/** Assessments per bucket: bars and flagged line now, the previous period's dashed lines behind. */
export function seriesOption(overview: DashboardOverview, theme: Theme): ChartOption {
  const b = chartBase(theme);
  const dark = theme.palette.mode === 'dark';
  const labels = overview.series.map((s) => bucketLabel(s.at, overview.range.bucket));
  const previousColour = theme.palette.text.disabled;
  return {
    textStyle: b.textStyle,
    animationDuration: 400,
    grid: { left: 8, right: 12, top: 36, bottom: 4, containLabel: true },
    legend: { ...b.legend, top: 0, right: 0, data: ['Assessed', 'Flagged', 'Assessed, previous', 'Flagged, previous'] },
    tooltip: b.barTooltip,
    xAxis: b.categoryAxis(labels, { hideOverlap: true }),
    yAxis: { type: 'value', minInterval: 1, axisLabel: b.axisLabel, splitLine: b.splitLine },
    series: [
      {
        name: 'Assessed',
        type: 'bar',
        data: overview.series.map((s) => s.total),
        barMaxWidth: 18,
        itemStyle: { color: alpha(theme.palette.primary.main, dark ? 0.55 : 0.75), borderRadius: [3, 3, 0, 0] },
      },
      {
        name: 'Flagged',
        type: 'line',
        data: overview.series.map((s) => s.flagged),
        symbol: 'circle',
        symbolSize: 6,
        lineStyle: { width: 2, color: theme.palette.risk.HIGH },
        itemStyle: { color: theme.palette.risk.HIGH },
      },
      {
        name: 'Assessed, previous',
        type: 'line',
        // The previous period is context: it has no list of its own to open.
        silent: true,
        data: overview.series.map((s) => s.previousTotal),
        symbol: 'none',
        lineStyle: { width: 1.5, type: 'dashed', color: previousColour },
        itemStyle: { color: previousColour },
      },
      {
        name: 'Flagged, previous',
        type: 'line',
        silent: true,
        data: overview.series.map((s) => s.previousFlagged),
        symbol: 'none',
        lineStyle: { width: 1.5, type: 'dashed', color: alpha(theme.palette.risk.HIGH, 0.55) },
        itemStyle: { color: alpha(theme.palette.risk.HIGH, 0.55) },
      },
    ],
  };
}

/** A colour per breakdown key where the key has one (decisions, risk levels), else the primary colour. */
function rowColour(row: BreakdownRow, theme: Theme): string {
  const level = RiskLevel.safeParse(row.key);
  if (level.success) return theme.palette.risk[level.data];
  const decision = Decision.safeParse(row.key);
  if (decision.success) return decisionFill(decision.data, theme);
  const severity = RiskLevel.safeParse(row.key.toUpperCase());
  if (severity.success) return theme.palette.risk[severity.data];
  return alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.6 : 0.8);
}

/** Bars for this period with labels, the previous period as a quiet bar beside each. */
export function breakdownOption(rows: readonly BreakdownRow[], theme: Theme): ChartOption {
  const b = chartBase(theme);
  return {
    textStyle: b.textStyle,
    grid: { left: 8, right: 16, top: 30, bottom: 4, containLabel: true },
    legend: { ...b.legend, top: 0, right: 0, data: ['This period', 'Previous period'] },
    tooltip: b.barTooltip,
    // Every category named: long ones ("Manual review") break onto a second line.
    xAxis: b.categoryAxis(
      rows.map((r) => r.label),
      { interval: 0, width: 62, overflow: 'break', lineHeight: 13 },
    ),
    yAxis: { type: 'value', minInterval: 1, axisLabel: b.axisLabel, splitLine: b.splitLine },
    series: [
      {
        type: 'bar',
        name: 'This period',
        barMaxWidth: 40,
        // The legend's swatch; each bar takes its own colour from its data item.
        itemStyle: { color: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.6 : 0.8) },
        data: rows.map((r) => ({ value: r.value, itemStyle: { color: rowColour(r, theme), borderRadius: [4, 4, 0, 0] } })),
        label: {
          show: true,
          position: 'top',
          color: theme.palette.text.secondary,
          fontSize: 11,
          formatter: (p: { value?: unknown }) => formatCount(Number(p.value)),
        },
      },
      {
        type: 'bar',
        name: 'Previous period',
        silent: true,
        barMaxWidth: 40,
        data: rows.map((r) => r.previous),
        itemStyle: { color: alpha(theme.palette.text.disabled, 0.35), borderRadius: [4, 4, 0, 0] },
      },
    ],
  };
}
