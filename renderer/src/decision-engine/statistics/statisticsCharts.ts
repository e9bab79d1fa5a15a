// ECharts options for the decision engine's statistics, built from the shared statistics contract
// and the MUI theme (light and dark), with the overview's axis, tooltip and legend styling.
import { alpha, type Theme } from '@mui/material/styles';
import { RiskLevel } from '../../../../shared/src/assessments.ts';
import type { FraudRiskStatistics } from '../../../../shared/src/decision-engine.ts';
import { formatEatDay, formatEatHour, formatEatShort, humanise } from '../../lib/format.ts';
import { chartBase } from '../../overview/chartOptions.ts';
import type { ChartOption } from '../../overview/EChart.tsx';

type Hourly = FraudRiskStatistics['hourly'];

/** Hourly buckets, or daily ones for long periods (30 days of hours is too dense to read). */
function buckets(hourly: Hourly, spanHours: number): { label: string; byRiskLevel: Record<string, number>; total: number }[] {
  if (spanHours <= 24 * 8) {
    const label = spanHours <= 26 ? (h: string) => formatEatHour(h) : (h: string) => formatEatShort(h);
    return hourly.map((h) => ({ label: label(h.hour), byRiskLevel: h.byRiskLevel, total: h.total }));
  }
  const days = new Map<string, { label: string; byRiskLevel: Record<string, number>; total: number }>();
  for (const h of hourly) {
    const label = formatEatDay(h.hour);
    const day = days.get(label) ?? { label, byRiskLevel: {}, total: 0 };
    day.total += h.total;
    for (const [level, count] of Object.entries(h.byRiskLevel)) day.byRiskLevel[level] = (day.byRiskLevel[level] ?? 0) + count;
    days.set(label, day);
  }
  return [...days.values()];
}

export function volumeOption(stats: FraudRiskStatistics, spanHours: number, theme: Theme): ChartOption {
  const b = chartBase(theme);
  const rows = buckets(stats.hourly, spanHours);
  return {
    textStyle: b.textStyle,
    animationDuration: 300,
    grid: { left: 8, right: 12, top: 36, bottom: 4, containLabel: true },
    legend: { ...b.legend, top: 0, right: 0 },
    tooltip: b.barTooltip,
    xAxis: b.categoryAxis(
      rows.map((r) => r.label),
      { hideOverlap: true },
    ),
    yAxis: { type: 'value', minInterval: 1, axisLabel: b.axisLabel, splitLine: b.splitLine },
    series: RiskLevel.options.map((level, i) => ({
      name: humanise(level),
      type: 'bar' as const,
      stack: 'volume',
      barMaxWidth: 22,
      data: rows.map((r) => r.byRiskLevel[level] ?? 0),
      itemStyle: {
        color: level === 'LOW' ? alpha(theme.palette.risk.LOW, theme.palette.mode === 'dark' ? 0.55 : 0.6) : theme.palette.risk[level],
        borderRadius: i === RiskLevel.options.length - 1 ? [3, 3, 0, 0] : 0,
      },
    })),
  };
}

/** A horizontal bar chart of named counts (top rules, configurations). */
export function rankedBarsOption(items: readonly { name: string; value: number }[], seriesName: string, theme: Theme, colour?: string): ChartOption {
  const b = chartBase(theme);
  const rows = [...items].sort((x, y) => x.value - y.value);
  return {
    textStyle: b.textStyle,
    animationDuration: 300,
    grid: { left: 8, right: 40, top: 4, bottom: 4, containLabel: true },
    tooltip: b.barTooltip,
    // Each bar is labelled with its count, so the value axis needs no labels of its own.
    xAxis: { type: 'value', minInterval: 1, axisLabel: { show: false }, splitLine: b.splitLine },
    yAxis: {
      type: 'category',
      data: rows.map((r) => r.name),
      axisLine: b.axisLine,
      axisTick: { show: false },
      axisLabel: { ...b.axisLabel, width: 170, overflow: 'truncate' },
    },
    series: [
      {
        name: seriesName,
        type: 'bar',
        barMaxWidth: 16,
        data: rows.map((r) => r.value),
        itemStyle: { color: colour ?? theme.palette.primary.main, borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: 'right', color: theme.palette.text.secondary, fontSize: 11 },
      },
    ],
  };
}

export function processingOption(stats: FraudRiskStatistics, theme: Theme): ChartOption {
  const b = chartBase(theme);
  const p = stats.processing;
  const bars = [
    { name: 'Average', value: p.averageMs },
    { name: 'p50', value: p.p50Ms },
    { name: 'p95', value: p.p95Ms },
    { name: 'p99', value: p.p99Ms },
  ];
  return {
    textStyle: b.textStyle,
    animationDuration: 300,
    grid: { left: 8, right: 12, top: 16, bottom: 4, containLabel: true },
    tooltip: { ...b.barTooltip, valueFormatter: (v) => `${Number(v).toFixed(1)} ms` },
    xAxis: b.categoryAxis(bars.map((x) => x.name)),
    yAxis: { type: 'value', axisLabel: { ...b.axisLabel, formatter: '{value} ms' }, splitLine: b.splitLine },
    series: [
      {
        type: 'bar',
        name: 'Processing time',
        barMaxWidth: 40,
        data: bars.map((x) => ({ value: Math.round(x.value * 10) / 10, itemStyle: { color: theme.palette.primary.main, borderRadius: [4, 4, 0, 0] } })),
        label: { show: true, position: 'top', color: theme.palette.text.secondary, fontSize: 11, formatter: '{c} ms' },
      },
    ],
  };
}
