import type { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { Clock } from '../../clock.ts';
import type { PartnerCaller } from '../../auth/partner.ts';
import { checkConsentAccess } from '../../consents/check.ts';
import type { PartnerAccount, PartnerAccountList, PartnerBalance, PartnerTransactionPage, TransactionQuery } from '../../../../shared/src/open-banking-api.ts';
import { getConsentAccount, getConsentBalance, listConsentAccounts, listConsentTransactions } from './accounts.ts';
import type { PartnerRequestMeta } from './payments.ts';

/**
 * The partner API's reads: each is the consent check for its scope and account (which writes the
 * request's access record and counts unattended calls), then the read under what it allowed.
 */
export class PartnerReads {
  constructor(private readonly deps: { db: Db; clock: Clock }) {}

  async accounts(partner: PartnerCaller, meta: PartnerRequestMeta): Promise<PartnerAccountList> {
    const checked = await checkConsentAccess(this.deps, { partner, ...meta, scope: 'accounts.read' });
    return listConsentAccounts(this.deps.db.kysely, checked);
  }

  async account(partner: PartnerCaller, accountId: string, meta: PartnerRequestMeta): Promise<PartnerAccount> {
    const checked = await checkConsentAccess(this.deps, { partner, ...meta, scope: 'accounts.read', accountId });
    return getConsentAccount(this.deps.db.kysely, checked, accountId);
  }

  async balance(partner: PartnerCaller, accountId: string, meta: PartnerRequestMeta): Promise<PartnerBalance> {
    const checked = await checkConsentAccess(this.deps, { partner, ...meta, scope: 'balances.read', accountId });
    return getConsentBalance(this.deps.db.kysely, checked, accountId, this.deps.clock.now());
  }

  async transactions(
    partner: PartnerCaller,
    accountId: string,
    query: z.output<typeof TransactionQuery>,
    meta: PartnerRequestMeta,
  ): Promise<PartnerTransactionPage> {
    const checked = await checkConsentAccess(this.deps, { partner, ...meta, scope: 'transactions.read', accountId });
    return listConsentTransactions(this.deps.db.kysely, checked, accountId, query);
  }
}
