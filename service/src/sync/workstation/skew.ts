import { SYNCABLE_COMMANDS, type VersionSkew } from '../../../../shared/src/sync.ts';

/** Where the hub's and this workstation's syncable command versions differ, and which side to update. */
export function versionSkew(hub: Readonly<Record<string, number>>): VersionSkew[] {
  const local: Readonly<Record<string, { version: number }>> = SYNCABLE_COMMANDS;
  const names = [...new Set([...Object.keys(local), ...Object.keys(hub)])].sort();
  const out: VersionSkew[] = [];
  for (const command of names) {
    const workstationVersion = local[command]?.version ?? null;
    const hubVersion = hub[command] ?? null;
    if (workstationVersion === hubVersion) continue;
    const update = hubVersion === null ? 'hub' : workstationVersion === null || hubVersion > workstationVersion ? 'workstation' : 'hub';
    out.push({ command, workstationVersion, hubVersion, update });
  }
  return out;
}
