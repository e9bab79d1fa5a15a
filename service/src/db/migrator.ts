import { sql } from 'kysely';
import { DEFAULT_MIGRATION_TABLE, Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import type { Db, DatabaseDialect } from './database.ts';
import { migration0001Initial } from './migrations/0001-initial.ts';
import { migration0002DecisionEngine } from './migrations/0002-decision-engine.ts';
import { migration0003SubMillisecondTimes } from './migrations/0003-sub-millisecond-times.ts';
import { migration0004FraudApiToggles } from './migrations/0004-fraud-api-toggles.ts';
import { migration0005CaseManagement } from './migrations/0005-case-management.ts';
import { migration0006CaseQueueIndexes } from './migrations/0006-case-queue-indexes.ts';
import { migration0007TenantsAndIdentities } from './migrations/0007-tenants-and-identities.ts';
import { migration0008ReplayableDecisions } from './migrations/0008-replayable-decisions.ts';
import { migration0009CaseTenant } from './migrations/0009-case-tenant.ts';
import { migration0010AuditEntityIndex } from './migrations/0010-audit-entity-index.ts';
import { migration0011FxRates } from './migrations/0011-fx-rates.ts';
import { migration0012SignInThrottle } from './migrations/0012-sign-in-throttle.ts';
import { migration0013StoredBacktests } from './migrations/0013-stored-backtests.ts';
import { migration0014Sync } from './migrations/0014-sync.ts';
import { migration0015RiskRegister } from './migrations/0015-risk-register.ts';
import { migration0016KrisAndEvents } from './migrations/0016-kris-and-events.ts';
import { migration0017RiskData } from './migrations/0017-risk-data.ts';
import { migration0018OpenBanking } from './migrations/0018-open-banking.ts';
import { migration0019Alerting } from './migrations/0019-alerting.ts';
import { migration0020DashboardRollups } from './migrations/0020-dashboard-rollups.ts';
import { migration0021PeopleNotifications } from './migrations/0021-people-notifications.ts';
import { migration0022CaseCreatedIndex } from './migrations/0022-case-created-index.ts';

/** Numbered migrations (NNNN-name), applied in order, each once, on SQLite and PostgreSQL alike. */
export type MigrationFactory = (dialect: DatabaseDialect) => Migration;
const MIGRATIONS: Record<string, MigrationFactory> = {
  '0001-initial': migration0001Initial,
  '0002-decision-engine': migration0002DecisionEngine,
  '0003-sub-millisecond-times': migration0003SubMillisecondTimes,
  '0004-fraud-api-toggles': migration0004FraudApiToggles,
  '0005-case-management': migration0005CaseManagement,
  '0006-case-queue-indexes': migration0006CaseQueueIndexes,
  '0007-tenants-and-identities': migration0007TenantsAndIdentities,
  '0008-replayable-decisions': migration0008ReplayableDecisions,
  '0009-case-tenant': migration0009CaseTenant,
  '0010-audit-entity-index': migration0010AuditEntityIndex,
  '0011-fx-rates': migration0011FxRates,
  '0012-sign-in-throttle': migration0012SignInThrottle,
  '0013-stored-backtests': migration0013StoredBacktests,
  '0014-sync': migration0014Sync,
  '0015-risk-register': migration0015RiskRegister,
  '0016-kris-and-events': migration0016KrisAndEvents,
  '0017-risk-data': migration0017RiskData,
  '0018-open-banking': migration0018OpenBanking,
  '0019-alerting': migration0019Alerting,
  '0020-dashboard-rollups': migration0020DashboardRollups,
  '0021-people-notifications': migration0021PeopleNotifications,
  '0022-case-created-index': migration0022CaseCreatedIndex,
};

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: DatabaseDialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(Object.entries(MIGRATIONS).map(([name, make]) => [name, make(this.dialect)]));
  }
}

/** The newest migration this build knows: a database at this version is "migrated". */
export function latestMigrationName(): string {
  return Object.keys(MIGRATIONS).sort().at(-1)!;
}

/** The newest migration applied to the database (null before the first). */
export async function appliedMigrationName(db: Db): Promise<string | null> {
  const row = await sql<{ name: string }>`select max(name) as name from ${sql.table(DEFAULT_MIGRATION_TABLE)}`.execute(db.kysely);
  return row.rows[0]?.name ?? null;
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider: new StaticMigrationProvider(db.dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
