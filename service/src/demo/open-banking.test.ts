import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { startTestService } from '../testing/service.ts';
import { ManualClock } from '../clock.ts';
import { fromJson } from '../db/database.ts';
import { balancesOf } from '../open-banking/api/accounts.ts';
import { appClientSecrets } from '../open-banking/apps/store.ts';
import { DEMO_OB_APP } from './open-banking.ts';
import { DEMO_SECOND_TENANT, DEMO_TENANT, seedDemoDataIfEmpty } from './seed.ts';
import type { Customer } from '../../../shared/src/customers.ts';

after(stopTestPostgres);

for (const dialect of DIALECTS) {
  describe(`demo Open Banking data on ${dialect}`, { timeout: 240_000 }, () => {
    it('gives every demo customer account a core-banking account with a realistic KES balance, and registers the demo app', async () => {
      const svc = await startTestService(dialect, { clock: new ManualClock('2026-11-20T09:00:00.000Z') });
      try {
        const ctx = svc.service.context;
        const summary = await seedDemoDataIfEmpty(ctx, {}, { customers: 40, days: 2, paymentsPerDay: 60 });
        assert.ok(summary);
        const db = ctx.db.kysely;
        const customers = await db.selectFrom('customers').select(['customer_ref', 'accounts']).execute();
        const expected = customers.flatMap((c) => fromJson<Customer['accounts']>(c.accounts).map((a) => `${c.customer_ref} ${a.accountNumber} ${a.type}`));
        const accounts = await db.selectFrom('bank_accounts').selectAll().execute();
        assert.deepEqual(accounts.map((a) => `${a.customer_ref} ${a.account_number} ${a.type}`).sort(), expected.sort());
        assert.deepEqual([...new Set(accounts.map((a) => a.tenant_id))].sort(), [DEMO_TENANT, DEMO_SECOND_TENANT].sort());
        for (const account of accounts) {
          assert.equal(account.currency, 'KES');
          const { booked } = await balancesOf(db, account);
          if (account.type === 'LOAN') assert.ok(booked < 0, `${account.account_number}: a loan is owed`);
          // The opening balance covers what the account paid out in the seeded history.
          else assert.ok(booked >= 150, `${account.account_number} (${account.type}) holds ${booked}`);
        }
        const app = await db.selectFrom('ob_apps').selectAll().where('name', '=', DEMO_OB_APP.name).executeTakeFirstOrThrow();
        assert.equal(app.status, 'ACTIVE');
        assert.equal(app.tenant_id, DEMO_TENANT);
        assert.deepEqual(fromJson<string[]>(app.allowed_scopes).sort(), [...DEMO_OB_APP.allowedScopes].sort());
        assert.equal(summary.openBankingApp.clientId, app.client_id);
        assert.deepEqual(appClientSecrets(ctx.secrets, app, ctx.clock.now()), [summary.openBankingApp.clientSecret]);
        // Registered through the command: audited as the admin's action.
        const audit = await db.selectFrom('audit_log').select(['actor_name', 'command']).where('entity_id', '=', app.id).executeTakeFirstOrThrow();
        assert.equal(audit.command, 'obApp.register');
        assert.equal(audit.actor_name, 'Faith Wambui');
      } finally {
        await svc.stop();
      }
    });
  });
}
