import { z } from 'zod';
import type { Logger } from 'pino';
import { defineCommand, SYSTEM_ACTOR, type CommandBus, type CommandContext } from '../commands/bus.ts';
import type { Db } from '../db/database.ts';
import { isUniqueViolation, toJson } from '../db/database.ts';
import { conflict } from '../errors.ts';
import { DEFAULT_RISK_MATRIX, RiskMatrixUpdateInput, type RiskMatrixDefinition, type RiskMatrixVersion } from '../../../shared/src/risk-register.ts';
import { announceRegister, currentMatrixRow } from './store.ts';
import { toMatrixVersion } from './mapping.ts';

/**
 * The risk matrix as versioned data (issue 13): an edit publishes a new version; assessments keep
 * a frozen copy of the version they used (commands.ts assessRisk), so editing never rescores the past.
 */

const ENTITY = 'risk-matrix-version';

async function publish(ctx: CommandContext, versionNumber: number, definition: RiskMatrixDefinition, note: string): Promise<RiskMatrixVersion> {
  const row = {
    id: ctx.newId(),
    version_number: versionNumber,
    definition: toJson(definition),
    note,
    created_by: ctx.actor.name,
    created_at: ctx.now.toISOString(),
    version: 1,
    deleted_at: null,
  };
  await ctx.trx.insertInto('risk_matrix_versions').values(row).execute();
  const view = toMatrixVersion(row, row.id);
  ctx.audit({ entityType: ENTITY, entityId: row.id, before: null, after: { versionNumber, note, definition } });
  ctx.change({ entityType: ENTITY, entityId: row.id, operation: 'upsert', version: 1, data: { ...view } });
  announceRegister(ctx, 'risk-matrix', { id: row.id, version: versionNumber });
  return view;
}

/** Seeds the default 5×5 matrix on a database that has none (the service at start, as the SYSTEM actor). */
export const seedDefaultRiskMatrix = defineCommand({
  name: 'risk-matrix.seed-default',
  input: z.object({}),
  permission: null,
  async apply(ctx) {
    if (await currentMatrixRow(ctx.trx)) return null;
    return publish(ctx, 1, DEFAULT_RISK_MATRIX, 'Default 5×5 matrix (seed): Low 360 days, Medium 180, High 90, Critical 30');
  },
});

export const updateRiskMatrix = defineCommand({
  name: 'risk-matrix.update',
  input: RiskMatrixUpdateInput,
  permission: 'risk:configure',
  async apply(ctx, input) {
    const current = await currentMatrixRow(ctx.trx);
    const currentNumber = current?.version_number ?? 0;
    if (currentNumber !== input.expectedVersionNumber) {
      throw conflict(`the risk matrix is at version ${currentNumber}, you edited version ${input.expectedVersionNumber}: reload and try again`);
    }
    // A concurrent publisher of the same number loses on the unique version_number (retried by the caller).
    return publish(ctx, currentNumber + 1, input.definition, input.note);
  },
});

/** At service start (never on a workstation: it pulls the hub's matrix). */
export async function seedRiskMatrixIfNone(db: Db, bus: CommandBus, logger: Logger): Promise<void> {
  if (await currentMatrixRow(db.kysely)) return;
  try {
    const seeded = await bus.execute(seedDefaultRiskMatrix, {}, SYSTEM_ACTOR);
    if (seeded) logger.info({ versionNumber: seeded.versionNumber }, 'seeded the default risk matrix');
  } catch (error) {
    // Another hub seeding the same database at the same moment won the unique version number.
    if (!isUniqueViolation(error)) throw error;
  }
}
