import type { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { CommandBus } from '../../commands/bus.ts';
import type { Clock } from '../../clock.ts';
import type { PartnerCaller } from '../../auth/partner.ts';
import type { Principal } from '../../auth/principal.ts';
import { notFound } from '../../errors.ts';
import { createConsent, revokeConsent } from '../../consents/commands.ts';
import { AUTHORISATION_WINDOW_MS } from '../../consents/mapping.ts';
import { OIDC_ROUTES, resourceOf } from '../oauth/provider.ts';
import type { CreateConsentRequest, CreatedConsent, PartnerConsent } from '../../../../shared/src/open-banking-api.ts';
import { toPartnerConsent } from './mapping.ts';

/**
 * The app's own consent endpoints (client-credentials tokens): ask for one, read one, end one.
 * Only the app's identity is checked here (an app sees and ends only its own consents: another
 * app's answers 404, its existence not revealed); the per-request consent check is for data.
 */
export async function createPartnerConsent(
  deps: { db: Db; bus: CommandBus },
  partner: PartnerCaller,
  principal: Principal,
  body: z.output<typeof CreateConsentRequest>,
  issuer: string,
  requestId: string,
): Promise<CreatedConsent> {
  const view = await deps.bus.execute(createConsent, { ...body, appId: partner.appId }, principal.actor, { requestId });
  const row = await deps.db.kysely.selectFrom('consents').selectAll().where('id', '=', view.id).executeTakeFirstOrThrow();
  const resource = resourceOf(issuer);
  return {
    consent: toPartnerConsent(row, new Date(view.createdAt)),
    authorization: {
      authorizationEndpoint: `${issuer}${OIDC_ROUTES.authorization}`,
      tokenEndpoint: `${issuer}${OIDC_ROUTES.token}`,
      resource,
      parameters: {
        response_type: 'code',
        client_id: partner.clientId,
        scope: ['openid', ...view.permissions].join(' '),
        consent_id: view.id,
        resource,
        code_challenge_method: 'S256',
      },
      authoriseBefore: new Date(Date.parse(view.createdAt) + AUTHORISATION_WINDOW_MS).toISOString(),
    },
  };
}

export async function getPartnerConsent(deps: { db: Db; clock: Clock }, partner: PartnerCaller, id: string): Promise<PartnerConsent> {
  const row = await deps.db.kysely.selectFrom('consents').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row || row.app_id !== partner.appId) throw notFound('consent');
  return toPartnerConsent(row, deps.clock.now());
}

export async function revokePartnerConsent(deps: { bus: CommandBus }, principal: Principal, id: string, requestId: string): Promise<void> {
  await deps.bus.execute(revokeConsent, { consentId: id, by: 'APP', reason: 'Ended by the app (DELETE /open-banking/v1/consents/:id)' }, principal.actor, {
    requestId,
  });
}
