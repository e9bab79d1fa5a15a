import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Users and machine clients act for tenants (ARCHITECTURE.md "Tenants"): `tenant_ids` is a JSON
 * array; an empty array means every tenant and is only honoured for bank-wide roles.
 * Users get the password lifecycle (one-time passwords that must be changed, a short history of
 * earlier hashes so a password is not reused) and deactivation; machine clients get rotation with
 * a grace period for the previous key and a last-used time.
 */
export function migration0007TenantsAndIdentities(dialect: DatabaseDialect): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('users')
        .addColumn('tenant_ids', t.json, (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema
        .alterTable('users')
        .addColumn('password_change_required', t.bool, (c) => c.notNull().defaultTo(dialect === 'postgres' ? sql`false` : 0))
        .execute();
      await db.schema
        .alterTable('users')
        .addColumn('password_history', t.json, (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema.alterTable('users').addColumn('password_changed_at', t.timestamp).execute();
      await db.schema.alterTable('users').addColumn('deactivated_at', t.timestamp).execute();

      await db.schema
        .alterTable('api_clients')
        .addColumn('tenant_ids', t.json, (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema.alterTable('api_clients').addColumn('last_used_at', t.timestamp).execute();
      await db.schema.alterTable('api_clients').addColumn('previous_secret_hash', sql`varchar(100)`).execute();
      await db.schema.alterTable('api_clients').addColumn('previous_secret_expires_at', t.timestamp).execute();
      await db.schema.alterTable('api_clients').addColumn('rotated_at', t.timestamp).execute();
      await db.schema
        .alterTable('api_clients')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema.createIndex('api_clients_previous_secret_idx').on('api_clients').column('previous_secret_hash').execute();
    },
  };
}
