// Chart options of the enterprise risk view: open risks per week by residual level (the level
// colours come from the risk matrix, which is data), and risk events and losses per week.
import { alpha, type Theme } from '@mui/material/styles';
import type { OverviewLevel, RiskOverview } from '../../../shared/src/risk-reports.ts';
import { formatCount, formatEatDay, formatMoneyCompact } from '../lib/format.ts';
import { chartBase } from './chartOptions.ts';
import type { ChartOption } from './EChart.tsx';

/** The levels to stack, in the matrix's order (lowest first), then any other level the trend names. */
export function trendLevels(overview: RiskOverview): OverviewLevel[] {
  const levels: OverviewLevel[] = [
    ...(overview.matrix?.levels ?? []),
    ...overview.totals.byResidualLevel.map(({ key, name, colour }) => ({ key, name, colour })),
  ];
  const seen = new Set<string>();
  const out: OverviewLevel[] = [];
  for (const level of levels) {
    if (seen.has(level.key)) continue;
    seen.add(level.key);
    out.push(level);
  }
  for (const week of overview.trend) {
    for (const key of Object.keys(week.counts)) {
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ key, name: key, colour: '#94a3b8' });
      }
    }
  }
  return out;
}

/** Weeks start Monday 00:00 UTC: label them by that UTC day (noon, so no zone shifts the day). */
const weekLabel = (iso: string) => formatEatDay(`${iso.slice(0, 10)}T12:00:00Z`);

export function riskTrendOption(overview: RiskOverview, theme: Theme): ChartOption {
  const b = chartBase(theme);
  const levels = trendLevels(overview);
  return {
    textStyle: b.textStyle,
    animationDuration: 300,
    grid: { left: 8, right: 12, top: 36, bottom: 4, containLabel: true },
    legend: { ...b.legend, top: 0, right: 0, data: levels.map((l) => l.name) },
    tooltip: { ...b.tooltip, trigger: 'axis' },
    xAxis: {
      type: 'category',
      data: overview.trend.map((w) => weekLabel(w.weekStart)),
      axisLine: b.axisLine,
      axisTick: { show: false },
      axisLabel: { ...b.axisLabel, hideOverlap: true },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: b.axisLabel, splitLine: b.splitLine },
    series: levels.map((level) => ({
      name: level.name,
      type: 'bar',
      stack: 'risks',
      barMaxWidth: 28,
      data: overview.trend.map((w) => w.counts[level.key] ?? 0),
      itemStyle: { color: level.colour },
    })),
  };
}

/** Events per week as bars; the week's losses (the period's main currency) as a line on a second axis. */
export function eventsOption(overview: RiskOverview, theme: Theme, currency: string | null): ChartOption {
  const b = chartBase(theme);
  const lossOf = (week: RiskOverview['eventsByWeek'][number]) => week.losses.find((l) => l.currency === currency)?.amount ?? 0;
  return {
    textStyle: b.textStyle,
    animationDuration: 300,
    grid: { left: 8, right: 8, top: 36, bottom: 4, containLabel: true },
    legend: { ...b.legend, top: 0, right: 0, data: currency ? ['Events', `Losses (${currency})`] : ['Events'] },
    tooltip: { ...b.tooltip, trigger: 'axis' },
    xAxis: {
      type: 'category',
      data: overview.eventsByWeek.map((w) => weekLabel(w.weekStart)),
      axisLine: b.axisLine,
      axisTick: { show: false },
      axisLabel: { ...b.axisLabel, hideOverlap: true },
    },
    yAxis: [
      { type: 'value', minInterval: 1, axisLabel: { ...b.axisLabel, formatter: (v: number) => formatCount(v) }, splitLine: b.splitLine },
      { type: 'value', axisLabel: { ...b.axisLabel, formatter: (v: number) => formatMoneyCompact(v, '').trim() }, splitLine: { show: false } },
    ],
    series: [
      {
        name: 'Events',
        type: 'bar',
        barMaxWidth: 22,
        data: overview.eventsByWeek.map((w) => w.events),
        itemStyle: { color: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.55 : 0.7), borderRadius: [3, 3, 0, 0] },
      },
      ...(currency
        ? [
            {
              name: `Losses (${currency})`,
              type: 'line' as const,
              yAxisIndex: 1,
              data: overview.eventsByWeek.map(lossOf),
              symbol: 'circle',
              symbolSize: 5,
              lineStyle: { width: 2, color: theme.palette.status.danger },
              itemStyle: { color: theme.palette.status.danger },
            },
          ]
        : []),
    ],
  };
}
