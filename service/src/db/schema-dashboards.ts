import type { Selectable } from 'kysely';
import type { Timestamp } from './schema.ts';

/** Issue 15's dashboard rollups (migration 0020): derived, recomputed per closed Nairobi day. */
export interface DashboardDailyRollupsTable {
  /** Nairobi bank day, YYYY-MM-DD. */
  day: string;
  tenant_id: string;
  /** A PivotDimension, or 'decision' (engine decision) / 'riskLevel'. */
  dimension: string;
  /** The group's key ('' when the value is missing, e.g. no county known). */
  key: string;
  count: number;
  /** ruleVersion rows: assessments that evaluated the rule; elsewhere equal to count. */
  evaluated: number;
  value_kes: number | string;
  flagged: number;
  confirmed_fraud: number;
  false_positive: number;
}

export interface DashboardRollupDaysTable {
  day: string;
  computed_at: Timestamp;
}

export type DashboardTables = {
  dashboard_daily_rollups: DashboardDailyRollupsTable;
  dashboard_rollup_days: DashboardRollupDaysTable;
};

export type DashboardRollupRow = Selectable<DashboardDailyRollupsTable>;
