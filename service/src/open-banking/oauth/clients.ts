import type { AdapterPayload, ClientMetadata } from 'oidc-provider';
import type { Db } from '../../db/database.ts';
import { fromJson } from '../../db/database.ts';
import type { SecretBox } from '../../auth/secret-box.ts';
import type { Clock } from '../../clock.ts';
import type { ObAppRow } from '../../db/schema-open-banking.ts';
import { appClientSecrets, findAppByClientId } from '../apps/store.ts';

/** Client metadata property holding the previous secret during a rotation's grace period. */
export const PREVIOUS_SECRETS_PROPERTY = 'wekeza_previous_secrets';

/** Scopes every customer-facing client may ask for besides its Open Banking scopes. */
export const BASE_SCOPES = ['openid', 'offline_access'] as const;

/**
 * The OAuth client an app is: its client_id, its secret (unsealed; oidc-provider compares the
 * plaintext), the secret still honoured after a rotation, redirect URIs and scopes. A suspended or
 * deleted app is no client at all, so its tokens and credentials stop working at the next request.
 */
export function clientMetadataOf(row: ObAppRow, secrets: readonly string[]): ClientMetadata {
  const redirectUris = fromJson<string[]>(row.redirect_uris);
  const scopes = fromJson<string[]>(row.allowed_scopes);
  const customerFacing = redirectUris.length > 0;
  return {
    client_id: row.client_id,
    client_secret: secrets[0]!,
    [PREVIOUS_SECRETS_PROPERTY]: secrets.slice(1),
    client_name: row.name,
    // Without a redirect URI an app can only call for itself (client credentials).
    redirect_uris: redirectUris,
    grant_types: customerFacing ? ['authorization_code', 'refresh_token', 'client_credentials'] : ['client_credentials'],
    response_types: customerFacing ? ['code'] : [],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: [...BASE_SCOPES, ...scopes].join(' '),
  };
}

export async function findActiveClient(deps: { db: Db; box: SecretBox; clock: Clock }, clientId: string): Promise<AdapterPayload | undefined> {
  const row = await findAppByClientId(deps.db, clientId);
  if (row?.status !== 'ACTIVE') return undefined;
  return clientMetadataOf(row, appClientSecrets(deps.box, row, deps.clock.now()));
}
