import { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Db } from '../../db/database.ts';
import { fromJson, toIso, toIsoOrNull } from '../../db/database.ts';
import type { ObAppRow } from '../../db/schema-open-banking.ts';
import type { SecretBox } from '../../auth/secret-box.ts';
import { AppKind, AppStatus, ObScope, type ObAppView } from '../../../../shared/src/open-banking.ts';

/** The audit/change entity type of an app (issue 14). */
export const OB_APP_ENTITY = 'ob_app';

/**
 * The OAuth client of that client id (slice OAUTH's client lookup), deleted apps excluded.
 * Suspended apps are returned too: the caller decides (the authorization server refuses them).
 */
export async function findAppByClientId(db: Db | Kysely<Database>, clientId: string): Promise<ObAppRow | null> {
  const kysely = db instanceof Kysely ? db : db.kysely;
  const row = await kysely.selectFrom('ob_apps').selectAll().where('client_id', '=', clientId).where('deleted_at', 'is', null).executeTakeFirst();
  return row ?? null;
}

/**
 * The client secrets that authenticate the app at `now`: the current one, then the previous one
 * while its grace period after a rotation lasts (the old secret stops at previous_secret_expires_at).
 */
export function appClientSecrets(
  box: SecretBox,
  row: Pick<ObAppRow, 'secret_sealed' | 'previous_secret_sealed' | 'previous_secret_expires_at'>,
  now: Date,
): string[] {
  const secrets = [box.open(row.secret_sealed)];
  if (row.previous_secret_sealed && row.previous_secret_expires_at && new Date(row.previous_secret_expires_at).getTime() > now.getTime()) {
    secrets.push(box.open(row.previous_secret_sealed));
  }
  return secrets;
}

/** Consents of these apps now Authorised and not expired (expiry judged at read time, issue 14). */
export async function activeConsentCounts(db: Kysely<Database>, appIds: readonly string[], now: Date): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (appIds.length === 0) return counts;
  const rows = await db
    .selectFrom('consents')
    .select((eb) => ['app_id', eb.fn.countAll<number | string>().as('n')])
    .where('app_id', 'in', [...appIds])
    .where('status', '=', 'Authorised')
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now.toISOString())]))
    .groupBy('app_id')
    .execute();
  for (const r of rows) counts.set(r.app_id, Number(r.n));
  return counts;
}

/** The app as admins see it: never a secret, only its hint (ARCHITECTURE.md rule 6). */
export function toObAppView(row: ObAppRow, activeConsents: number): ObAppView {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    kind: AppKind.parse(row.kind),
    description: row.description,
    contactEmail: row.contact_email,
    clientId: row.client_id,
    secretHint: row.secret_hint,
    previousSecretExpiresAt: row.previous_secret_sealed ? toIsoOrNull(row.previous_secret_expires_at) : null,
    redirectUris: fromJson<string[]>(row.redirect_uris),
    allowedScopes: ObScope.array().parse(fromJson(row.allowed_scopes)),
    status: AppStatus.parse(row.status),
    statusReason: row.status_reason,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    rotatedAt: toIsoOrNull(row.rotated_at),
    lastUsedAt: toIsoOrNull(row.last_used_at),
    activeConsents,
    version: row.version,
  };
}

export async function toObAppViews(db: Kysely<Database>, rows: readonly ObAppRow[], now: Date): Promise<ObAppView[]> {
  const counts = await activeConsentCounts(
    db,
    rows.map((r) => r.id),
    now,
  );
  return rows.map((r) => toObAppView(r, counts.get(r.id) ?? 0));
}
