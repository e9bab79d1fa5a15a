import type { ServiceContext } from '../context.ts';
import { consentOperations as ops } from '../../../shared/src/contract/open-banking-admin.ts';
import { revokeConsent } from './commands.ts';
import { consentAccessLog, getConsent, listConsents, reviewConsents } from './queries.ts';

/**
 * /api/v1/consents: the consent register (ARCHITECTURE.md rule 2). On a workstation list, get and
 * review are answered from the synced cache and revoke runs locally and is queued for the hub
 * (shared/src/sync.ts); the access log is the hub's.
 */
export function registerConsentRoutes(ctx: ServiceContext): void {
  const { operations, db, bus, clock } = ctx;
  const reader = { db: db.kysely, dialect: db.dialect };
  operations.implement(ops.list, ({ query, scope }) => listConsents(reader, query, scope, clock.now()));
  operations.implement(ops.review, ({ query, scope }) => reviewConsents(reader, query, scope, clock.now()));
  operations.implement(ops.get, ({ params, scope }) => getConsent(reader, params.id, scope, clock.now()));
  operations.implement(ops.accessLog, ({ params, query, scope }) => consentAccessLog(reader, params.id, query, scope));
  operations.implement(ops.revoke, ({ params, body, principal, request }) =>
    bus.execute(revokeConsent, { ...body, consentId: params.id, by: 'BANK' }, principal.actor, { requestId: request.id }),
  );
}
