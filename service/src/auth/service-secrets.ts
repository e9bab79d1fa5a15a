import { z } from 'zod';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/database.ts';
import { defineCommand, SYSTEM_ACTOR, type CommandBus } from '../commands/bus.ts';
import type { SecretBox } from './secret-box.ts';

/** Stores a service secret sealed under the master key; the audit row records that it exists, never its value. */
const storeServiceSecret = defineCommand({
  name: 'serviceSecret.store',
  input: z.object({ name: z.string().min(1).max(100), ciphertext: z.string().min(1) }),
  permission: null,
  async apply(ctx, input) {
    await ctx.trx.insertInto('service_secrets').values({ name: input.name, ciphertext: input.ciphertext, created_at: ctx.now.toISOString() }).execute();
    ctx.audit({ entityType: 'service_secret', entityId: input.name, before: null, after: { name: input.name, stored: true } });
    return { name: input.name };
  },
});

/**
 * The plaintext of the service secret `name`, created by `create` and stored (sealed with the master
 * key) on first use. Kept in the database so every hub over one PostgreSQL shares it, sealed so a
 * database dump alone cannot use it. `what` names the secret in errors.
 */
export async function loadOrCreateSealedSecret(db: Db, bus: CommandBus, box: SecretBox, name: string, what: string, create: () => string): Promise<string> {
  const read = async () => {
    const row = await db.kysely.selectFrom('service_secrets').select('ciphertext').where('name', '=', name).executeTakeFirst();
    if (!row) return null;
    try {
      return box.open(row.ciphertext);
    } catch {
      throw new Error(`the ${what} cannot be decrypted: this data folder or database belongs to a different master key (WEKEZA_MASTER_KEY / master.key)`);
    }
  };
  const existing = await read();
  if (existing !== null) return existing;
  try {
    await bus.execute(storeServiceSecret, { name, ciphertext: box.seal(create()) }, SYSTEM_ACTOR);
  } catch (error) {
    // Another hub created it first: use theirs.
    if (!isUniqueViolation(error)) throw error;
  }
  const created = await read();
  if (created === null) throw new Error(`${what} missing after creation`);
  return created;
}
