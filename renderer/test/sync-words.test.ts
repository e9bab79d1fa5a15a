// The sync state in words (renderer/src/sync/words.ts, conflictWords.ts): what the top bar, the
// "needs the hub" alert, Settings and the Conflicts inbox say. Times are fixed instants (no clock).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mineRows, theirsRows } from '../src/sync/conflictWords.ts';
import {
  connectionLabel,
  cursorSentence,
  hubNeededSentence,
  initialSyncLine,
  initialSyncPercent,
  pendingLabel,
  sinceTime,
  skewSentence,
  timeLeftLabel,
} from '../src/sync/words.ts';

// 2026-12-04 14:05 EAT = 11:05 UTC.
const OFFLINE_AT = '2026-12-04T11:05:00.000Z';
const SAME_DAY = Date.parse('2026-12-04T15:30:00.000Z');
const NEXT_DAY = Date.parse('2026-12-05T09:00:00.000Z');

describe('offline since', () => {
  it('shows only the time (EAT) on the same day, the date as well on another day', () => {
    assert.equal(sinceTime(OFFLINE_AT, SAME_DAY), '14:05');
    assert.equal(sinceTime(OFFLINE_AT, NEXT_DAY), '04 Dec, 14:05');
    assert.equal(sinceTime('not a date', SAME_DAY), 'an unknown time');
  });

  it('labels each state of the top bar', () => {
    assert.equal(connectionLabel({ state: 'offline', offlineSince: OFFLINE_AT }, SAME_DAY), 'Offline since 14:05');
    assert.equal(connectionLabel({ state: 'offline', offlineSince: null }, SAME_DAY), 'Offline');
    assert.equal(connectionLabel({ state: 'online', offlineSince: null }, SAME_DAY), 'Online');
    assert.equal(connectionLabel({ state: 'syncing', offlineSince: null }, SAME_DAY), 'Syncing…');
    assert.equal(connectionLabel({ state: 'initial-sync', offlineSince: null }, SAME_DAY), 'First sync…');
  });

  it('says calmly that a screen needs the hub, with since when', () => {
    assert.equal(
      hubNeededSentence(OFFLINE_AT, SAME_DAY),
      "This needs the bank's hub. You are offline since 14:05; it will work again when the connection is back.",
    );
    assert.equal(
      hubNeededSentence(null, SAME_DAY),
      "This needs the bank's hub. The hub cannot be reached right now; it will work again when the connection is back.",
    );
  });
});

describe('counts and progress', () => {
  it('counts waiting changes in words', () => {
    assert.equal(pendingLabel(0), null);
    assert.equal(pendingLabel(1), '1 change waiting');
    assert.equal(pendingLabel(3), '3 changes waiting');
    assert.equal(pendingLabel(12500), '12,500 changes waiting');
  });

  it('describes the first sync: cases, rows and time left', () => {
    const progress = { rowsDone: 9800, casesDone: 1200, casesTotal: 4000, secondsLeft: 130 };
    assert.equal(initialSyncPercent(progress), 30);
    assert.equal(initialSyncLine(progress), '1,200 of 4,000 cases · 9,800 rows · about 2 min left');
    assert.equal(initialSyncPercent({ ...progress, casesTotal: 0 }), null);
    assert.equal(initialSyncLine({ rowsDone: 10, casesDone: 0, casesTotal: 0, secondsLeft: null }), '0 cases · 10 rows');
    assert.equal(timeLeftLabel(20), 'less than a minute left');
    assert.equal(timeLeftLabel(2 * 3600 + 300), 'about 2 h 05 min left');
    assert.equal(timeLeftLabel(-1), null);
  });

  it('says how far behind the hub the cache is', () => {
    assert.equal(cursorSentence({ lastPulledSeq: 1234, hubSeq: 1234 }), 'Up to date with the hub (change 1,234).');
    assert.equal(cursorSentence({ lastPulledSeq: 1234, hubSeq: 1300 }), '66 hub changes still to receive (at 1,234 of 1,300).');
  });
});

describe('version skew', () => {
  it('names what must be updated and the version the other side accepts', () => {
    assert.equal(
      skewSentence({ command: 'case.decide', workstationVersion: 1, hubVersion: 2, update: 'workstation' }),
      'This workstation must be updated: the hub accepts case.decide v2 (this workstation sends v1).',
    );
    assert.equal(
      skewSentence({ command: 'case.tag', workstationVersion: 1, hubVersion: null, update: 'workstation' }),
      'This workstation must be updated: the hub no longer accepts case.tag v1.',
    );
    assert.equal(
      skewSentence({ command: 'case.decide', workstationVersion: 3, hubVersion: 2, update: 'hub' }),
      'The hub must be updated: this workstation sends case.decide v3, the hub accepts v2.',
    );
    assert.equal(
      skewSentence({ command: 'case.attach', workstationVersion: 1, hubVersion: null, update: 'hub' }),
      'The hub must be updated: it does not accept case.attach v1 yet.',
    );
  });
});

describe('conflict sides', () => {
  it('shows what I did offline in words, without ids, the version it was based on last', () => {
    const rows = mineRows({
      caseId: '3d0c6c1e-0000-4000-8000-000000000001',
      expectedVersion: 4,
      note: 'Customer confirmed by call-back',
      reasonCode: 'VERIFIED_WITH_CUSTOMER',
      action: 'APPROVE',
    });
    assert.deepEqual(
      rows.map((r) => [r.label, r.value]),
      [
        ['Action', 'Approve'],
        ['Reason', 'Verified with customer by call-back'],
        ['Note', 'Customer confirmed by call-back'],
        ['Based on case version', '4'],
      ],
    );
  });

  it('shows the case as the hub has it now', () => {
    const rows = theirsRows({ version: 7, outcome: 'BLOCKED', assigneeName: 'Grace Achieng', state: 'CLOSED', assigneeId: 'x' });
    assert.deepEqual(
      rows.map((r) => [r.label, r.value]),
      [
        ['State', 'Closed'],
        ['Assignee', 'Grace Achieng'],
        ['Outcome', 'Blocked'],
        ['Version', '7'],
      ],
    );
    assert.equal(theirsRows({ assigneeName: null }).at(0)?.value, 'Unassigned');
  });
});
