import type { Db } from '../db/database.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import { PivotQuery, type PivotDimension, type PivotResult, type PivotRow } from '../../../shared/src/analytics.ts';
import { factsOver } from './facts.ts';
import { assessmentsDrill } from './overview.ts';
import { bankDaysInterval, bankDayStart, addDays, type Interval } from './range.ts';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The assessments-list filter that holds exactly the rows of one pivot key. */
function keyFilter(dimension: PivotDimension, key: string): Record<string, string> {
  switch (dimension) {
    case 'channel':
      return { channel: key };
    case 'paymentType':
      return { paymentType: key };
    case 'county':
      return { county: key };
    case 'merchant':
      return { creditorAccount: key };
    case 'rule':
      return { ruleId: key };
    case 'hour':
      return { hour: key };
    case 'weekday':
      return { weekday: key };
    case 'day':
      return {};
  }
}

function labelOf(dimension: PivotDimension, key: string): string {
  if (key === '') return 'Not known';
  if (dimension === 'hour') return `${key.padStart(2, '0')}:00–${key.padStart(2, '0')}:59`;
  if (dimension === 'weekday') return WEEKDAYS[Number(key) - 1] ?? key;
  return key;
}

/**
 * Deep Dive pivot: assessments of [from, to] (Nairobi days) by one dimension, largest first (days
 * and hours in their own order). Closed days come from the rollup where it has them (factsOver).
 */
export async function pivot(db: Db, scope: TenantScope, input: PivotQuery, now: Date): Promise<PivotResult> {
  const query = PivotQuery.parse(input);
  const interval = bankDaysInterval(query.from, query.to);
  const tenants = scope.narrow(query.tenantId);
  const facts = await factsOver(db, interval, tenants, query.dimension, now);
  const ordered = ['hour', 'weekday', 'day'].includes(query.dimension);
  const rows = [...facts.rows].sort((a, b) =>
    ordered ? Number.parseInt(a.key.replace(/-/g, ''), 10) - Number.parseInt(b.key.replace(/-/g, ''), 10) : b.count - a.count || a.key.localeCompare(b.key),
  );
  const kept = ordered ? rows : rows.slice(0, query.limit);
  return {
    dimension: query.dimension,
    from: query.from,
    to: query.to,
    preAggregated: facts.preAggregated,
    rows: kept.map(
      (r): PivotRow => ({
        key: r.key,
        label: labelOf(query.dimension, r.key),
        count: r.count,
        valueKes: r.valueKes,
        flagged: r.flagged,
        flaggedRate: r.count > 0 ? r.flagged / r.count : 0,
        confirmedFraud: r.confirmedFraud,
        falsePositive: r.falsePositive,
        drill: assessmentsDrill(
          query.dimension === 'day' ? dayInterval(r.key) : interval,
          query.tenantId,
          r.key === '' ? {} : keyFilter(query.dimension, r.key),
        ),
      }),
    ),
  };
}

function dayInterval(day: string): Interval {
  return { from: bankDayStart(day), to: bankDayStart(addDays(day, 1)) };
}
