// ECharts options of the toggles statistics: configurations by state (donut), checks per hour
// (enabled vs disabled, stacked). Configurations by level reuse the ranked bars of the decision engine.
import { alpha, type Theme } from '@mui/material/styles';
import { ToggleState, type ToggleStatistics } from '../../../shared/src/toggles.ts';
import { formatEatHour } from '../lib/format.ts';
import { chartBase, donutOption } from '../overview/chartOptions.ts';
import type { ChartOption } from '../overview/EChart.tsx';
import { STATE_LABELS } from './toggleChips.tsx';

function stateFill(state: ToggleState, theme: Theme): string {
  const { status } = theme.palette;
  switch (state) {
    case 'EFFECTIVE':
      return status.success;
    case 'FUTURE':
      return status.info;
    case 'EXPIRED':
      return status.warning;
    case 'INACTIVE':
      return status.neutral;
  }
}

export function byStateOption(stats: ToggleStatistics, theme: Theme): ChartOption {
  return donutOption(
    ToggleState.options.map((state) => ({ name: STATE_LABELS[state], value: stats.byState[state] ?? 0, itemStyle: { color: stateFill(state, theme) } })),
    'configurations',
    theme,
  );
}

export function checksPerHourOption(stats: ToggleStatistics, theme: Theme): ChartOption {
  const b = chartBase(theme);
  const dark = theme.palette.mode === 'dark';
  return {
    textStyle: b.textStyle,
    animationDuration: 300,
    grid: { left: 8, right: 12, top: 36, bottom: 4, containLabel: true },
    legend: { ...b.legend, top: 0, right: 0 },
    tooltip: { ...b.tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'category',
      data: stats.checksPerHour.map((h) => formatEatHour(h.hour)),
      axisLine: b.axisLine,
      axisTick: { show: false },
      axisLabel: { ...b.axisLabel, hideOverlap: true },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: b.axisLabel, splitLine: b.splitLine },
    series: [
      {
        name: 'Engine enabled',
        type: 'bar',
        stack: 'checks',
        barMaxWidth: 22,
        data: stats.checksPerHour.map((h) => h.enabled),
        itemStyle: { color: alpha(theme.palette.status.success, dark ? 0.6 : 0.7) },
      },
      {
        name: 'Engine disabled',
        type: 'bar',
        stack: 'checks',
        barMaxWidth: 22,
        data: stats.checksPerHour.map((h) => h.disabled),
        itemStyle: { color: theme.palette.status.danger, borderRadius: [3, 3, 0, 0] },
      },
    ],
  };
}
