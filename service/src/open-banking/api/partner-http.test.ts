import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { Webhook } from 'standardwebhooks';
import { DIALECTS, stopTestPostgres } from '../../testing/databases.ts';
import { addTestTeam, TEST_TENANT } from '../../testing/service.ts';
import { SYSTEM_ACTOR } from '../../commands/bus.ts';
import { authoriseThroughHint, CUSTOMER, partnerAppWithAccount, registerApp, startOauthWorld, type OauthWorld } from '../oauth/oauth-fixture.ts';
import { upsertBankAccounts } from './bank-accounts.ts';
import type { ObAppWithSecret } from '../../../../shared/src/open-banking.ts';
import type { CreatedConsent, PartnerAccountList, PartnerBalance, PartnerConsent, PartnerPayment } from '../../../../shared/src/open-banking-api.ts';
import type { WebhookSubscriptionCreated } from '../../../../shared/src/contract/webhooks.ts';

after(stopTestPostgres);

/**
 * The partner API over HTTP with real tokens: an app (openid-client) gets a client-credentials
 * token, asks for a consent, sends the customer through authorization code + PKCE using the hint
 * the API answered, reads accounts, initiates a payment and ends the consent.
 */
for (const dialect of DIALECTS) {
  describe(`Open Banking partner API over HTTP with OAuth tokens on ${dialect}`, { timeout: 240_000 }, () => {
    let world: OauthWorld;
    let app: ObAppWithSecret;
    let config: oidc.Configuration;
    let accountId: string;
    const redirectUri = 'http://127.0.0.1:9/callback';

    before(async () => {
      world = await startOauthWorld(dialect);
      ({ app, config, accountId } = await partnerAppWithAccount(world, redirectUri, { accountNumber: '0119900000011', openingBalance: 80_000 }));
    });
    after(async () => world?.svc.stop());

    it('creates a consent, gets it authorised through the hint, reads, pays, and ends it', async () => {
      const { svc } = world;
      const appToken = (await oidc.clientCredentialsGrant(config, { scope: 'accounts.read' })).access_token;
      const created = await svc.request('POST', '/open-banking/v1/consents', {
        token: appToken,
        body: { permissions: ['accounts.read', 'balances.read', 'payments.write'], expiresAt: '2026-06-01T00:00:00.000Z', frequencyPerDay: 10 },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const { consent, authorization } = created.body as CreatedConsent;
      assert.equal(consent.status, 'AwaitingAuthorisation');
      assert.equal(authorization.authorizationEndpoint, config.serverMetadata().authorization_endpoint);
      assert.equal(authorization.parameters.client_id, app.clientId);

      // A past expiry is a 400 naming the field.
      const past = await svc.request('POST', '/open-banking/v1/consents', {
        token: appToken,
        body: { permissions: ['accounts.read'], expiresAt: '2026-01-01T00:00:00.000Z' },
      });
      assert.equal(past.status, 400);
      assert.equal((past.body as { error: { fields: Array<{ path: string }> } }).error.fields[0]!.path, 'body.expiresAt');

      // The app sends the customer where the hint says, with its own state and PKCE challenge.
      const tokens = await authoriseThroughHint(config, authorization, redirectUri, { decision: 'approve', accountIds: [accountId] });

      const read = await svc.request('GET', `/open-banking/v1/consents/${consent.consentId}`, { token: appToken });
      assert.equal(read.status, 200, JSON.stringify(read.body));
      assert.equal((read.body as PartnerConsent).status, 'Authorised');
      assert.deepEqual((read.body as PartnerConsent).accountIds, [accountId]);

      const accounts = await svc.request('GET', '/open-banking/v1/accounts', { token: tokens.access_token });
      assert.equal(accounts.status, 200, JSON.stringify(accounts.body));
      assert.deepEqual(
        (accounts.body as PartnerAccountList).items.map((a) => a.accountNumber),
        ['0119900000011'],
      );
      const balance = await svc.request('GET', `/open-banking/v1/accounts/${accountId}/balance`, { token: tokens.access_token });
      assert.equal(balance.status, 200, JSON.stringify(balance.body));
      assert.equal((balance.body as PartnerBalance).balances[0]!.amount, 80_000);
      // Not in the consent's scopes: refused with the check's reason, in the standard error shape.
      const transactions = await svc.request('GET', `/open-banking/v1/accounts/${accountId}/transactions`, { token: tokens.access_token });
      assert.equal(transactions.status, 403);
      assert.equal((transactions.body as { error: { code: string } }).error.code, 'SCOPE_NOT_GRANTED');
      // A client-credentials token carries no consent: no account data with it.
      const withAppToken = await svc.request('GET', '/open-banking/v1/accounts', { token: appToken });
      assert.equal(withAppToken.status, 403);

      const payment = {
        debtorAccountId: accountId,
        creditorAccount: 'MW-254722000111',
        creditorName: 'Nairobi Water',
        amount: 1_250,
        currency: 'KES',
        reference: 'Bill 7781',
      };
      const unkeyed = await svc.request('POST', '/open-banking/v1/payments', { token: tokens.access_token, body: payment });
      assert.equal(unkeyed.status, 400);
      assert.equal((unkeyed.body as { error: { fields: Array<{ path: string }> } }).error.fields[0]!.path, 'headers.idempotency-key');
      const keyed = { token: tokens.access_token, body: payment, headers: { 'idempotency-key': 'bill-7781', 'x-fapi-customer-ip-address': '105.160.1.20' } };
      const paid = await svc.request('POST', '/open-banking/v1/payments', keyed);
      assert.equal(paid.status, 201, JSON.stringify(paid.body));
      assert.equal((paid.body as PartnerPayment).status, 'AcceptedSettlementCompleted');
      const repeat = await svc.request('POST', '/open-banking/v1/payments', keyed);
      assert.equal(repeat.status, 200);
      assert.deepEqual(repeat.body, paid.body);
      const status = await svc.request('GET', `/open-banking/v1/payments/${(paid.body as PartnerPayment).paymentId}`, { token: tokens.access_token });
      assert.equal(status.status, 200);
      assert.equal((status.body as PartnerPayment).status, 'AcceptedSettlementCompleted');

      const ended = await svc.request('DELETE', `/open-banking/v1/consents/${consent.consentId}`, { token: appToken });
      assert.equal(ended.status, 204, JSON.stringify(ended.body));
      const after = await svc.request('GET', `/open-banking/v1/consents/${consent.consentId}`, { token: appToken });
      assert.equal((after.body as PartnerConsent).status, 'Revoked');
      assert.equal((after.body as PartnerConsent).statusReason, 'REVOKED_BY_APP');
      // The token issued under it stops working at its next request.
      const refused = await svc.request('GET', '/open-banking/v1/accounts', { token: tokens.access_token });
      assert.ok([401, 403].includes(refused.status), `refused after revocation: ${refused.status}`);
      assert.ok(['TOKEN_REVOKED', 'TOKEN_INVALID', 'CONSENT_NOT_AUTHORISED'].includes((refused.body as { error: { code: string } }).error.code));
    });

    it('holds a risky payment for review in a case; a compliance officer revokes the consent: the next call is refused and the app’s receiver gets a signed consent.revoked', async () => {
      const { svc } = world;
      // The app's webhook receiver: a real HTTP server.
      const received: Array<{ headers: Record<string, string>; body: string }> = [];
      const receiver = http.createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        req.on('end', () => {
          received.push({ headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      try {
        const appToken = (await oidc.clientCredentialsGrant(config, { scope: 'accounts.read' })).access_token;
        const hook = await svc.request('POST', '/open-banking/v1/webhooks', {
          token: appToken,
          body: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`, events: ['consent.revoked', 'payment.completed'] },
        });
        assert.equal(hook.status, 201, JSON.stringify(hook.body));
        const { secret } = hook.body as WebhookSubscriptionCreated;
        await svc.service.context.bus.execute(
          upsertBankAccounts,
          {
            accounts: [
              {
                tenantId: TEST_TENANT,
                customerRef: CUSTOMER,
                accountNumber: '0119900000029',
                type: 'CURRENT',
                currency: 'KES',
                name: 'Business account',
                status: 'ACTIVE',
                openedOn: '2024-01-15',
                openingBalance: 6_000_000,
                openingBalanceAt: '2026-01-01T00:00:00.000Z',
              },
            ],
          },
          SYSTEM_ACTOR,
        );
        const business = (
          await svc.service.context.db.kysely.selectFrom('bank_accounts').select('id').where('account_number', '=', '0119900000029').executeTakeFirstOrThrow()
        ).id;
        const created = await svc.request('POST', '/open-banking/v1/consents', { token: appToken, body: { permissions: ['accounts.read', 'payments.write'] } });
        const { consent, authorization } = created.body as CreatedConsent;
        const tokens = await authoriseThroughHint(config, authorization, redirectUri, { decision: 'approve', accountIds: [business] });

        const paid = await svc.request('POST', '/open-banking/v1/payments', {
          token: tokens.access_token,
          headers: { 'idempotency-key': 'deposit-1' },
          body: {
            debtorAccountId: business,
            creditorAccount: 'EXT-5566778899',
            creditorName: 'Jua Kali Motors',
            amount: 2_000_000,
            currency: 'KES',
            reference: 'Car deposit',
          },
        });
        assert.equal(paid.status, 201, JSON.stringify(paid.body));
        const payment = paid.body as PartnerPayment;
        assert.equal(payment.status, 'Pending');
        const assessment = await svc.service.context.db.kysely
          .selectFrom('fraud_risk_assessments')
          .select(['case_id', 'decision'])
          .where('transaction_reference', '=', `OB-${payment.paymentId}`)
          .executeTakeFirstOrThrow();
        assert.ok(assessment.case_id, `the fraud engine's ${assessment.decision} opened a case`);

        const { tokens: staff } = await addTestTeam(svc, [['wanjiru.njoroge', 'COMPLIANCE_OFFICER']]);
        const revoked = await svc.request('POST', `/api/v1/consents/${consent.consentId}/revoke`, {
          token: staff['wanjiru.njoroge'],
          body: { reason: 'Customer reported the phone stolen' },
        });
        assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
        const next = await svc.request('GET', '/open-banking/v1/accounts', { token: tokens.access_token });
        // The token was issued before the revocation: the consent check refuses it, saying why.
        assert.equal(next.status, 403, JSON.stringify(next.body));
        assert.equal((next.body as { error: { code: string } }).error.code, 'CONSENT_NOT_AUTHORISED');

        // The dispatcher delivers it signed (Standard Webhooks); the receiver verifies with the secret.
        const deadline = Date.now() + 20_000;
        let revokedHook: { headers: Record<string, string>; body: string } | undefined;
        while (!revokedHook && Date.now() < deadline) {
          revokedHook = received.find((r) => JSON.parse(r.body).type === 'consent.revoked');
          if (!revokedHook) await new Promise((resolve) => setTimeout(resolve, 200));
        }
        assert.ok(revokedHook, 'consent.revoked reached the receiver');
        // Verified as Webhook.verify does, but at the message's own timestamp: the service's clock is
        // the test's ManualClock, so verify()'s five-minute window around the wall clock does not apply.
        const signer = new Webhook(secret);
        const { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures } = revokedHook.headers;
        const signedAt = new Date(Number(timestamp) * 1000);
        const expected = signer.sign(id!, signedAt, revokedHook.body);
        assert.ok(signatures!.split(' ').includes(expected), 'the webhook-signature header carries the HMAC of id, timestamp and body');
        assert.ok(!signatures!.split(' ').includes(signer.sign(id!, signedAt, revokedHook.body.replace('Revoked', 'Authorised'))));
        const event = JSON.parse(revokedHook.body) as { type: string; data: { consentId: string } };
        assert.equal(event.data.consentId, consent.consentId);
      } finally {
        await new Promise((resolve) => receiver.close(resolve));
      }
    });

    it('answers another app’s consent as not found, and a user’s session token on a partner endpoint with 401', async () => {
      const { svc } = world;
      const mine = (await oidc.clientCredentialsGrant(config, { scope: 'accounts.read' })).access_token;
      const created = await svc.request('POST', '/open-banking/v1/consents', { token: mine, body: { permissions: ['accounts.read'] } });
      assert.equal(created.status, 201);
      const other = await registerApp(world, [redirectUri]);
      const otherConfig = await oidc.discovery(new URL(svc.url), other.clientId, undefined, oidc.ClientSecretBasic(other.clientSecret), {
        execute: [oidc.allowInsecureRequests],
      });
      const theirs = (await oidc.clientCredentialsGrant(otherConfig, { scope: 'accounts.read' })).access_token;
      const id = (created.body as CreatedConsent).consent.consentId;
      assert.equal((await svc.request('GET', `/open-banking/v1/consents/${id}`, { token: theirs })).status, 404);
      assert.equal((await svc.request('DELETE', `/open-banking/v1/consents/${id}`, { token: theirs })).status, 404);
      assert.equal((await svc.request('GET', '/open-banking/v1/accounts', { token: world.managerToken })).status, 401);
    });
  });
}
