import {
  toggleLevel,
  toggleSpecificity,
  type DisabledBehaviour,
  type ToggleCandidate,
  type ToggleLevel,
  type ToggleResolution,
} from '../../../shared/src/toggles.ts';

/** A toggle configuration as the resolver holds it: times as epoch ms, open ends as ±Infinity. */
export interface ToggleEntry {
  id: string;
  tenantId: string;
  paymentType: string | null;
  localInstrumentationCode: string | null;
  clearingSystemCode: string | null;
  isEnabled: boolean;
  enabledReason: string | null;
  disabledReason: string | null;
  fromMs: number;
  untilMs: number;
  priority: number;
  disabledBehaviour: DisabledBehaviour;
  level: ToggleLevel;
  specificity: number;
}

export interface ToggleLookup {
  tenantId: string;
  paymentType?: string | null | undefined;
  localInstrumentationCode?: string | null | undefined;
  clearingSystemCode?: string | null | undefined;
}

export function toEntry(e: Omit<ToggleEntry, 'level' | 'specificity'>): ToggleEntry {
  return { ...e, level: toggleLevel(e), specificity: toggleSpecificity(e) };
}

/** Most specific first, then the lowest priority number, then the latest effective_from, then id (stable). */
function rank(a: ToggleEntry, b: ToggleEntry): number {
  return b.specificity - a.specificity || a.priority - b.priority || b.fromMs - a.fromMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const levelsMatch = (e: ToggleEntry, c: ToggleLookup) =>
  (e.paymentType === null || e.paymentType === (c.paymentType ?? null)) &&
  (e.localInstrumentationCode === null || e.localInstrumentationCode === (c.localInstrumentationCode ?? null)) &&
  (e.clearingSystemCode === null || e.clearingSystemCode === (c.clearingSystemCode ?? null));

const inWindow = (e: ToggleEntry, atMs: number) => e.fromMs <= atMs && atMs < e.untilMs;

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);

/**
 * The one resolver (issue 4 §2), used by the check endpoint, the UI and the assessment flow.
 * Active configurations are indexed by tenant and pre-sorted, so resolving is a map look-up and a
 * short scan to the first entry whose levels match (an empty level matches any) and whose window
 * [effective_from, effective_until) contains the instant. No match → the engine is enabled.
 */
export class ToggleIndex {
  private readonly byTenant = new Map<string, ToggleEntry[]>();
  readonly size: number;

  constructor(entries: readonly ToggleEntry[]) {
    for (const e of entries) {
      let list = this.byTenant.get(e.tenantId);
      if (!list) {
        list = [];
        this.byTenant.set(e.tenantId, list);
      }
      list.push(e);
    }
    for (const list of this.byTenant.values()) list.sort(rank);
    this.size = entries.length;
  }

  /** The hot path: the winning entry, or null when none applies (the engine is then enabled). */
  winner(c: ToggleLookup, atMs: number): ToggleEntry | null {
    const list = this.byTenant.get(c.tenantId);
    if (!list) return null;
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (e.fromMs <= atMs && atMs < e.untilMs && levelsMatch(e, c)) return e;
    }
    return null;
  }

  /** The winner with every candidate and why it won or lost, for the check endpoint and the UI. */
  resolve(c: ToggleLookup, atMs: number): ToggleResolution {
    const list = this.byTenant.get(c.tenantId) ?? [];
    const winner = this.winner(c, atMs);
    const candidates: ToggleCandidate[] = [];
    for (const e of list) {
      if (!levelsMatch(e, c)) continue;
      let verdict: string;
      if (e === winner) verdict = 'winner';
      else if (!inWindow(e, atMs)) verdict = e.fromMs > atMs ? `not yet effective (from ${iso(e.fromMs)})` : `expired (until ${iso(e.untilMs)})`;
      else if (winner && e.specificity < winner.specificity)
        verdict = `less specific (${e.level.toLowerCase().replace('_', ' ')} vs ${winner.level.toLowerCase().replace('_', ' ')})`;
      else if (winner && e.priority > winner.priority) verdict = `lower priority (${e.priority} vs ${winner.priority})`;
      else verdict = 'older effective_from';
      candidates.push({
        id: e.id,
        level: e.level,
        specificity: e.specificity,
        priority: e.priority,
        isEnabled: e.isEnabled,
        effectiveFrom: iso(e.fromMs),
        effectiveUntil: iso(e.untilMs),
        verdict,
      });
    }
    const at = new Date(atMs).toISOString();
    if (!winner) {
      return {
        enabled: true,
        reason: `No active configuration applies to tenant ${c.tenantId}${describe(c)} at ${at}: the fraud engine is enabled by default`,
        matchedConfigurationId: null,
        disabledBehaviour: null,
        at,
        candidates,
      };
    }
    const why = winner.isEnabled ? (winner.enabledReason ?? 'enabled') : (winner.disabledReason ?? 'disabled');
    const window =
      Number.isFinite(winner.fromMs) || Number.isFinite(winner.untilMs) ? ` (window ${iso(winner.fromMs) ?? 'open'} – ${iso(winner.untilMs) ?? 'open'})` : '';
    return {
      enabled: winner.isEnabled,
      reason: `${winner.isEnabled ? 'Enabled' : 'Disabled'} by the ${winner.level.toLowerCase().replace('_', ' ')}-level configuration${window}, priority ${winner.priority}: ${why}`,
      matchedConfigurationId: winner.id,
      disabledBehaviour: winner.isEnabled ? null : winner.disabledBehaviour,
      at,
      candidates,
    };
  }

  /** The next instant after `afterMs` at which some window opens or closes (null when none). */
  nextBoundary(afterMs: number): number | null {
    let next = Infinity;
    for (const list of this.byTenant.values()) {
      for (const e of list) {
        if (e.fromMs > afterMs && e.fromMs < next) next = e.fromMs;
        if (e.untilMs > afterMs && e.untilMs < next) next = e.untilMs;
      }
    }
    return Number.isFinite(next) ? next : null;
  }
}

function describe(c: ToggleLookup): string {
  const parts = [
    c.paymentType && `payment type ${c.paymentType}`,
    c.localInstrumentationCode && `local instrument ${c.localInstrumentationCode}`,
    c.clearingSystemCode && `clearing system ${c.clearingSystemCode}`,
  ].filter(Boolean);
  return parts.length ? `, ${parts.join(', ')}` : '';
}
