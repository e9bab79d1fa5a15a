import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../../db/database.ts';
import { fromJson, toIso, toJson } from '../../db/database.ts';

/**
 * oidc-provider's storage (grants, codes, tokens, sessions, interactions) on the oidc_store table,
 * through Kysely on SQLite and PostgreSQL (ARCHITECTURE.md rule 4), so every hub over one database
 * shares them. Clients are not stored here: they are the registered apps (ob_apps), found through
 * `findClient`.
 *
 * Times are oidc-provider's own (its exp/iat come from the wall clock, not the service's injected
 * clock), so expiry here uses the wall clock too; a token's life is a protocol matter, not a
 * decision that needs replaying (ARCHITECTURE.md rule 3 covers commands and scoring).
 */

/** Row model of a destroyed token (revoked, rotated, or its grant ended): tells "revoked" from "unknown". */
export const REVOKED_MODEL = 'Revoked';
const TOKEN_MODELS = new Set(['AccessToken', 'ClientCredentials', 'RefreshToken']);
/** How long a revoked token's marker stays (the longest token life it can stand for). */
const REVOKED_MARKER_SECONDS = 90 * 24 * 3600;

export interface OidcAdapterDeps {
  db: Db;
  /** The client metadata of an ACTIVE app with this client_id, or undefined (clients.ts). */
  findClient: (clientId: string) => Promise<AdapterPayload | undefined>;
  /** Wall-clock milliseconds (see above); tests may pass their own. */
  wallNow?: () => number;
}

export function oidcAdapterFor(deps: OidcAdapterDeps): new (name: string) => Adapter {
  const wallNow = deps.wallNow ?? (() => Date.now());
  const kysely = deps.db.kysely;
  const nowIso = () => new Date(wallNow()).toISOString();

  return class KyselyOidcAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const row = {
        model: this.model,
        id,
        payload: toJson(payload),
        grant_id: payload.grantId ?? null,
        user_code: payload.userCode ?? null,
        uid: payload.uid ?? null,
        expires_at: expiresIn ? new Date(wallNow() + expiresIn * 1000).toISOString() : null,
        consumed_at: null,
      };
      await kysely
        .insertInto('oidc_store')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['model', 'id']).doUpdateSet({
            payload: row.payload,
            grant_id: row.grant_id,
            user_code: row.user_code,
            uid: row.uid,
            expires_at: row.expires_at,
          }),
        )
        .execute();
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') return deps.findClient(id);
      return this.findBy('id', id);
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.findBy('uid', uid);
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return this.findBy('user_code', userCode);
    }

    private async findBy(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
      const row = await kysely
        .selectFrom('oidc_store')
        .select(['payload', 'expires_at', 'consumed_at'])
        .where('model', '=', this.model)
        .where(column, '=', value)
        .executeTakeFirst();
      if (!row) return undefined;
      if (row.expires_at !== null && new Date(toIso(row.expires_at)).getTime() <= wallNow()) return undefined;
      const payload = fromJson<AdapterPayload>(row.payload);
      return row.consumed_at === null ? payload : { ...payload, consumed: Math.floor(new Date(toIso(row.consumed_at)).getTime() / 1000) };
    }

    async consume(id: string): Promise<void> {
      await kysely.updateTable('oidc_store').set({ consumed_at: nowIso() }).where('model', '=', this.model).where('id', '=', id).execute();
    }

    async destroy(id: string): Promise<void> {
      await kysely.transaction().execute(async (trx) => {
        if (TOKEN_MODELS.has(this.model)) await markRevoked(trx, [id], wallNow());
        await trx.deleteFrom('oidc_store').where('model', '=', this.model).where('id', '=', id).execute();
      });
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await kysely.transaction().execute((trx) => revokeGrantWithin(trx, grantId, wallNow()));
    }
  };
}

type Store = Pick<Db['kysely'], 'selectFrom' | 'insertInto' | 'deleteFrom'>;

async function markRevoked(trx: Store, tokenIds: readonly string[], wallMs: number): Promise<void> {
  if (tokenIds.length === 0) return;
  const expires = new Date(wallMs + REVOKED_MARKER_SECONDS * 1000).toISOString();
  await trx
    .insertInto('oidc_store')
    .values(
      tokenIds.map((id) => ({
        model: REVOKED_MODEL,
        id,
        payload: toJson({}),
        grant_id: null,
        user_code: null,
        uid: null,
        expires_at: expires,
        consumed_at: null,
      })),
    )
    .onConflict((oc) => oc.columns(['model', 'id']).doNothing())
    .execute();
}

/**
 * Ends every artifact of one grant (its codes, access and refresh tokens, the grant itself) inside
 * the caller's transaction, leaving a "revoked" marker per token so its next use is answered
 * TOKEN_REVOKED rather than TOKEN_INVALID. consent.revoke calls it (slice B) with its transaction.
 */
export async function revokeGrantWithin(trx: Store, grantId: string, wallMs: number = Date.now()): Promise<void> {
  const tokens = await trx.selectFrom('oidc_store').select(['model', 'id']).where('grant_id', '=', grantId).execute();
  await markRevoked(
    trx,
    tokens.filter((t) => TOKEN_MODELS.has(t.model)).map((t) => t.id),
    wallMs,
  );
  await trx.deleteFrom('oidc_store').where('grant_id', '=', grantId).execute();
  await trx.deleteFrom('oidc_store').where('model', '=', 'Grant').where('id', '=', grantId).execute();
}

/** Whether a token id was revoked (see REVOKED_MODEL). */
export async function wasRevoked(db: Db, tokenId: string): Promise<boolean> {
  const row = await db.kysely.selectFrom('oidc_store').select('id').where('model', '=', REVOKED_MODEL).where('id', '=', tokenId).executeTakeFirst();
  return row !== undefined;
}

/** Removes expired rows (called now and then; expired rows are never returned anyway). */
export async function pruneExpired(db: Db, wallMs: number = Date.now()): Promise<number> {
  const result = await db.kysely.deleteFrom('oidc_store').where('expires_at', '<=', new Date(wallMs).toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
