import { LARGE_PAYMENT_FLOOR_KES } from '../../../shared/src/decision-engine.ts';

/**
 * What the rules know beyond the payment itself, kept in memory and updated as payments arrive
 * (Jube-style windowed counters): per account and per customer, hourly buckets of count and KES
 * sum over the last week; each customer's large payments; the devices each customer has used;
 * when each account was opened. Rules never scan the payments table per payment.
 *
 * Windows are rolling: DAY = the 24 hours before the payment, WEEK = the 168 hours before it.
 */
const HOUR_MS = 3_600_000;
const WEEK_HOURS = 168;

interface HourBucket {
  hour: number;
  count: number;
  sumKes: number;
}

class KeyWindow {
  buckets: HourBucket[] = [];
  /** Timestamps and amounts of large payments in the last week (rare, so kept individually). */
  large: Array<{ at: number; amountKes: number }> = [];

  add(atMs: number, amountKes: number): void {
    const hour = Math.floor(atMs / HOUR_MS);
    // Payments arrive roughly in time order, so the matching bucket is almost always the last.
    let bucket: HourBucket | undefined;
    for (let i = this.buckets.length - 1; i >= 0; i--) {
      const candidate = this.buckets[i]!;
      if (candidate.hour === hour) { bucket = candidate; break; }
      if (candidate.hour < hour) break;
    }
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

  largeCount(atMs: number, hours: number, thresholdKes: number): number {
    const from = atMs - hours * HOUR_MS;
    let n = 0;
    for (const l of this.large) if (l.at > from && l.at <= atMs && l.amountKes >= thresholdKes) n++;
    return n;
  }
}

export const WINDOW_HOURS = { DAY: 24, WEEK: WEEK_HOURS } as const;

export interface ObservedPayment {
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

export class ScoringFacts {
  private readonly accounts = new Map<string, KeyWindow>();
  private readonly customers = new Map<string, KeyWindow>();
  private readonly devices = new Map<string, { seen: Set<string>; payments: number }>();
  private readonly accountOpened = new Map<string, number>();
  anomaly: AnomalyScorer | null = null;

  /** Adds a payment to the windows. Called once per assessed payment (and during warm-up). */
  observe(p: ObservedPayment): void {
    windowFor(this.accounts, p.debtorAccount).add(p.atMs, p.amountKes);
    windowFor(this.customers, p.customerId).add(p.atMs, p.amountKes);
    if (p.deviceId) {
      let d = this.devices.get(p.customerId);
      if (!d) {
        d = { seen: new Set(), payments: 0 };
        this.devices.set(p.customerId, d);
      }
      d.seen.add(p.deviceId);
      d.payments += 1;
    }
  }

  /** Count and KES sum in the window before `atMs` (the payment being scored is not yet included). */
  windowTotals(subject: 'ACCOUNT' | 'CUSTOMER', key: string, atMs: number, hours: number): { count: number; sumKes: number } {
    const window = (subject === 'ACCOUNT' ? this.accounts : this.customers).get(key);
    return window ? window.totals(atMs, hours) : { count: 0, sumKes: 0 };
  }

  largePaymentCount(customerId: string, atMs: number, hours: number, thresholdKes: number): number {
    return this.customers.get(customerId)?.largeCount(atMs, hours, thresholdKes) ?? 0;
  }

  /** Average KES amount of the customer's payments over the last week, or null without history. */
  customerAverageKes(customerId: string, atMs: number): number | null {
    const totals = this.windowTotals('CUSTOMER', customerId, atMs, WEEK_HOURS);
    return totals.count === 0 ? null : totals.sumKes / totals.count;
  }

  deviceHistory(customerId: string, deviceId: string): { known: boolean; priorPayments: number } {
    const d = this.devices.get(customerId);
    return { known: d?.seen.has(deviceId) ?? false, priorPayments: d?.payments ?? 0 };
  }

  setAccountOpened(accountNumber: string, openedOn: string): void {
    const ms = Date.parse(`${openedOn}T00:00:00Z`);
    if (Number.isFinite(ms)) this.accountOpened.set(accountNumber, ms);
  }

  accountOpenedAt(accountNumber: string): number | null {
    return this.accountOpened.get(accountNumber) ?? null;
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
