// ECharts options of the risk-model screen, built from the runs and the MUI theme (light and dark).
import { alpha, type Theme } from '@mui/material/styles';
import type { CreditModelResult, MarketModelResult } from '../../../shared/src/risk-data-models.ts';
import { formatEatShort, formatMoneyCompact } from '../lib/format.ts';
import type { ChartOption } from '../overview/EChart.tsx';
import { chartBase } from '../overview/chartOptions.ts';
import { formatMoneyShort, formatPercent } from './modelParts.tsx';

/** Sector exposure as horizontal bars, the largest sector highlighted, each labelled with its share. */
export function sectorConcentrationOption(result: CreditModelResult, theme: Theme): ChartOption {
  const b = chartBase(theme);
  // Smallest at the bottom so the largest reads first.
  const sectors = [...result.concentrationRisks].sort((x, y) => x.exposure - y.exposure);
  const largest = result.largestSector?.sector;
  const levelColour = { High: theme.palette.status.danger, Medium: theme.palette.status.warning, Low: theme.palette.primary.main };
  return {
    textStyle: b.textStyle,
    animationDuration: 300,
    grid: { left: 8, right: 64, top: 8, bottom: 4, containLabel: true },
    tooltip: {
      ...b.tooltip,
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (value) => formatMoneyShort(Number(value)),
    },
    xAxis: { type: 'value', axisLabel: { ...b.axisLabel, formatter: (v: number) => formatMoneyCompact(v, '').trim() }, splitLine: b.splitLine },
    yAxis: { type: 'category', data: sectors.map((s) => s.sector), axisLine: b.axisLine, axisTick: { show: false }, axisLabel: b.axisLabel },
    series: [
      {
        name: 'Exposure',
        type: 'bar',
        barMaxWidth: 20,
        data: sectors.map((s) => ({
          value: s.exposure,
          itemStyle: {
            color: s.sector === largest ? levelColour[s.riskLevel] : alpha(levelColour[s.riskLevel], 0.45),
            borderRadius: [0, 3, 3, 0],
            borderWidth: s.sector === largest ? 2 : 0,
            borderColor: theme.palette.text.primary,
          },
          label: {
            show: true,
            position: 'right',
            formatter: `${formatPercent(s.percentage, 1)}${s.sector === largest ? ' ◀ largest' : ''}`,
            color: s.sector === largest ? theme.palette.text.primary : theme.palette.text.secondary,
            fontWeight: s.sector === largest ? 700 : 400,
            fontSize: 11,
          },
        })),
      },
    ],
  };
}

export interface TrendLine {
  name: string;
  /** [runAt, value] pairs, oldest first. */
  points: Array<[string, number]>;
  colour: string;
}

/** Lines over the model's runs (percentages), with an optional regulatory minimum or limit drawn across. */
export function percentTrendOption(lines: TrendLine[], theme: Theme, threshold?: { value: number; label: string }): ChartOption {
  const b = chartBase(theme);
  return {
    textStyle: b.textStyle,
    animationDuration: 300,
    grid: { left: 8, right: 16, top: 36, bottom: 4, containLabel: true },
    legend: { ...b.legend, top: 0, right: 0, data: lines.map((l) => l.name) },
    tooltip: {
      ...b.tooltip,
      trigger: 'axis',
      valueFormatter: (value) => formatPercent(Number(value)),
    },
    xAxis: { type: 'time', axisLine: b.axisLine, axisLabel: { ...b.axisLabel, formatter: (v: number) => formatEatShort(new Date(v)), hideOverlap: true } },
    yAxis: {
      type: 'value',
      scale: true,
      // The minimum or limit line must stay in view even when every run is far from it.
      ...(threshold
        ? {
            min: (extent: { min: number }) => roundTo(Math.min(extent.min, threshold.value) * 0.9, Math.floor, threshold.value),
            max: (extent: { max: number }) => roundTo(Math.max(extent.max, threshold.value) * 1.05, Math.ceil, threshold.value),
          }
        : {}),
      axisLabel: { ...b.axisLabel, formatter: '{value} %' },
      splitLine: b.splitLine,
    },
    series: lines.map((line, i) => ({
      name: line.name,
      type: 'line',
      data: line.points,
      symbol: 'circle',
      symbolSize: 5,
      lineStyle: { color: line.colour, width: 2 },
      itemStyle: { color: line.colour },
      ...(i === 0 && threshold
        ? {
            markLine: {
              silent: true,
              symbol: 'none',
              lineStyle: { color: theme.palette.status.danger, type: 'dashed', width: 1.5 },
              label: { formatter: threshold.label, color: theme.palette.status.danger, fontSize: 11, position: 'insideEndTop' },
              data: [{ yAxis: threshold.value }],
            },
          }
        : {}),
    })),
  };
}

/** Net position per currency (long above, short below zero). */
export function fxNetPositionOption(result: MarketModelResult, theme: Theme): ChartOption {
  const b = chartBase(theme);
  const rows = [...result.byCurrency].sort((x, y) => Math.abs(y.net) - Math.abs(x.net));
  return {
    textStyle: b.textStyle,
    animationDuration: 300,
    grid: { left: 8, right: 12, top: 12, bottom: 4, containLabel: true },
    tooltip: { ...b.tooltip, trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (value) => formatMoneyShort(Number(value)) },
    xAxis: { type: 'category', data: rows.map((r) => r.currency), axisLine: b.axisLine, axisTick: { show: false }, axisLabel: b.axisLabel },
    yAxis: { type: 'value', axisLabel: { ...b.axisLabel, formatter: (v: number) => formatMoneyCompact(v, '').trim() }, splitLine: b.splitLine },
    series: [
      {
        name: 'Net position (KES)',
        type: 'bar',
        barMaxWidth: 28,
        data: rows.map((r) => ({
          value: r.net,
          itemStyle: {
            color: r.net >= 0 ? theme.palette.primary.main : theme.palette.status.warning,
            borderRadius: r.net >= 0 ? [3, 3, 0, 0] : [0, 0, 3, 3],
            borderWidth: r.currency === result.largestCurrency ? 2 : 0,
            borderColor: theme.palette.text.primary,
          },
        })),
      },
    ],
  };
}

/** Axis ends on a round step: tens around a 100 % minimum, units around a 10 % limit. */
function roundTo(value: number, round: (x: number) => number, threshold: number): number {
  const step = threshold >= 50 ? 10 : 1;
  return round(value / step) * step;
}

/** Runs oldest first as [runAt, value] points, skipping runs without the figure. */
export function pointsOf<R extends { runAt: string }>(history: R[], pick: (run: R) => number | null): Array<[string, number]> {
  const points: Array<[string, number]> = [];
  for (const run of [...history].reverse()) {
    const value = pick(run);
    if (value !== null && Number.isFinite(value)) points.push([run.runAt, value]);
  }
  return points;
}
