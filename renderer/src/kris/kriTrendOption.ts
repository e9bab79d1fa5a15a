// The ECharts option of a KRI's trend: the measurements over time on top of its threshold bands
// (OK, warning, critical) drawn in the KRI's own direction, so a reader sees at once which side
// of a line is bad. The y-axis range is computed here (data and both thresholds, padded), so the
// open-ended outer bands always reach the chart's edge.
import { alpha, type Theme } from '@mui/material/styles';
import { formatEat, formatEatDay } from '../lib/format.ts';
import { chartBase } from '../overview/chartOptions.ts';
import type { ChartOption } from '../overview/EChart.tsx';
import { formatKriValue } from './kriInput.ts';
import { evaluateKri, type KriDirection } from '../../../shared/src/kris.ts';
import type { KriBand } from './kriThresholds.ts';

/** What the chart needs of a KRI (a `Kri` from shared/src/kris.ts satisfies it). */
export interface KriTrendSubject {
  direction: KriDirection;
  thresholdWarning: number;
  thresholdCritical: number;
  unit: string;
}

/** One point of the trend (a `KriMeasurement` satisfies it). */
export interface KriTrendPoint {
  measuredAt: string;
  value: number;
  backfill?: boolean;
  source?: string;
}

export function bandColour(band: KriBand | 'NO_DATA', theme: Theme): string {
  switch (band) {
    case 'OK':
      return theme.palette.status.success;
    case 'WARNING':
      return theme.palette.status.warning;
    case 'CRITICAL':
      return theme.palette.status.danger;
    default:
      return theme.palette.status.neutral;
  }
}

/** The y range to draw: every value and both thresholds with a little room above and below. */
export function trendRange(kri: KriTrendSubject, values: readonly number[]): { min: number; max: number } {
  const all = [...values, kri.thresholdWarning, kri.thresholdCritical].filter(Number.isFinite);
  const low = Math.min(...all);
  const high = Math.max(...all);
  const span = high - low || Math.abs(high) || 1;
  // Round the ends to a "nice" step (1, 2 or 5 × 10ⁿ) so the axis reads 0, 0.3, 0.6 … not 0.02.
  const raw = (span * 1.36) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  let min = Math.floor((low - span * 0.18) / step) * step;
  const max = Math.ceil((high + span * 0.18) / step) * step;
  // Counts and ratios are rarely negative: do not invent a negative axis for them.
  if (low >= 0 && min < 0) min = 0;
  return { min: Number(min.toPrecision(12)), max: Number(max.toPrecision(12)) };
}

function bandAreas(kri: KriTrendSubject, range: { min: number; max: number }, theme: Theme) {
  const { thresholdWarning: warning, thresholdCritical: critical } = kri;
  const opacity = theme.palette.mode === 'dark' ? 0.14 : 0.09;
  const worse = kri.direction === 'HIGHER_IS_WORSE';
  const bands: Array<{ band: KriBand; from: number; to: number }> = worse
    ? [
        { band: 'OK', from: range.min, to: warning },
        { band: 'WARNING', from: warning, to: critical },
        { band: 'CRITICAL', from: critical, to: range.max },
      ]
    : [
        { band: 'CRITICAL', from: range.min, to: critical },
        { band: 'WARNING', from: critical, to: warning },
        { band: 'OK', from: warning, to: range.max },
      ];
  return bands
    .filter((b) => b.to > b.from)
    .map((b) => [
      { yAxis: b.from, itemStyle: { color: alpha(bandColour(b.band, theme), b.band === 'OK' ? opacity * 0.7 : opacity * 1.6) } },
      { yAxis: b.to },
    ]) as [object, object][];
}

export function kriTrendOption(
  kri: KriTrendSubject,
  points: readonly KriTrendPoint[],
  theme: Theme,
  { compact = false }: { compact?: boolean } = {},
): ChartOption {
  const b = chartBase(theme);
  const sorted = [...points]
    .filter((p) => Number.isFinite(p.value) && Number.isFinite(Date.parse(p.measuredAt)))
    .sort((x, y) => Date.parse(x.measuredAt) - Date.parse(y.measuredAt));
  const range = trendRange(
    kri,
    sorted.map((p) => p.value),
  );
  const line = theme.palette.mode === 'dark' ? '#cbd5e1' : '#334155';
  const thresholdLine = (value: number, band: KriBand, name: string) => ({
    yAxis: value,
    name,
    lineStyle: { color: bandColour(band, theme), type: 'dashed' as const, width: 1.2 },
    label: {
      show: !compact,
      position: 'insideEndTop' as const,
      formatter: `${name} ${formatKriValue(value, kri.unit)}`,
      color: bandColour(band, theme),
      fontSize: 10.5,
    },
  });
  return {
    textStyle: b.textStyle,
    animationDuration: 300,
    grid: compact ? { left: 4, right: 8, top: 8, bottom: 4, containLabel: true } : { left: 8, right: 16, top: 16, bottom: 4, containLabel: true },
    tooltip: {
      ...b.tooltip,
      trigger: 'axis',
      formatter: (params: unknown) => {
        const first = (Array.isArray(params) ? params[0] : params) as { dataIndex?: number } | undefined;
        const point = first?.dataIndex !== undefined ? sorted[first.dataIndex] : undefined;
        if (!point) return '';
        const band = evaluateKri(kri.direction, kri.thresholdWarning, kri.thresholdCritical, point.value);
        const extra = [point.source ? point.source.toLowerCase() : null, point.backfill ? 'backfilled' : null].filter(Boolean).join(' · ');
        return `${formatEat(point.measuredAt)}<br/><b>${formatKriValue(point.value, kri.unit)}</b> · ${band.toLowerCase()}${extra ? `<br/><span style="opacity:.7">${extra}</span>` : ''}`;
      },
    },
    xAxis: {
      type: 'time',
      axisLine: b.axisLine,
      axisTick: { show: false },
      axisLabel: { ...b.axisLabel, hideOverlap: true, formatter: (value: number) => formatEatDay(new Date(value)) },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      min: range.min,
      max: range.max,
      axisLabel: { ...b.axisLabel, formatter: (value: number) => formatKriValue(value) },
      splitLine: b.splitLine,
    },
    series: [
      {
        type: 'line',
        name: 'Value',
        data: sorted.map((p) => {
          const band = evaluateKri(kri.direction, kri.thresholdWarning, kri.thresholdCritical, p.value);
          return {
            value: [Date.parse(p.measuredAt), p.value],
            // A backfilled value is drawn hollow: recorded later, for an earlier time.
            itemStyle: p.backfill
              ? { color: theme.palette.background.paper, borderColor: bandColour(band, theme), borderWidth: 2 }
              : { color: bandColour(band, theme) },
          };
        }),
        symbol: 'circle',
        symbolSize: compact ? 4 : 7,
        showSymbol: true,
        lineStyle: { color: line, width: 1.8 },
        markArea: { silent: true, data: bandAreas(kri, range, theme) },
        markLine: {
          silent: true,
          symbol: 'none',
          data: [thresholdLine(kri.thresholdWarning, 'WARNING', 'Warning'), thresholdLine(kri.thresholdCritical, 'CRITICAL', 'Critical')],
        },
      },
    ],
  } as ChartOption;
}
