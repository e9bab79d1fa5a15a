import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../../testing/databases.ts';
import { addTestTeam, startTestService, type TestService } from '../../testing/service.ts';
import { ManualClock } from '../../clock.ts';
import { SYSTEM_ACTOR, type Actor } from '../../commands/bus.ts';
import { principalFor } from '../../auth/principal.ts';
import type { PartnerCaller } from '../../auth/partner.ts';
import { ServiceError } from '../../errors.ts';
import { samplePayment } from '../../testing/fixtures.ts';
import { appActor, authorise, newConsent, partnerFor, registerApp } from '../../consents/consent-fixture.ts';
import { webhookSubscriptionCommands } from '../../webhooks/commands.ts';
import { upsertBankAccounts } from './bank-accounts.ts';
import { ObPayments, type PartnerRequestMeta } from './payments.ts';
import { PartnerReads } from './reads.ts';
import { pipelineReference } from './mapping.ts';
import type { ObAppWithSecret } from '../../../../shared/src/open-banking.ts';
import type { TransactionQuery } from '../../../../shared/src/open-banking-api.ts';
import { TransactionQuery as TransactionQuerySchema } from '../../../../shared/src/open-banking-api.ts';

after(stopTestPostgres);

const TENANT = 'WEKEZA-KE';
const CUSTOMER = 'CIF-OB-0001';
const OTHER_CUSTOMER = 'CIF-OB-0002';
/** Friday 20 Nov 2026, 10:00 in Nairobi: office hours, so ordinary payments pass the rules. */
const START = '2026-11-20T07:00:00.000Z';
const meta = (endpoint: string, path = endpoint): PartnerRequestMeta => ({ method: 'GET', endpoint, path, requestId: null });
const query = (q: TransactionQuery) => TransactionQuerySchema.parse(q);
/** The principal an app's client-credentials token makes (no user behind it). */
const appPrincipal = (actor: Actor) => principalFor(actor as Actor & { role: 'OPEN_BANKING_APP' }, null);

async function expectCode(promise: Promise<unknown>, status: number, code: string): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ServiceError, `expected a ServiceError, got ${String(error)}`);
    assert.equal(error.status, status, error.message);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${status} ${code}`);
}

for (const dialect of DIALECTS) {
  describe(`Open Banking partner API on ${dialect}`, { timeout: 240_000 }, () => {
    let svc: TestService;
    const clock = new ManualClock(START);
    let app: ObAppWithSecret;
    let partner: PartnerCaller;
    let actor: Actor;
    let reads: PartnerReads;
    let payments: ObPayments;
    let current: string;
    let savings: string;
    let foreign: string;
    let managerToken: string;

    before(async () => {
      svc = await startTestService(dialect, { clock });
      const ctx = svc.service.context;
      managerToken = (await addTestTeam(svc, [['faith.wambui', 'RISK_MANAGER']])).tokens['faith.wambui']!;
      app = await registerApp(ctx, TENANT, 'Pesa Planner');
      actor = appActor(app);
      await ctx.bus.execute(
        upsertBankAccounts,
        {
          accounts: [
            ['0110000000011', CUSTOMER, 'CURRENT', 5_000_000],
            ['0110000000029', CUSTOMER, 'SAVINGS', 20_000],
            ['0110000000037', OTHER_CUSTOMER, 'CURRENT', 1_000],
          ].map(([accountNumber, customerRef, type, balance]) => ({
            tenantId: TENANT,
            customerRef: String(customerRef),
            accountNumber: String(accountNumber),
            type: type as 'CURRENT' | 'SAVINGS',
            currency: 'KES',
            name: `Test ${String(type)}`,
            status: 'ACTIVE' as const,
            openedOn: '2024-03-01',
            openingBalance: Number(balance),
            openingBalanceAt: '2026-11-01T00:00:00.000Z',
          })),
        },
        SYSTEM_ACTOR,
      );
      const ids = new Map((await ctx.db.kysely.selectFrom('bank_accounts').select(['id', 'account_number']).execute()).map((r) => [r.account_number, r.id]));
      current = ids.get('0110000000011')!;
      savings = ids.get('0110000000029')!;
      foreign = ids.get('0110000000037')!;
      // The account's history: payments the bank's engine sent, scored by the real pipeline.
      const engine: Actor = { kind: 'client', id: 'engine', name: 'Payment engine', role: 'PAYMENT_ENGINE', tenants: [TENANT] };
      const history = [
        { day: '2026-11-10T09:00:00+03:00', amount: 1_200, debtorAccount: '0110000000011', creditorAccount: 'MW-254700000001' },
        { day: '2026-11-12T11:00:00+03:00', amount: 45_000, debtorAccount: 'EXT-0099887766', creditorAccount: '0110000000011' },
        { day: '2026-11-14T15:30:00+03:00', amount: 3_400, debtorAccount: '0110000000011', creditorAccount: 'MW-254700000002' },
        { day: '2026-11-16T10:00:00+03:00', amount: 800, debtorAccount: '0110000000011', creditorAccount: 'MW-254700000003' },
        { day: '2026-11-18T12:00:00+03:00', amount: 9_999, debtorAccount: '0110000000029', creditorAccount: 'MW-254700000004' },
      ];
      for (const [i, h] of history.entries()) {
        await ctx.decisionEngine.pipeline.assess(
          samplePayment({
            transactionReference: `HIST-${i}`,
            customerId: CUSTOMER,
            timestamp: h.day,
            amount: h.amount,
            debtorAccount: h.debtorAccount,
            creditorAccount: h.creditorAccount,
            description: `History ${i}`,
          }),
          engine,
        );
      }
      const consent = await newConsent(ctx, app, {
        permissions: ['accounts.read', 'balances.read', 'transactions.read', 'payments.write'],
        transactionFrom: '2026-11-11T00:00:00.000Z',
        frequencyPerDay: 1000,
        recurring: true,
      });
      await authorise(ctx, consent, CUSTOMER, [current, savings]);
      partner = partnerFor(app, { id: consent.id, customerRef: CUSTOMER });
      reads = new PartnerReads({ db: ctx.db, clock });
      payments = new ObPayments({ db: ctx.db, bus: ctx.bus, clock, pipeline: ctx.decisionEngine.pipeline, logger: ctx.logger });
      const { create } = webhookSubscriptionCommands(ctx.secrets);
      await ctx.bus.execute(create, { appId: app.id, url: 'http://127.0.0.1:9/hooks', events: ['payment.completed', 'transaction.posted'] }, actor);
    });
    after(async () => svc?.stop());

    it('lists and reads only the accounts the customer selected; another account is 403 and logged', async () => {
      const list = await reads.accounts(partner, meta('/open-banking/v1/accounts'));
      assert.deepEqual(list.items.map((a) => a.accountId).sort(), [current, savings].sort());
      assert.equal((await reads.account(partner, savings, meta('/open-banking/v1/accounts/:id'))).type, 'SAVINGS');
      await expectCode(reads.account(partner, foreign, meta('/open-banking/v1/accounts/:id')), 403, 'ACCOUNT_NOT_IN_CONSENT');
      const log = await svc.service.context.db.kysely
        .selectFrom('consent_access_log')
        .select(['decision', 'reason', 'endpoint'])
        .where('consent_id', '=', partner.consentId)
        .orderBy('at')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        log.map((l) => `${l.decision} ${l.reason} ${l.endpoint}`),
        ['ALLOW OK /open-banking/v1/accounts', 'ALLOW OK /open-banking/v1/accounts/:id', 'DENY ACCOUNT_NOT_IN_CONSENT /open-banking/v1/accounts/:id'],
      );
    });

    it('answers the balance from the opening balance and settled movements, and transactions within the consent window with filters and cursor paging', async () => {
      const balance = await reads.balance(partner, current, meta('/open-banking/v1/accounts/:id/balance'));
      // 5,000,000 − 1,200 + 45,000 − 3,400 − 800 (all approved by the rules).
      assert.deepEqual(balance.balances, [
        { type: 'BOOKED', amount: 5_039_600, creditDebit: 'CREDIT' },
        { type: 'AVAILABLE', amount: 5_039_600, creditDebit: 'CREDIT' },
      ]);
      const endpoint = '/open-banking/v1/accounts/:id/transactions';
      // The 10 Nov payment is before the consent's window: not an error, simply not there.
      const all = await reads.transactions(partner, current, query({}), meta(endpoint));
      assert.deepEqual(
        all.items.map((t) => [t.amount, t.creditDebit, t.status]),
        [
          [800, 'DEBIT', 'BOOKED'],
          [3_400, 'DEBIT', 'BOOKED'],
          [45_000, 'CREDIT', 'BOOKED'],
        ],
      );
      assert.equal(all.nextCursor, null);
      const credits = await reads.transactions(partner, current, query({ creditDebit: 'CREDIT' }), meta(endpoint));
      assert.deepEqual(
        credits.items.map((t) => t.counterpartyAccount),
        ['EXT-0099887766'],
      );
      const ranged = await reads.transactions(partner, current, query({ minAmount: 1_000, maxAmount: 10_000 }), meta(endpoint));
      assert.deepEqual(
        ranged.items.map((t) => t.amount),
        [3_400],
      );
      // A booking day is a whole bank day in Nairobi.
      const day = await reads.transactions(partner, current, query({ bookingDateFrom: '2026-11-14', bookingDateTo: '2026-11-14' }), meta(endpoint));
      assert.deepEqual(
        day.items.map((t) => t.amount),
        [3_400],
      );
      // Asking for earlier dates does not widen the consent's window.
      const early = await reads.transactions(partner, current, query({ bookingDateFrom: '2026-11-01' }), meta(endpoint));
      assert.equal(early.items.length, 3);
      const first = await reads.transactions(partner, current, query({ limit: 2 }), meta(endpoint));
      assert.equal(first.items.length, 2);
      assert.ok(first.nextCursor);
      const second = await reads.transactions(partner, current, query({ limit: 2, cursor: first.nextCursor }), meta(endpoint));
      assert.deepEqual(
        [...first.items, ...second.items].map((t) => t.transactionId),
        all.items.map((t) => t.transactionId),
      );
      assert.equal(second.nextCursor, null);
      const bad = await expectCode(reads.transactions(partner, current, query({ cursor: 'bm90LWEtY3Vyc29y' }), meta(endpoint)), 400, 'VALIDATION_FAILED');
      assert.equal(bad.fields?.[0]?.path, 'query.cursor');
      // A token without transactions.read in the consent's scopes is refused by the check.
      const narrow = partnerFor(app, { id: partner.consentId!, customerRef: CUSTOMER }, { scopes: ['accounts.read'] });
      await expectCode(reads.transactions(narrow, current, query({}), meta(endpoint)), 403, 'SCOPE_NOT_GRANTED');
    });

    it('settles an ordinary payment at once through the fraud pipeline, with payment.completed and transaction.posted; a repeat of the key answers the same, other content 409', async () => {
      const principal = appPrincipal(actor);
      const body = {
        debtorAccountId: current,
        creditorAccount: 'MW-254711223344',
        creditorName: 'Kenya Power',
        amount: 2_350,
        currency: 'KES',
        reference: 'Token 55501',
      };
      const first = await payments.initiate(partner, principal, body, 'pay-0001', meta('/open-banking/v1/payments'));
      assert.equal(first.created, true);
      assert.equal(first.payment.status, 'AcceptedSettlementCompleted');
      const db = svc.service.context.db.kysely;
      const assessment = await db
        .selectFrom('fraud_risk_assessments')
        .select(['decision', 'payment_id'])
        .where('transaction_reference', '=', pipelineReference(first.payment.paymentId))
        .executeTakeFirstOrThrow();
      assert.equal(assessment.decision, 'APPROVE');
      const again = await payments.initiate(partner, principal, body, 'pay-0001', meta('/open-banking/v1/payments'));
      assert.equal(again.created, false);
      assert.deepEqual(again.payment, first.payment);
      const conflict = await expectCode(
        payments.initiate(partner, principal, { ...body, amount: 2_400 }, 'pay-0001', meta('/open-banking/v1/payments')),
        409,
        'IDEMPOTENCY_CONFLICT',
      );
      assert.equal(conflict.fields?.[0]?.path, 'headers.idempotency-key');
      const hooks = await db
        .selectFrom('webhook_deliveries')
        .select(['event_type', 'payload'])
        .where('entity_id', '=', first.payment.paymentId)
        .orderBy('event_type')
        .execute();
      assert.deepEqual(
        hooks.map((h) => h.event_type),
        ['payment.completed', 'transaction.posted'],
      );
      const balance = await reads.balance(partner, current, meta('/open-banking/v1/accounts/:id/balance'));
      assert.equal(balance.balances[0]!.amount, 5_039_600 - 2_350);
      const posted = await reads.transactions(partner, current, query({ limit: 1 }), meta('/open-banking/v1/accounts/:id/transactions'));
      assert.equal(posted.items[0]!.transactionId, assessment.payment_id);
    });

    it('holds a risky payment for review in a case (Pending, funds unavailable) and settles it when the case decides', async () => {
      const principal = appPrincipal(actor);
      const body = {
        debtorAccountId: current,
        creditorAccount: 'EXT-5566778899',
        creditorName: 'Jua Kali Motors',
        amount: 2_000_000,
        currency: 'KES',
        reference: 'Car deposit',
      };
      const held = await payments.initiate(partner, principal, body, 'pay-0002', meta('/open-banking/v1/payments'));
      assert.equal(held.payment.status, 'Pending');
      assert.equal(held.payment.statusReason, 'Held for review by the bank');
      const db = svc.service.context.db.kysely;
      const assessment = await db
        .selectFrom('fraud_risk_assessments')
        .select(['assessment_id', 'decision', 'case_id'])
        .where('transaction_reference', '=', pipelineReference(held.payment.paymentId))
        .executeTakeFirstOrThrow();
      assert.ok(assessment.case_id, `a case opened for ${assessment.decision}`);
      const balance = await reads.balance(partner, current, meta('/open-banking/v1/accounts/:id/balance'));
      assert.equal(balance.balances[1]!.amount, balance.balances[0]!.amount - 2_000_000, 'the held amount is not available');
      const pending = await payments.get(partner, principal, held.payment.paymentId, meta('/open-banking/v1/payments/:id'));
      assert.equal(pending.status, 'Pending');
      // The analyst approves the payment through its case (the same command as the UI).
      const decided = await svc.request('PUT', `/api/v1/fraud-risk/assessments/${assessment.assessment_id}/decision`, {
        token: managerToken,
        body: { decision: 'APPROVE', reason: 'Called the customer: confirmed the deposit' },
      });
      assert.equal(decided.status, 200, JSON.stringify(decided.body));
      // Settled by the after-commit follow-up; a status read settles it too if that has not run yet.
      const settled = await payments.get(partner, principal, held.payment.paymentId, meta('/open-banking/v1/payments/:id'));
      assert.equal(settled.status, 'AcceptedSettlementCompleted');
      const hooks = await db
        .selectFrom('webhook_deliveries')
        .select('event_type')
        .where('entity_id', '=', held.payment.paymentId)
        .orderBy('event_type')
        .execute();
      assert.deepEqual(
        hooks.map((h) => h.event_type),
        ['payment.completed', 'transaction.posted'],
      );
    });

    it('rejects a payment to a blocked payee and one without funds; refuses bad input naming the field, and another account of the customer not in the consent', async () => {
      const principal = appPrincipal(actor);
      const base = {
        debtorAccountId: savings,
        creditorAccount: 'EXT-1234567890',
        creditorName: 'Betting',
        amount: 500,
        currency: 'KES',
        reference: 'FastCash Betting top-up',
      };
      const blocked = await payments.initiate(partner, principal, base, 'pay-0003', meta('/open-banking/v1/payments'));
      assert.equal(blocked.payment.status, 'Rejected');
      assert.equal(blocked.payment.statusReason, 'Rejected by the bank’s payment checks');
      const broke = await payments.initiate(partner, principal, { ...base, amount: 50_000, reference: 'Rent' }, 'pay-0004', meta('/open-banking/v1/payments'));
      assert.equal(broke.payment.status, 'Rejected');
      assert.match(broke.payment.statusReason ?? '', /^Insufficient funds: 10001 KES available$/);
      const db = svc.service.context.db.kysely;
      assert.equal(
        await db
          .selectFrom('fraud_risk_assessments')
          .select('id')
          .where('transaction_reference', '=', pipelineReference(broke.payment.paymentId))
          .executeTakeFirst(),
        undefined,
        'a payment without funds is never sent for assessment',
      );
      const currency = await expectCode(
        payments.initiate(partner, principal, { ...base, currency: 'USD' }, 'pay-0005', meta('/open-banking/v1/payments')),
        400,
        'VALIDATION_FAILED',
      );
      assert.equal(currency.fields?.[0]?.path, 'body.currency');
      const cents = await expectCode(
        payments.initiate(partner, principal, { ...base, amount: 10.005 }, 'pay-0006', meta('/open-banking/v1/payments')),
        400,
        'VALIDATION_FAILED',
      );
      assert.equal(cents.fields?.[0]?.path, 'body.amount');
      await expectCode(
        payments.initiate(partner, principal, { ...base, debtorAccountId: foreign }, 'pay-0007', meta('/open-banking/v1/payments')),
        403,
        'ACCOUNT_NOT_IN_CONSENT',
      );
      const stored = await db.selectFrom('ob_payments').select('idempotency_key').where('app_id', '=', app.id).orderBy('idempotency_key').execute();
      assert.deepEqual(
        stored.map((s) => s.idempotency_key),
        ['pay-0001', 'pay-0002', 'pay-0003', 'pay-0004'],
      );
    });

    it('stores one payment for concurrent first requests with the same key, and no two payments spend the same funds', async () => {
      const principal = appPrincipal(actor);
      const body = {
        debtorAccountId: current,
        creditorAccount: 'MW-254799887766',
        creditorName: 'Mama Mboga',
        amount: 700,
        currency: 'KES',
        reference: 'Groceries',
      };
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => payments.initiate(partner, principal, body, 'pay-race', meta('/open-banking/v1/payments'))),
      );
      assert.equal(new Set(answers.map((a) => a.payment.paymentId)).size, 1);
      assert.equal(answers.filter((a) => a.created).length, 1);
      // Savings holds 10,001 now: of five concurrent 3,000 payments only three fit.
      const spend = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          payments.initiate(
            partner,
            principal,
            { ...body, debtorAccountId: savings, amount: 3_000, reference: `Split ${i}` },
            `pay-split-${i}`,
            meta('/open-banking/v1/payments'),
          ),
        ),
      );
      // Exactly two are refused for funds, whatever the order; the three funded ones then go through
      // the fraud engine like any payment (which, under a burst, may itself hold or refuse one).
      const unfunded = spend.filter((s) => s.payment.status === 'Rejected' && /^Insufficient funds/.test(s.payment.statusReason ?? ''));
      assert.equal(unfunded.length, 2, JSON.stringify(spend.map((s) => [s.payment.status, s.payment.statusReason])));
      const funded = spend.filter((s) => !unfunded.includes(s));
      assert.ok(
        funded.every((s) => s.payment.status !== 'Rejected' || !/^Insufficient funds/.test(s.payment.statusReason ?? '')),
        'the funded three were judged by the engine, not refused for funds',
      );
    });

    it('answers another app’s payment and consent as not found', async () => {
      const ctx = svc.service.context;
      const other = await registerApp(ctx, TENANT, 'Other App');
      const principal = appPrincipal(appActor(other));
      const row = await ctx.db.kysely.selectFrom('ob_payments').select('id').where('app_id', '=', app.id).executeTakeFirstOrThrow();
      const consentOfOther = await newConsent(ctx, other, { permissions: ['payments.write'] });
      await authorise(ctx, consentOfOther, CUSTOMER, [current]);
      await expectCode(
        payments.get(partnerFor(other, { id: consentOfOther.id, customerRef: CUSTOMER }), principal, row.id, meta('/open-banking/v1/payments/:id')),
        404,
        'NOT_FOUND',
      );
    });
  });
}
