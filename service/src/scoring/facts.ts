import { LARGE_PAYMENT_FLOOR_KES } from '../../../shared/src/decision-engine.ts';
import type { ScoringFactsSnapshot } from '../../../shared/src/assessments.ts';

/**
 * What the rules know beyond the payment itself, kept in memory and updated as payments arrive
 * (Jube-style windowed counters): per tenant and account and per tenant and customer, hourly
 * buckets of count and KES sum over the last week; each customer's large payments; the devices
 * each customer has used; when each account was opened. Rules never scan the payments table.
 *
 * Rules do not read this directly: for each payment the pipeline takes a snapshot
 * (ScoringFactsSnapshot) before the payment itself is counted, stores it with the assessment and
 * scores from it, so a replay, retry, batch run or backtest decides from the same facts
 * (ARCHITECTURE.md rule 3). Every key starts with the tenant: one tenant's history never changes
 * another tenant's scores.
 *
 * Windows are rolling: DAY = the 24 hours before the payment, WEEK = the 168 hours before it.
 */
const HOUR_MS = 3_600_000;
const WEEK_HOURS = 168;
const DAY_HOURS = 24;
const WEEK_MS = WEEK_HOURS * HOUR_MS;

interface HourBucket {
  hour: number;
  count: number;
  sumKes: number;
}

class KeyWindow {
  buckets: HourBucket[] = [];
  /** Timestamps and amounts of large payments in the last week (rare, so kept individually). */
  large: Array<{ at: number; amountKes: number }> = [];

  private find(hour: number): number {
    // Payments arrive roughly in time order, so the matching bucket is almost always the last.
    for (let i = this.buckets.length - 1; i >= 0; i--) {
      const candidate = this.buckets[i]!;
      if (candidate.hour === hour) return i;
      if (candidate.hour < hour) break;
    }
    return -1;
  }

  add(atMs: number, amountKes: number): void {
    const hour = Math.floor(atMs / HOUR_MS);
    const index = this.find(hour);
    let bucket = index >= 0 ? this.buckets[index] : undefined;
    if (!bucket) {
      bucket = { hour, count: 0, sumKes: 0 };
      this.buckets.push(bucket);
      if (this.buckets.length > 1 && this.buckets[this.buckets.length - 2]!.hour > hour) this.buckets.sort((a, b) => a.hour - b.hour);
    }
    bucket.count += 1;
    bucket.sumKes += amountKes;
    if (amountKes >= LARGE_PAYMENT_FLOOR_KES) this.large.push({ at: atMs, amountKes });
    this.prune(hour);
  }

  /** Takes back an add() whose payment was not stored (an idempotent repeat or a conflict). */
  remove(atMs: number, amountKes: number): void {
    const index = this.find(Math.floor(atMs / HOUR_MS));
    if (index >= 0) {
      const bucket = this.buckets[index]!;
      bucket.count -= 1;
      bucket.sumKes -= amountKes;
      if (bucket.count <= 0) this.buckets.splice(index, 1);
    }
    if (amountKes >= LARGE_PAYMENT_FLOOR_KES) {
      const i = this.large.findIndex((l) => l.at === atMs && l.amountKes === amountKes);
      if (i >= 0) this.large.splice(i, 1);
    }
  }

  private prune(latestHour: number): void {
    const oldest = latestHour - WEEK_HOURS;
    let drop = 0;
    while (drop < this.buckets.length && this.buckets[drop]!.hour <= oldest) drop++;
    if (drop > 0) this.buckets.splice(0, drop);
    const oldestMs = (oldest + 1) * HOUR_MS;
    if (this.large.length > 0 && this.large[0]!.at < oldestMs) this.large = this.large.filter((l) => l.at >= oldestMs);
  }

  /** Count and sum over the day and the week before `atMs`, in one walk back over the buckets. */
  dayAndWeek(atMs: number): { day: { count: number; sumKes: number }; week: { count: number; sumKes: number } } {
    const hour = Math.floor(atMs / HOUR_MS);
    const day = { count: 0, sumKes: 0 };
    const week = { count: 0, sumKes: 0 };
    for (let i = this.buckets.length - 1; i >= 0; i--) {
      const b = this.buckets[i]!;
      if (b.hour <= hour - WEEK_HOURS) break;
      if (b.hour > hour) continue;
      week.count += b.count;
      week.sumKes += b.sumKes;
      if (b.hour > hour - DAY_HOURS) {
        day.count += b.count;
        day.sumKes += b.sumKes;
      }
    }
    return { day, week };
  }

  /** Amounts of the large payments in the day, and earlier in the week, up to `atMs`. */
  largeBefore(atMs: number): { day: number[]; earlierInWeek: number[] } {
    const day: number[] = [];
    const earlierInWeek: number[] = [];
    for (const l of this.large) {
      if (l.at > atMs || l.at <= atMs - WEEK_MS) continue;
      (l.at > atMs - DAY_HOURS * HOUR_MS ? day : earlierInWeek).push(l.amountKes);
    }
    return { day, earlierInWeek };
  }
}

export const WINDOW_HOURS = { DAY: DAY_HOURS, WEEK: WEEK_HOURS } as const;

export interface ObservedPayment {
  tenantId: string;
  customerId: string;
  /** Absent (or '' as stored) when the payment named no debtor account: it has no account window. */
  debtorAccount?: string | undefined;
  deviceId?: string | undefined;
  atMs: number;
  amountKes: number;
}

/** An isolation-forest scorer as the engine sees it (see scoring/anomaly). */
export interface AnomalyScorer {
  readonly modelId: string;
  score(features: Float64Array): number;
}

/** What the rules read for one payment: its stored facts and the anomaly model they name. */
export interface PaymentFacts {
  snapshot: ScoringFactsSnapshot;
  /** The model whose id is snapshot.anomalyModelId (null when none). */
  anomaly: AnomalyScorer | null;
}

const empty = () => ({ day: { count: 0, sumKes: 0 }, week: { count: 0, sumKes: 0 } });

/** A customer's window and devices: one look-up serves the velocity, large-payment and device facts. */
interface CustomerFacts {
  window: KeyWindow;
  /** Payments per device id. */
  devices: Map<string, number>;
  devicePayments: number;
}

/** One tenant's history (ARCHITECTURE.md "Tenants": never read for another tenant's payment). */
interface TenantFacts {
  accounts: Map<string, KeyWindow>;
  customers: Map<string, CustomerFacts>;
}

export class ScoringFacts {
  private readonly tenants = new Map<string, TenantFacts>();
  private readonly accountOpened = new Map<string, string>();
  anomaly: AnomalyScorer | null = null;

  private tenant(tenantId: string): TenantFacts {
    let t = this.tenants.get(tenantId);
    if (!t) {
      t = { accounts: new Map(), customers: new Map() };
      this.tenants.set(tenantId, t);
    }
    return t;
  }

  /** Adds a payment to the windows. Called once per assessed payment (and during warm-up). */
  observe(p: ObservedPayment): void {
    const t = this.tenant(p.tenantId);
    if (p.debtorAccount) {
      let account = t.accounts.get(p.debtorAccount);
      if (!account) {
        account = new KeyWindow();
        t.accounts.set(p.debtorAccount, account);
      }
      account.add(p.atMs, p.amountKes);
    }
    let customer = t.customers.get(p.customerId);
    if (!customer) {
      customer = { window: new KeyWindow(), devices: new Map(), devicePayments: 0 };
      t.customers.set(p.customerId, customer);
    }
    customer.window.add(p.atMs, p.amountKes);
    if (p.deviceId) {
      customer.devices.set(p.deviceId, (customer.devices.get(p.deviceId) ?? 0) + 1);
      customer.devicePayments += 1;
    }
  }

  /** Takes back observe() for a payment that was not stored after all. */
  forget(p: ObservedPayment): void {
    const t = this.tenants.get(p.tenantId);
    if (p.debtorAccount) t?.accounts.get(p.debtorAccount)?.remove(p.atMs, p.amountKes);
    const customer = t?.customers.get(p.customerId);
    if (!customer) return;
    customer.window.remove(p.atMs, p.amountKes);
    const n = p.deviceId ? customer.devices.get(p.deviceId) : undefined;
    if (p.deviceId && n !== undefined) {
      if (n <= 1) customer.devices.delete(p.deviceId);
      else customer.devices.set(p.deviceId, n - 1);
      customer.devicePayments -= 1;
    }
  }

  /**
   * The facts for a payment as they stand now, before the payment itself is observed: what is
   * stored with its assessment and what its rules read.
   */
  snapshot(
    p: { tenantId: string; customerId: string; debtorAccount?: string | undefined; deviceId?: string | undefined },
    atMs: number,
    fxRate: number,
  ): ScoringFactsSnapshot {
    const t = this.tenants.get(p.tenantId);
    const account = p.debtorAccount ? t?.accounts.get(p.debtorAccount) : undefined;
    const customer = t?.customers.get(p.customerId);
    const device = p.deviceId ? { known: customer?.devices.has(p.deviceId) ?? false, priorPayments: customer?.devicePayments ?? 0 } : null;
    return {
      v: 1,
      asOf: new Date(atMs).toISOString(),
      fxRate,
      velocity: { account: account?.dayAndWeek(atMs) ?? empty(), customer: customer?.window.dayAndWeek(atMs) ?? empty() },
      largePaymentsKes: customer && customer.window.large.length > 0 ? customer.window.largeBefore(atMs) : { day: [], earlierInWeek: [] },
      device,
      accountOpenedOn: p.debtorAccount ? (this.accountOpened.get(p.debtorAccount) ?? null) : null,
      anomalyModelId: this.anomaly?.modelId ?? null,
    };
  }

  /** The snapshot and the current anomaly model, ready for the rules. */
  factsFor(
    p: { tenantId: string; customerId: string; debtorAccount?: string | undefined; deviceId?: string | undefined },
    atMs: number,
    fxRate: number,
  ): PaymentFacts {
    return { snapshot: this.snapshot(p, atMs, fxRate), anomaly: this.anomaly };
  }

  /**
   * Account opening dates come from the core-banking customer records, which are bank-wide (the
   * customers table has no tenant); an account number is the bank's own.
   */
  setAccountOpened(accountNumber: string, openedOn: string): void {
    if (/^\d{4}-\d{2}-\d{2}$/.test(openedOn) && Number.isFinite(Date.parse(`${openedOn}T00:00:00Z`))) this.accountOpened.set(accountNumber, openedOn);
  }

  get size(): { tenants: number; accounts: number; customers: number; knownAccounts: number } {
    let accounts = 0;
    let customers = 0;
    for (const t of this.tenants.values()) {
      accounts += t.accounts.size;
      customers += t.customers.size;
    }
    return { tenants: this.tenants.size, accounts, customers, knownAccounts: this.accountOpened.size };
  }
}
