import { z } from 'zod';
import { defineCommand } from '../../commands/bus.ts';
import { TenantId } from '../../../../shared/src/tenants.ts';
import { CurrencyCode } from '../../../../shared/src/currencies.ts';
import { BankAccountStatus, BankAccountType } from '../../../../shared/src/open-banking-api.ts';
import { BoundedInstant, PlainText } from '../../../../shared/src/text.ts';
import { BANK_ACCOUNT_ENTITY } from './mapping.ts';

export const BankAccountInput = z.object({
  tenantId: TenantId,
  customerRef: PlainText(100).min(1),
  accountNumber: PlainText(100).min(1),
  type: BankAccountType,
  currency: CurrencyCode,
  name: PlainText(200).min(1),
  status: BankAccountStatus,
  openedOn: z.iso.date(),
  /** The balance at `openingBalanceAt` (negative for a loan's outstanding amount). */
  openingBalance: z.number().min(-1e13).max(1e13),
  openingBalanceAt: BoundedInstant,
});
export type BankAccountInput = z.input<typeof BankAccountInput>;

/**
 * The core banking system's accounts, as the Open Banking APIs serve them (issue 14). The demo
 * seeds them through this command (ARCHITECTURE.md rule 1); a bank feeds its own core banking's.
 * Upserts by account number: a second run changes what changed and keeps the row's id.
 */
export const upsertBankAccounts = defineCommand({
  name: 'bankAccount.upsert',
  input: z.object({ accounts: z.array(BankAccountInput).min(1).max(1000) }),
  // Only the service itself (demo seeding, a core-banking feed run by the service).
  permission: null,
  async apply(ctx, { accounts }) {
    const now = ctx.now.toISOString();
    const existing = await ctx.trx
      .selectFrom('bank_accounts')
      .selectAll()
      .where(
        'account_number',
        'in',
        accounts.map((a) => a.accountNumber),
      )
      .execute();
    const byNumber = new Map(existing.map((r) => [r.account_number, r]));
    const ids: string[] = [];
    for (const a of accounts) {
      const before = byNumber.get(a.accountNumber);
      const columns = {
        tenant_id: a.tenantId,
        customer_ref: a.customerRef,
        type: a.type,
        currency: a.currency,
        name: a.name,
        status: a.status,
        opened_on: a.openedOn,
        opening_balance: a.openingBalance,
        opening_balance_at: new Date(a.openingBalanceAt).toISOString(),
      };
      let id: string;
      let version: number;
      if (before) {
        id = before.id;
        version = before.version + 1;
        await ctx.trx
          .updateTable('bank_accounts')
          .set({ ...columns, updated_at: now, version, deleted_at: null })
          .where('id', '=', id)
          .execute();
      } else {
        id = ctx.newId();
        version = 1;
        await ctx.trx
          .insertInto('bank_accounts')
          .values({ id, account_number: a.accountNumber, ...columns, created_at: now, updated_at: now, version, deleted_at: null })
          .execute();
      }
      const after = { accountNumber: a.accountNumber, ...columns };
      ctx.audit({
        entityType: BANK_ACCOUNT_ENTITY,
        entityId: id,
        tenantId: a.tenantId,
        before: before ? { status: before.status, name: before.name } : null,
        after,
      });
      ctx.change({ entityType: BANK_ACCOUNT_ENTITY, entityId: id, operation: 'upsert', version, data: { id, ...after } });
      ids.push(id);
    }
    return ids;
  },
});
