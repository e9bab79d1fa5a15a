// Kysely table types of migration 0016-kris-and-events (issue 13). Column conventions: see schema.ts.
// biome-ignore lint/complexity/noBannedTypes: filled in with the migration's tables.
export type KriTables = {};
