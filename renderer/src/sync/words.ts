// The sync state in plain words (issue 12, "what the user sees"). Pure functions over the shared
// SyncStatus so the top bar, the Settings screen, the "needs the hub" alert and the unit tests
// (renderer/test/sync-words.test.ts) all say the same thing. Intl only: runs in node too.
import type { SyncStatus, VersionSkew } from '../../../shared/src/sync.ts';
import { formatCount, formatEatDay, formatEatHour, formatEatShort, toValidDate } from '../lib/format.ts';

/** `14:05` when it was today (in EAT), `03 Dec, 14:05` otherwise. */
export function sinceTime(iso: string, now: number): string {
  const date = toValidDate(iso);
  if (!date) return 'an unknown time';
  const sameDay = formatEatDay(date) === formatEatDay(new Date(now)) && now - date.getTime() < 24 * 3600_000;
  return sameDay ? formatEatHour(date) : formatEatShort(date);
}

/** The top bar's word for a workstation: "Online", "Offline since 14:05", "Syncing…", "First sync…". */
export function connectionLabel(status: Pick<SyncStatus, 'state' | 'offlineSince'>, now: number): string {
  switch (status.state) {
    case 'online':
      return 'Online';
    case 'syncing':
      return 'Syncing…';
    case 'initial-sync':
      return 'First sync…';
    case 'offline':
      return status.offlineSince ? `Offline since ${sinceTime(status.offlineSince, now)}` : 'Offline';
    case 'not-applicable':
      return 'Not syncing';
  }
}

/** "1 change waiting", "3 changes waiting", or null when none. */
export function pendingLabel(pending: number): string | null {
  if (pending <= 0) return null;
  return `${formatCount(pending)} ${pending === 1 ? 'change' : 'changes'} waiting`;
}

/** "1 conflict to resolve" / "2 conflicts to resolve" / null. */
export function conflictsLabel(conflicts: number): string | null {
  if (conflicts <= 0) return null;
  return `${formatCount(conflicts)} ${conflicts === 1 ? 'conflict' : 'conflicts'} to resolve`;
}

/** "about 2 min left", "less than a minute left", null when unknown. */
export function timeLeftLabel(secondsLeft: number | null): string | null {
  if (secondsLeft === null || !Number.isFinite(secondsLeft) || secondsLeft < 0) return null;
  if (secondsLeft < 60) return 'less than a minute left';
  const minutes = Math.round(secondsLeft / 60);
  if (minutes < 90) return `about ${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${hours} h ${String(rest).padStart(2, '0')} min left`;
}

/** 0..100 for the first sync's progress bar, or null while the total is not known yet. */
export function initialSyncPercent(progress: NonNullable<SyncStatus['initialSync']>): number | null {
  if (progress.casesTotal <= 0) return null;
  return Math.max(0, Math.min(100, (progress.casesDone / progress.casesTotal) * 100));
}

/** "1,200 of 4,000 cases · 9,800 rows · about 2 min left" */
export function initialSyncLine(progress: NonNullable<SyncStatus['initialSync']>): string {
  const parts = [
    progress.casesTotal > 0 ? `${formatCount(progress.casesDone)} of ${formatCount(progress.casesTotal)} cases` : `${formatCount(progress.casesDone)} cases`,
    `${formatCount(progress.rowsDone)} rows`,
  ];
  const left = timeLeftLabel(progress.secondsLeft);
  if (left) parts.push(left);
  return parts.join(' · ');
}

/** The top bar's short line: "98,400 rows · about 2 min left" (cases are in the tooltip). */
export function initialSyncShort(progress: NonNullable<SyncStatus['initialSync']>): string {
  const left = timeLeftLabel(progress.secondsLeft);
  return `${formatCount(progress.rowsDone)} rows${left ? ` · ${left}` : ''}`;
}

/** `case.decide` → "case.decide v2". */
function commandAt(command: string, version: number | null): string {
  return version === null ? command : `${command} v${version}`;
}

/**
 * What has to be updated, in one sentence per command: "This workstation must be updated: the
 * hub accepts case.decide v2" (hub newer) or "The hub must be updated: this workstation sends
 * case.decide v3" (workstation newer). Waiting changes are kept meanwhile, never dropped.
 */
export function skewSentence(skew: VersionSkew): string {
  if (skew.update === 'workstation') {
    if (skew.hubVersion === null) return `This workstation must be updated: the hub no longer accepts ${commandAt(skew.command, skew.workstationVersion)}.`;
    return `This workstation must be updated: the hub accepts ${commandAt(skew.command, skew.hubVersion)}${
      skew.workstationVersion === null ? '' : ` (this workstation sends v${skew.workstationVersion})`
    }.`;
  }
  if (skew.hubVersion === null) return `The hub must be updated: it does not accept ${commandAt(skew.command, skew.workstationVersion)} yet.`;
  return `The hub must be updated: this workstation sends ${commandAt(skew.command, skew.workstationVersion)}, the hub accepts v${skew.hubVersion}.`;
}

/** The calm sentence shown wherever a screen needs the hub while the workstation is offline. */
export function hubNeededSentence(offlineSince: string | null, now: number): string {
  const since = offlineSince ? `You are offline since ${sinceTime(offlineSince, now)}` : 'The hub cannot be reached right now';
  return `This needs the bank's hub. ${since}; it will work again when the connection is back.`;
}

/** A status's state in words for the Settings screen. */
export function stateSentence(status: SyncStatus, now: number): string {
  switch (status.state) {
    case 'online':
      if (status.versionSkew.length > 0 && status.pendingMutations > 0)
        return 'Connected to the hub; your waiting changes are kept until the versions match (see above).';
      return status.pendingMutations > 0 ? 'Connected to the hub; sending your waiting changes.' : 'Connected to the hub; everything is up to date.';
    case 'syncing':
      return 'Connected to the hub; exchanging changes now.';
    case 'initial-sync':
      return 'Downloading the cases this workstation keeps for its user (first sync).';
    case 'offline':
      return status.offlineSince
        ? `The hub cannot be reached since ${sinceTime(status.offlineSince, now)}. Case work is kept here and sent when it is back.`
        : 'The hub cannot be reached. Case work is kept here and sent when it is back.';
    case 'not-applicable':
      return status.mode === 'hub' ? 'This is the hub: workstations sync with it.' : 'This computer works on its own; nothing syncs.';
  }
}

/** "Standalone", "Hub", "Workstation" with what it means. */
export function modeSentence(mode: SyncStatus['mode']): string {
  switch (mode) {
    case 'workstation':
      return 'Workstation — keeps a local copy of your cases and syncs with the bank’s hub.';
    case 'hub':
      return 'Hub — the bank’s central service on PostgreSQL that workstations sync with.';
    case 'standalone':
      return 'Standalone — everything stays on this computer; nothing syncs.';
  }
}

/** "Up to date with the hub (change 1,234)" or "66 hub changes still to receive (at 1,234 of 1,300)". */
export function cursorSentence(status: Pick<SyncStatus, 'lastPulledSeq' | 'hubSeq'>): string {
  const behind = status.hubSeq - status.lastPulledSeq;
  if (behind <= 0) return `Up to date with the hub (change ${formatCount(status.lastPulledSeq)}).`;
  return `${formatCount(behind)} hub ${behind === 1 ? 'change' : 'changes'} still to receive (at ${formatCount(status.lastPulledSeq)} of ${formatCount(status.hubSeq)}).`;
}
