// The ECharts options of an app's use (issue 14): calls per bank day stacked by outcome (allowed,
// refused by a check, throttled by the daily limit), calls by endpoint, and refusals by reason.
import type { Theme } from '@mui/material/styles';
import type { AppUsage, ConsentCheckReason } from '../../../shared/src/open-banking.ts';
import { CHECK_REASON_LABELS } from '../consents/consentWords.tsx';
import { formatDate } from '../lib/format.ts';
import { chartBase } from '../overview/chartOptions.ts';
import type { ChartOption } from '../overview/EChart.tsx';

export function usageByDayOption(usage: AppUsage, theme: Theme): ChartOption {
  const b = chartBase(theme);
  const days = usage.days.map((d) => formatDate(d.day));
  const series = [
    { name: 'Allowed', key: 'allowed' as const, color: theme.palette.status.success },
    { name: 'Refused', key: 'denied' as const, color: theme.palette.status.danger },
    { name: 'Throttled', key: 'throttled' as const, color: theme.palette.status.warning },
  ];
  return {
    textStyle: b.textStyle,
    animationDuration: 300,
    grid: { left: 8, right: 12, top: 36, bottom: 4, containLabel: true },
    legend: { ...b.legend, top: 0, right: 0, data: series.map((s) => s.name) },
    tooltip: { ...b.tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: days, axisLine: b.axisLine, axisTick: { show: false }, axisLabel: { ...b.axisLabel, hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: b.axisLabel, splitLine: b.splitLine },
    series: series.map((s, i) => ({
      name: s.name,
      type: 'bar' as const,
      stack: 'calls',
      barMaxWidth: 22,
      data: usage.days.map((d) => d[s.key]),
      itemStyle: { color: s.color, borderRadius: i === series.length - 1 ? [3, 3, 0, 0] : 0 },
    })),
  };
}

/** A horizontal bar chart of counts by label, largest at the top. */
function rankedOption(rows: readonly { label: string; value: number }[], name: string, color: string, theme: Theme): ChartOption {
  const b = chartBase(theme);
  const sorted = [...rows].sort((x, y) => x.value - y.value).slice(-12);
  return {
    textStyle: b.textStyle,
    animationDuration: 300,
    grid: { left: 8, right: 24, top: 8, bottom: 4, containLabel: true },
    tooltip: { ...b.tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1, axisLabel: b.axisLabel, splitLine: b.splitLine },
    yAxis: {
      type: 'category',
      data: sorted.map((r) => r.label),
      axisLine: b.axisLine,
      axisTick: { show: false },
      axisLabel: { ...b.axisLabel, width: 220, overflow: 'truncate' },
    },
    series: [{ name, type: 'bar', data: sorted.map((r) => r.value), barMaxWidth: 16, itemStyle: { color, borderRadius: [0, 3, 3, 0] } }],
  };
}

export function usageByEndpointOption(usage: AppUsage, theme: Theme): ChartOption {
  return rankedOption(
    usage.byEndpoint.map((e) => ({ label: e.endpoint, value: e.calls })),
    'Calls',
    theme.palette.primary.main,
    theme,
  );
}

export function usageByReasonOption(usage: AppUsage, theme: Theme): ChartOption {
  return rankedOption(
    usage.byReason.filter((r) => r.reason !== 'OK').map((r) => ({ label: CHECK_REASON_LABELS[r.reason as ConsentCheckReason] ?? r.reason, value: r.calls })),
    'Refused calls',
    theme.palette.status.danger,
    theme,
  );
}
