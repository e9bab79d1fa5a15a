import type { ColumnDataType } from 'kysely';
import type { DatabaseDialect } from '../database.ts';

/** Column types that differ by database; every migration declares its columns with these. */
export function columnTypes(dialect: DatabaseDialect) {
  const pg = dialect === 'postgres';
  return {
    id: (pg ? 'uuid' : 'text') as ColumnDataType,
    timestamp: (pg ? 'timestamptz' : 'text') as ColumnDataType,
    json: (pg ? 'jsonb' : 'text') as ColumnDataType,
    bool: (pg ? 'boolean' : 'integer') as ColumnDataType,
  };
}
