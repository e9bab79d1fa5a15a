// Chart options for Deep Dive Analytics, in the overview's look (overview/chartOptions.ts chartBase).
import { alpha, type Theme } from '@mui/material/styles';
import type { FalsePositiveTrend, PivotRow } from '../../../shared/src/analytics.ts';
import { formatCount, formatDate } from '../lib/format.ts';
import { chartBase } from '../overview/chartOptions.ts';
import type { ChartOption } from '../overview/EChart.tsx';

/** Assessments per pivot row (cleared and flagged stacked), largest first. */
export function pivotOption(rows: readonly PivotRow[], theme: Theme): ChartOption {
  const b = chartBase(theme);
  return {
    textStyle: b.textStyle,
    grid: { left: 8, right: 16, top: 30, bottom: 4, containLabel: true },
    legend: { ...b.legend, top: 0, right: 0, data: ['Cleared', 'Flagged'] },
    tooltip: b.barTooltip,
    xAxis: b.categoryAxis(
      rows.map((r) => r.label),
      { hideOverlap: true, rotate: rows.length > 8 ? 30 : 0 },
    ),
    yAxis: { type: 'value', minInterval: 1, axisLabel: b.axisLabel, splitLine: b.splitLine },
    series: [
      {
        name: 'Cleared',
        type: 'bar',
        stack: 'total',
        barMaxWidth: 36,
        data: rows.map((r) => Math.max(0, r.count - r.flagged)),
        itemStyle: { color: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.5 : 0.7) },
      },
      {
        name: 'Flagged',
        type: 'bar',
        stack: 'total',
        barMaxWidth: 36,
        data: rows.map((r) => r.flagged),
        itemStyle: { color: theme.palette.risk.HIGH, borderRadius: [4, 4, 0, 0] },
      },
    ],
  };
}

/** False-positive share of closed cases per bucket (line), closed cases as quiet bars behind. */
export function falsePositiveOption(trend: FalsePositiveTrend, theme: Theme): ChartOption {
  const b = chartBase(theme);
  return {
    textStyle: b.textStyle,
    grid: { left: 8, right: 8, top: 30, bottom: 4, containLabel: true },
    legend: { ...b.legend, top: 0, right: 0, data: ['False-positive rate', 'Closed cases'] },
    tooltip: { ...b.tooltip, trigger: 'axis' },
    xAxis: b.categoryAxis(
      trend.points.map((p) => (trend.interval === 'week' ? `wk of ${formatDate(p.bucket)}` : formatDate(p.bucket))),
      { hideOverlap: true },
    ),
    yAxis: [
      { type: 'value', min: 0, max: 100, axisLabel: { ...b.axisLabel, formatter: '{value} %' }, splitLine: b.splitLine },
      { type: 'value', minInterval: 1, axisLabel: b.axisLabel, splitLine: { show: false } },
    ],
    series: [
      {
        name: 'Closed cases',
        type: 'bar',
        yAxisIndex: 1,
        barMaxWidth: 22,
        data: trend.points.map((p) => p.closed),
        itemStyle: { color: alpha(theme.palette.text.disabled, 0.3), borderRadius: [3, 3, 0, 0] },
        tooltip: { valueFormatter: (v) => formatCount(Number(v)) },
      },
      {
        name: 'False-positive rate',
        type: 'line',
        data: trend.points.map((p) => (p.rate === null ? null : Math.round(p.rate * 1000) / 10)),
        connectNulls: false,
        symbol: 'circle',
        symbolSize: 6,
        lineStyle: { width: 2, color: theme.palette.status.warning },
        itemStyle: { color: theme.palette.status.warning },
        tooltip: { valueFormatter: (v) => (v === null || v === undefined ? 'no closed cases' : `${String(v)} %`) },
      },
    ],
  };
}
