// How a KPI and its change from the previous period read on the Overview (issue 15). Pure: the
// e2e test checks the same text the screen shows.
import type { Kpi } from '../../../shared/src/analytics.ts';
import { formatCount, formatMoney, formatMoneyCompact } from '../lib/format.ts';

const percentFormat = new Intl.NumberFormat('en-KE', { style: 'percent', maximumFractionDigits: 1 });

/** A KPI's value as shown on its card; a 'percent' KPI is in percent (0–100), as the service computes it. */
export function formatKpiValue(kpi: Pick<Kpi, 'unit'>, value: number): { text: string; exact?: string } {
  switch (kpi.unit) {
    case 'kes':
      return { text: formatMoneyCompact(value), exact: formatMoney(value) };
    case 'percent':
      return { text: percentFormat.format(value / 100) };
    case 'ms':
      return { text: `${formatCount(value)} ms` };
    case 'count':
      return { text: formatCount(value) };
  }
}

export interface Change {
  direction: 'up' | 'down' | 'flat';
  /** `+12.5 %`, `−3 pp`, or `new` when the previous period had none. */
  text: string;
}

/** The change from the previous period: relative for counts and money, in points for shares. */
export function kpiChange(kpi: Pick<Kpi, 'unit' | 'value' | 'previous'>): Change | null {
  if (kpi.previous === null) return null;
  const diff = kpi.value - kpi.previous;
  const direction = diff > 0 ? 'up' : diff < 0 ? 'down' : 'flat';
  const sign = diff > 0 ? '+' : diff < 0 ? '−' : '±';
  if (kpi.unit === 'percent') return { direction, text: `${sign}${Math.abs(diff).toFixed(1)} pp` };
  if (kpi.previous === 0) return { direction, text: kpi.value === 0 ? '±0 %' : 'new' };
  return { direction, text: `${sign}${Math.abs((diff / kpi.previous) * 100).toFixed(1)} %` };
}
