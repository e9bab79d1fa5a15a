// Kysely table types of migration 0015-risk-register (issue 13). Column conventions: see schema.ts.
// biome-ignore lint/complexity/noBannedTypes: filled in with the migration's tables.
export type RiskRegisterTables = {};
