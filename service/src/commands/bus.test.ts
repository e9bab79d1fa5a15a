import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, type Db } from '../db/database.ts';
import { CommandBus, commandByName, commandNames, SYSTEM_ACTOR, type Actor, type Announcement } from './bus.ts';
import { upsertCustomer } from '../customers/customers.ts';
import { recordAssessments } from '../assessments/commands.ts';
import { createUser } from '../users/users.ts';
import { ServiceError } from '../errors.ts';
import { createTestDatabase, DIALECTS, stopTestPostgres, type TestDatabase } from '../testing/databases.ts';
import { assessmentRecord, criticalPayment } from '../testing/fixtures.ts';
import { isUniqueViolation } from '../db/database.ts';
import type { Customer } from '../../../shared/src/customers.ts';

after(stopTestPostgres);

const customer = (ref: string): Omit<Customer, 'id'> => ({
  customerRef: ref,
  fullName: 'Achieng Odhiambo',
  nationalId: '27345678',
  phone: '+254712345678',
  email: 'achieng.odhiambo@gmail.com',
  county: 'Kisumu',
  segment: 'RETAIL',
  kycStatus: 'VERIFIED',
  riskRating: 'LOW',
  customerSince: '2015-03-14',
  accounts: [{ accountNumber: '0120012345678', type: 'SAVINGS', openedOn: '2015-03-14', status: 'ACTIVE' }],
});

const analyst: Actor = { kind: 'user', id: '6f1c8a56-2f51-4f3c-9a43-0c2f0d8f3b11', name: 'Amina Otieno', role: 'FRAUD_ANALYST', tenants: ['WEKEZA-KE'] };

async function counts(db: Db) {
  const count = async (table: 'customers' | 'audit_log' | 'change_log' | 'payments' | 'fraud_risk_assessments' | 'cases' | 'users') =>
    Number(
      (
        await db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    customers: await count('customers'),
    audit: await count('audit_log'),
    changes: await count('change_log'),
    payments: await count('payments'),
    assessments: await count('fraud_risk_assessments'),
    cases: await count('cases'),
    users: await count('users'),
  };
}

for (const dialect of DIALECTS) {
  describe(`command bus on ${dialect}`, () => {
    let database: TestDatabase;
    let db: Db;
    let bus: CommandBus;
    const setUp = async () => {
      database = await createTestDatabase(dialect);
      db = await openDatabase(database.target);
      bus = new CommandBus(db);
    };
    const tearDown = async () => {
      await db.close();
      await database.drop();
    };

    it('runs a command from its name and input alone, with the same checks as any other call', async () => {
      await setUp();
      try {
        assert.equal(commandByName('customer.upsert'), upsertCustomer);
        assert.ok(commandNames().includes('assessment.record'));
        const result = (await bus.executeByName('customer.upsert', customer('CIF-00000042'), SYSTEM_ACTOR)) as { created: boolean };
        assert.equal(result.created, true);
        const row = await db.kysely.selectFrom('customers').select('customer_ref').where('customer_ref', '=', 'CIF-00000042').executeTakeFirst();
        assert.ok(row, 'the customer was written');
        await assert.rejects(bus.executeByName('customer.erase-everything', {}, SYSTEM_ACTOR), (e) => e instanceof ServiceError && e.status === 400);
        // customer.upsert is the service's own (permission null): a user may not run it by name either.
        await assert.rejects(bus.executeByName('customer.upsert', customer('CIF-00000043'), analyst), (e) => e instanceof ServiceError && e.status === 403);
        await assert.rejects(
          bus.executeByName('customer.upsert', { customerRef: 'CIF-1' }, SYSTEM_ACTOR),
          (e) => e instanceof ServiceError && e.status === 400,
        );
      } finally {
        await tearDown();
      }
    });

    it('commits the row, its audit entry and its change-log entry together', async () => {
      await setUp();
      try {
        const before = await counts(db);
        const result = await bus.execute(upsertCustomer, customer('CIF-00000001'), SYSTEM_ACTOR);
        assert.equal(result.created, true);
        const afterCounts = await counts(db);
        assert.equal(afterCounts.customers, before.customers + 1);
        // The customer row, and the global customer id its identifiers resolved to (seed 004).
        assert.equal(afterCounts.audit, before.audit + 2);
        assert.equal(afterCounts.changes, before.changes + 2);
        const audit = await db.kysely.selectFrom('audit_log').selectAll().where('entity_id', '=', result.id).executeTakeFirstOrThrow();
        assert.equal(
          (await db.kysely.selectFrom('audit_log').select('command').where('entity_id', '=', result.gcid).executeTakeFirstOrThrow()).command,
          'customer.upsert',
        );
        assert.equal(audit.command, 'customer.upsert');
        assert.equal(audit.actor_id, 'system');
        assert.equal(audit.before, null);
        const change = await db.kysely.selectFrom('change_log').selectAll().where('entity_id', '=', result.id).executeTakeFirstOrThrow();
        assert.equal(change.entity_type, 'customer');
        assert.equal(change.version, 1);

        // An update records before and after and bumps the version.
        await bus.execute(upsertCustomer, { ...customer('CIF-00000001'), phone: '+254722000111' }, SYSTEM_ACTOR);
        const row = await db.kysely.selectFrom('customers').selectAll().where('customer_ref', '=', 'CIF-00000001').executeTakeFirstOrThrow();
        assert.equal(row.version, 2);
        const updateAudit = await db.kysely
          .selectFrom('audit_log')
          .selectAll()
          .where('entity_id', '=', result.id)
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow();
        const beforeJson = typeof updateAudit.before === 'string' ? JSON.parse(updateAudit.before) : updateAudit.before;
        const afterJson = typeof updateAudit.after === 'string' ? JSON.parse(updateAudit.after) : updateAudit.after;
        assert.equal(beforeJson.phone, '+254712345678');
        assert.equal(afterJson.phone, '+254722000111');
      } finally {
        await tearDown();
      }
    });

    it('leaves nothing half-written when one command of a batch fails', async () => {
      await setUp();
      try {
        const before = await counts(db);
        const announced: Announcement[] = [];
        bus.events.on('announce', (a) => announced.push(a));
        await assert.rejects(
          bus.executeMany(
            [
              { command: upsertCustomer, input: customer('CIF-00000002') },
              { command: recordAssessments, input: assessmentRecord(criticalPayment(), 'FRA-DUPLICATE-ID') },
              // Valid input, but its assessment id is taken: fails inside apply, after the writes above.
              { command: recordAssessments, input: assessmentRecord(criticalPayment(), 'FRA-DUPLICATE-ID') },
            ],
            SYSTEM_ACTOR,
          ),
          (error: unknown) => isUniqueViolation(error),
        );
        assert.deepEqual(await counts(db), before);
        assert.equal(announced.length, 0, 'nothing is announced for a rolled-back transaction');
      } finally {
        await tearDown();
      }
    });

    it('refuses invalid input and missing permissions before writing anything', async () => {
      await setUp();
      try {
        const before = await counts(db);
        await assert.rejects(bus.execute(upsertCustomer, { ...customer('CIF-3'), county: 42 }, SYSTEM_ACTOR), (error: unknown) => {
          assert.ok(error instanceof ServiceError);
          assert.equal(error.status, 400);
          assert.deepEqual(
            error.fields?.map((f) => f.path),
            ['body.county'],
          );
          return true;
        });
        await assert.rejects(
          bus.execute(createUser, { username: 'eve', displayName: 'Eve', role: 'RISK_MANAGER', password: 'a-long-password-1' }, analyst),
          (error: unknown) => error instanceof ServiceError && error.status === 403,
        );
        // Only the service itself may upsert customers from core banking.
        await assert.rejects(
          bus.execute(upsertCustomer, customer('CIF-4'), analyst),
          (error: unknown) => error instanceof ServiceError && error.status === 403,
        );
        assert.deepEqual(await counts(db), before);
      } finally {
        await tearDown();
      }
    });

    it('numbers change-log entries without gaps or repeats under concurrent commands', async () => {
      await setUp();
      try {
        await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            bus.execute(recordAssessments, assessmentRecord(criticalPayment({ transactionReference: `CONC-${i}` })), SYSTEM_ACTOR),
          ),
        );
        const seqs = (await db.kysely.selectFrom('change_log').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
        // Each critical payment (its own customer) writes payment + assessment + case + global customer id changes.
        assert.equal(seqs.length, 120);
        assert.deepEqual(
          seqs,
          Array.from({ length: seqs.length }, (_, i) => i + 1),
        );
        const references = (await db.kysely.selectFrom('cases').select('reference').execute()).map((r) => r.reference);
        assert.equal(new Set(references).size, 30, 'case references are unique');
      } finally {
        await tearDown();
      }
    });
  });
}
