// Shared chart pieces (axes, tooltips, decision fills, donut, risk-level bars) built from the MUI theme so the
// charts match light and dark mode.
import type { Theme } from '@mui/material/styles';
import { Decision, RiskLevel } from '../../../shared/src/assessments.ts';
import { FONT_SANS } from '../app/theme.ts';
import { formatCount } from '../lib/format.ts';
import { DECISION_LABELS } from '../ui/chips.tsx';
import type { ChartOption } from './EChart.tsx';

export function chartBase(theme: Theme) {
  const axisLine = { lineStyle: { color: theme.palette.divider } };
  const axisLabel = { color: theme.palette.text.secondary, fontSize: 11, fontFamily: FONT_SANS };
  const splitLine = { lineStyle: { color: theme.palette.divider, type: 'dashed' as const } };
  const tooltip = {
    backgroundColor: theme.palette.mode === 'dark' ? '#1e293b' : '#ffffff',
    borderColor: theme.palette.divider,
    textStyle: { color: theme.palette.text.primary, fontSize: 12, fontFamily: FONT_SANS },
    extraCssText: 'box-shadow: 0 6px 24px rgba(15,23,42,0.18); border-radius: 8px;',
  };
  const legend = { textStyle: { color: theme.palette.text.secondary, fontSize: 12, fontFamily: FONT_SANS }, icon: 'roundRect', itemWidth: 10, itemHeight: 10 };
  // Bar charts: the tooltip names the whole category; the category axis has no ticks.
  const barTooltip = { ...tooltip, trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } };
  const categoryAxis = <L extends object>(data: string[], label?: L) => ({
    type: 'category' as const,
    data,
    axisLine,
    axisTick: { show: false },
    axisLabel: { ...axisLabel, ...label },
  });
  return { axisLine, axisLabel, splitLine, tooltip, barTooltip, categoryAxis, legend, textStyle: { fontFamily: FONT_SANS } };
}

/** Fills for the decisions donut: the chip colours are tuned for text, these for areas side by side. */
export function decisionFill(decision: Decision, theme: Theme): string {
  const dark = theme.palette.mode === 'dark';
  switch (decision) {
    case 'APPROVE':
      return dark ? '#34d399' : '#16a34a';
    case 'REJECT':
      return dark ? '#f87171' : '#b91c1c';
    case 'MANUAL_REVIEW':
      return dark ? '#60a5fa' : '#2563eb';
    case 'HOLD':
      return dark ? '#fb923c' : '#ea580c';
    case 'ESCALATE':
      return dark ? '#c4b5fd' : '#7c3aed';
  }
}

export interface DonutSlice {
  name: string;
  value: number;
  itemStyle: { color: string };
}

/** A donut with the total and a caption in its middle; empty slices are left out. */
export function donutOption(slices: readonly DonutSlice[], caption: string, theme: Theme): ChartOption {
  const b = chartBase(theme);
  const data = slices.filter((d) => d.value > 0);
  const total = data.reduce((sum, d) => sum + d.value, 0);
  return {
    textStyle: b.textStyle,
    tooltip: { ...b.tooltip, trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { ...b.legend, orient: 'vertical', right: 0, top: 'middle' },
    series: [
      {
        type: 'pie',
        radius: ['58%', '82%'],
        center: ['36%', '50%'],
        avoidLabelOverlap: true,
        padAngle: 1.5,
        itemStyle: { borderRadius: 4, borderColor: theme.palette.background.paper, borderWidth: 2 },
        label: {
          show: true,
          position: 'center',
          formatter: `{total|${formatCount(total)}}\n{caption|${caption}}`,
          rich: {
            total: { fontSize: 22, fontWeight: 700, color: theme.palette.text.primary, fontFamily: FONT_SANS, lineHeight: 28 },
            caption: { fontSize: 11, color: theme.palette.text.secondary, fontFamily: FONT_SANS },
          },
        },
        emphasis: { scale: true, scaleSize: 4 },
        labelLine: { show: false },
        data,
      },
    ],
  };
}

export function decisionsOption(summary: { byDecision: Partial<Record<Decision, number>> }, theme: Theme): ChartOption {
  return donutOption(
    Decision.options.map((decision) => ({
      name: DECISION_LABELS[decision],
      value: summary.byDecision[decision] ?? 0,
      itemStyle: { color: decisionFill(decision, theme) },
    })),
    'decisions',
    theme,
  );
}

export function riskLevelsOption(summary: { byRiskLevel: Partial<Record<RiskLevel, number>> }, theme: Theme): ChartOption {
  const b = chartBase(theme);
  const levels = RiskLevel.options;
  return {
    textStyle: b.textStyle,
    grid: { left: 8, right: 16, top: 12, bottom: 4, containLabel: true },
    tooltip: { ...b.tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'category',
      data: levels.map((l) => l.charAt(0) + l.slice(1).toLowerCase()),
      axisLine: b.axisLine,
      axisTick: { show: false },
      axisLabel: b.axisLabel,
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: b.axisLabel, splitLine: b.splitLine },
    series: [
      {
        type: 'bar',
        name: 'Assessments',
        barMaxWidth: 44,
        data: levels.map((level) => ({ value: summary.byRiskLevel[level] ?? 0, itemStyle: { color: theme.palette.risk[level], borderRadius: [4, 4, 0, 0] } })),
        label: { show: true, position: 'top', color: theme.palette.text.secondary, fontSize: 11, fontFamily: FONT_SANS },
      },
    ],
  };
}
