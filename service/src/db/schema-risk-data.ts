// Kysely table types of migration 0017-risk-data (issue 13). Column conventions: see schema.ts.
// biome-ignore lint/complexity/noBannedTypes: filled in with the migration's tables.
export type RiskDataTables = {};
