import { alpha, type Theme } from '@mui/material/styles';
import type { Customer360Risk } from '../../../shared/src/customer360.ts';
import { formatDate, normaliseScore } from '../lib/format.ts';
import type { ChartOption } from '../overview/EChart.tsx';
import { chartBase } from '../overview/chartOptions.ts';

/** 30 days of the customer's payments: bars for how many, a line for the day's average risk score. */
export function riskTrendOption(trend: Customer360Risk['trend'], theme: Theme): ChartOption {
  const b = chartBase(theme);
  const days = [...trend].sort((x, y) => x.date.localeCompare(y.date));
  const line = theme.palette.risk.HIGH;
  return {
    textStyle: b.textStyle,
    animationDuration: 300,
    grid: { left: 4, right: 4, top: 26, bottom: 0, containLabel: true },
    legend: { ...b.legend, top: 0, right: 0, data: ['Avg score', 'Payments'] },
    tooltip: { ...b.tooltip, trigger: 'axis', axisPointer: { type: 'line' } },
    xAxis: {
      type: 'category',
      data: days.map((d) => formatDate(d.date).replace(/ \d{4}$/, '')),
      axisLine: b.axisLine,
      axisTick: { show: false },
      axisLabel: { ...b.axisLabel, hideOverlap: true },
    },
    yAxis: [
      { type: 'value', min: 0, max: 100, interval: 50, axisLabel: b.axisLabel, splitLine: b.splitLine },
      { type: 'value', minInterval: 1, axisLabel: { show: false }, splitLine: { show: false } },
    ],
    series: [
      {
        name: 'Payments',
        type: 'bar',
        yAxisIndex: 1,
        barMaxWidth: 10,
        data: days.map((d) => d.count),
        itemStyle: { color: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.35 : 0.22), borderRadius: [2, 2, 0, 0] },
      },
      {
        name: 'Avg score',
        type: 'line',
        data: days.map((d) => normaliseScore(d.averageScore)),
        smooth: 0.25,
        symbol: 'circle',
        symbolSize: 4,
        showSymbol: days.length <= 12,
        lineStyle: { width: 2, color: line },
        itemStyle: { color: line },
        areaStyle: { color: alpha(line, 0.08) },
      },
    ],
  };
}
