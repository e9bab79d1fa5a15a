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

  totals(atMs: number, hours: number): { count: number; sumKes: number } {
    const hour = Math.floor(atMs / HOUR_MS);
    let count = 0;
    let sumKes = 0;
    // Buckets are in hour order: walk back from the newest and stop at the window's start.
    for (let i = this.buckets.length - 1; i >= 0; i--) {
      const b = this.buckets[i]!;
      if (b.hour <= hour - hours) break;
      if (b.hour <= hour) {
        count += b.count;
        sumKes += b.sumKes;
      }
    }
    return { count, sumKes };
  }

  /** Large payments in the week up to `atMs`, oldest first. */
  largeBefore(atMs: number): Array<{ at: string; amountKes: number }> {
    const out: Array<{ at: string; amountKes: number }> = [];
    for (const l of this.large) if (l.at > atMs - WEEK_MS && l.at <= atMs) out.push({ at: new Date(l.at).toISOString(), amountKes: l.amountKes });
    return out;
  }
}

export const WINDOW_HOURS = { DAY: 24, WEEK: WEEK_HOURS } as const;

export interface ObservedPayment {
  tenantId: string;
  customerId: string;
  debtorAccount: string;
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

const EMPTY = { count: 0, sumKes: 0 };
const keyOf = (tenantId: string, id: string) => `${tenantId}\u0000${id}`;

export class ScoringFacts {
  private readonly accounts = new Map<string, KeyWindow>();
  private readonly customers = new Map<string, KeyWindow>();
  /** Per tenant and customer: payments per device id, and all device payments. */
  private readonly devices = new Map<string, { seen: Map<string, number>; payments: number }>();
  private readonly accountOpened = new Map<string, string>();
  anomaly: AnomalyScorer | null = null;

  /** Adds a payment to the windows. Called once per assessed payment (and during warm-up). */
  observe(p: ObservedPayment): void {
    windowFor(this.accounts, keyOf(p.tenantId, p.debtorAccount)).add(p.atMs, p.amountKes);
    windowFor(this.customers, keyOf(p.tenantId, p.customerId)).add(p.atMs, p.amountKes);
    if (p.deviceId) {
      const key = keyOf(p.tenantId, p.customerId);
      let d = this.devices.get(key);
      if (!d) {
        d = { seen: new Map(), payments: 0 };
        this.devices.set(key, d);
      }
      d.seen.set(p.deviceId, (d.seen.get(p.deviceId) ?? 0) + 1);
      d.payments += 1;
    }
  }

  /** Takes back observe() for a payment that was not stored after all. */
  forget(p: ObservedPayment): void {
    this.accounts.get(keyOf(p.tenantId, p.debtorAccount))?.remove(p.atMs, p.amountKes);
    this.customers.get(keyOf(p.tenantId, p.customerId))?.remove(p.atMs, p.amountKes);
    if (p.deviceId) {
      const d = this.devices.get(keyOf(p.tenantId, p.customerId));
      const n = d?.seen.get(p.deviceId);
      if (d && n !== undefined) {
        if (n <= 1) d.seen.delete(p.deviceId);
        else d.seen.set(p.deviceId, n - 1);
        d.payments -= 1;
      }
    }
  }

  /**
   * The facts for a payment as they stand now, before the payment itself is observed: what is
   * stored with its assessment and what its rules read.
   */
  snapshot(p: { tenantId: string; customerId: string; debtorAccount: string; deviceId?: string | undefined }, atMs: number, fxRate: number): ScoringFactsSnapshot {
    const account = this.accounts.get(keyOf(p.tenantId, p.debtorAccount));
    const customer = this.customers.get(keyOf(p.tenantId, p.customerId));
    let device: ScoringFactsSnapshot['device'] = null;
    if (p.deviceId) {
      const d = this.devices.get(keyOf(p.tenantId, p.customerId));
      device = { known: d?.seen.has(p.deviceId) ?? false, priorPayments: d?.payments ?? 0 };
    }
    return {
      v: 1,
      asOf: new Date(atMs).toISOString(),
      fxRate,
      velocity: {
        account: { day: account?.totals(atMs, WINDOW_HOURS.DAY) ?? EMPTY, week: account?.totals(atMs, WEEK_HOURS) ?? EMPTY },
        customer: { day: customer?.totals(atMs, WINDOW_HOURS.DAY) ?? EMPTY, week: customer?.totals(atMs, WEEK_HOURS) ?? EMPTY },
      },
      largePayments: customer && customer.large.length > 0 ? customer.largeBefore(atMs) : [],
      device,
      accountOpenedOn: this.accountOpened.get(p.debtorAccount) ?? null,
      anomalyModelId: this.anomaly?.modelId ?? null,
    };
  }

  /** The snapshot and the current anomaly model, ready for the rules. */
  factsFor(p: { tenantId: string; customerId: string; debtorAccount: string; deviceId?: string | undefined }, atMs: number, fxRate: number): PaymentFacts {
    return { snapshot: this.snapshot(p, atMs, fxRate), anomaly: this.anomaly };
  }

  /**
   * Account opening dates come from the core-banking customer records, which are bank-wide (the
   * customers table has no tenant); an account number is the bank's own.
   */
  setAccountOpened(accountNumber: string, openedOn: string): void {
    if (/^\d{4}-\d{2}-\d{2}$/.test(openedOn) && Number.isFinite(Date.parse(`${openedOn}T00:00:00Z`))) this.accountOpened.set(accountNumber, openedOn);
  }

  get size(): { accounts: number; customers: number; devices: number; knownAccounts: number } {
    return { accounts: this.accounts.size, customers: this.customers.size, devices: this.devices.size, knownAccounts: this.accountOpened.size };
  }
}

function windowFor(map: Map<string, KeyWindow>, key: string): KeyWindow {
  let window = map.get(key);
  if (!window) {
    window = new KeyWindow();
    map.set(key, window);
  }
  return window;
}
