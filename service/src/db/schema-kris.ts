// Kysely table types of migration 0016-kris-and-events (issue 13). Column conventions: see schema.ts.
import type { Selectable, Updateable } from 'kysely';
import type { Bool, NullableJson, NullableNumeric, NullableTimestamp, Timestamp } from './schema.ts';

export interface KrisTable {
  id: string;
  tenant_id: string;
  reference: string;
  name: string;
  description: string;
  unit: string;
  direction: 'HIGHER_IS_WORSE' | 'HIGHER_IS_BETTER';
  threshold_warning: number;
  threshold_critical: number;
  frequency: 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'QUARTERLY';
  grace_hours: number;
  data_source: string;
  measurement: 'MANUAL' | 'AUTOMATIC';
  metric: string | null;
  schedule: string | null;
  owner_id: string | null;
  last_value: number | null;
  last_measured_at: NullableTimestamp;
  status: 'OK' | 'WARNING' | 'CRITICAL' | 'NO_DATA';
  stale_flagged_at: NullableTimestamp;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
  version: number;
  deleted_at: NullableTimestamp;
}

export interface KriRisksTable {
  id: string;
  kri_id: string;
  risk_id: string;
  tenant_id: string;
  created_by: string;
  created_at: Timestamp;
  version: number;
  deleted_at: NullableTimestamp;
}

export interface KriMeasurementsTable {
  id: string;
  kri_id: string;
  tenant_id: string;
  value: number;
  measured_at: Timestamp;
  status: 'OK' | 'WARNING' | 'CRITICAL';
  note: string | null;
  source: 'MANUAL' | 'AUTOMATIC' | 'INTEGRATION';
  inputs: NullableJson;
  recorded_by: string;
  recorded_by_id: string;
  recorded_at: Timestamp;
  backfill: Bool;
  version: number;
  deleted_at: NullableTimestamp;
}

export interface RiskEventsTable {
  id: string;
  tenant_id: string;
  reference: string;
  risk_id: string | null;
  kri_id: string | null;
  kri_measurement_id: string | null;
  type: 'INCIDENT' | 'LOSS' | 'NEAR_MISS' | 'KRI_BREACH' | 'COMPLIANCE' | 'CREDIT';
  severity: 'LOW' | 'MEDIUM' | 'HIGH' | 'WARNING' | 'CRITICAL';
  source: 'MANUAL' | 'KRI' | 'INTEGRATION' | 'EVENT_QUEUE';
  title: string;
  description: string;
  occurred_at: Timestamp;
  financial_impact: NullableNumeric;
  currency: string | null;
  status: 'OPEN' | 'CLOSED';
  external_id: string | null;
  details: NullableJson;
  closed_at: NullableTimestamp;
  closed_by: string | null;
  close_note: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
  version: number;
  deleted_at: NullableTimestamp;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  tenant_id: string | null;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  entity_type: string | null;
  entity_id: string | null;
  created_at: Timestamp;
  read_at: NullableTimestamp;
  version: number;
}

/** One row per (job, slot): the primary key makes a slot run once across every hub on the database. */
export interface ScheduledJobRunsTable {
  job: string;
  slot: string;
  hub: string;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  outcome: string | null;
}

export type KriTables = {
  kris: KrisTable;
  kri_risks: KriRisksTable;
  kri_measurements: KriMeasurementsTable;
  risk_events: RiskEventsTable;
  notifications: NotificationsTable;
  scheduled_job_runs: ScheduledJobRunsTable;
};

export type KriRow = Selectable<KrisTable>;
export type KriMeasurementRow = Selectable<KriMeasurementsTable>;
export type RiskEventRow = Selectable<RiskEventsTable>;
export type RiskEventUpdate = Updateable<RiskEventsTable>;
export type NotificationRow = Selectable<NotificationsTable>;
