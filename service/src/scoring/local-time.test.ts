import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { localTime, zoneOffsetMinutes } from './local-time.ts';

/** The reference: Intl's own wall-clock reading of the instant, without any cache. */
const referenceFormatters = new Map<string, Intl.DateTimeFormat>();
function intlLocal(instant: string, timeZone: string) {
  let formatter = referenceFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' });
    referenceFormatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { hour: Number(get('hour')), minute: Number(get('minute')), weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')) };
}

describe('local time across daylight-saving changes', { timeout: 30_000 }, () => {
  it('reads Australia/Adelaide right just after its offset changes at half past a UTC hour', () => {
    // DST ended at 03:00 local (+10:30) = 16:30 UTC on 2026-04-04; 16:45 UTC is 02:15 local (+9:30).
    localTime(Date.parse('2026-04-04T16:05:00Z'), 'Australia/Adelaide'); // warms the cache before the change
    assert.deepEqual(localTime(Date.parse('2026-04-04T16:45:00Z'), 'Australia/Adelaide'), { hour: 2, minute: 15, weekday: 0 });
    assert.equal(zoneOffsetMinutes(Date.parse('2026-04-04T16:29:00Z'), 'Australia/Adelaide'), 630);
    assert.equal(zoneOffsetMinutes(Date.parse('2026-04-04T16:30:00Z'), 'Australia/Adelaide'), 570);
  });

  it('agrees with Intl minute by minute around every change of 2026 in zones with whole, half and quarter-hour offsets', () => {
    const zones = [
      'Africa/Nairobi',
      'Europe/London',
      'America/New_York',
      'Australia/Adelaide',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'Asia/Kathmandu',
      'America/St_Johns',
    ];
    const mismatches: string[] = [];
    for (const zone of zones) {
      // Every 5 minutes for the whole year would be 100k probes a zone; look closely only around changes.
      let previous = intlOffset(Date.parse('2026-01-01T00:00:00Z'), zone);
      for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 3_600_000) {
        const offset = intlOffset(t, zone);
        if (offset === previous) continue;
        previous = offset;
        for (let m = t - 3 * 3_600_000; m <= t + 3 * 3_600_000; m += 5 * 60_000) {
          const ours = localTime(m, zone);
          const theirs = intlLocal(new Date(m).toISOString(), zone);
          if (ours.hour !== theirs.hour || ours.minute !== theirs.minute || ours.weekday !== theirs.weekday) {
            mismatches.push(`${zone} ${new Date(m).toISOString()}: ${JSON.stringify(ours)} vs ${JSON.stringify(theirs)}`);
          }
        }
      }
    }
    assert.deepEqual(mismatches.slice(0, 10), []);
  });
});

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
function intlOffset(instantMs: number, timeZone: string): string {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'longOffset' });
    offsetFormatters.set(timeZone, formatter);
  }
  return formatter.format(new Date(instantMs));
}
