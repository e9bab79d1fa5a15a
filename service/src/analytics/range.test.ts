import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DashboardRangeQuery } from '../../../shared/src/analytics.ts';
import { resolveRange } from './range.ts';

const NOW = new Date('2026-11-20T12:00:00.000Z'); // 15:00 in Nairobi

describe('dashboard ranges (Nairobi bank days)', { timeout: 10_000 }, () => {
  it('7 d ends now and is compared with the same hours a week earlier', () => {
    const r = resolveRange({ range: '7d' }, NOW);
    assert.deepEqual(r, {
      key: '7d',
      label: 'Last 7 days',
      from: '2026-11-13T21:00:00.000Z',
      to: '2026-11-20T12:00:00.000Z',
      previousFrom: '2026-11-06T21:00:00.000Z',
      previousTo: '2026-11-13T12:00:00.000Z',
      bucket: 'day',
    });
  });

  it('a custom range is whole days; its previous period ends where it starts', () => {
    const r = resolveRange({ range: 'custom', from: '2026-10-01', to: '2026-10-31' }, NOW);
    assert.equal(r.from, '2026-09-30T21:00:00.000Z');
    assert.equal(r.to, '2026-10-31T21:00:00.000Z');
    assert.equal(r.previousTo, r.from);
    assert.equal(r.previousFrom, '2026-08-30T21:00:00.000Z');
    assert.equal(resolveRange({ range: 'custom', from: '2026-10-01', to: '2026-10-01' }, NOW).bucket, 'hour');
  });

  it('refuses half-typed, reversed and over-long custom ranges with the field named', () => {
    const issues = (q: unknown) => DashboardRangeQuery.safeParse(q).error?.issues.map((i) => i.path.join('.'));
    assert.deepEqual(issues({ range: 'custom', from: '2026-1', to: '2026-10-31' }), ['from']);
    assert.deepEqual(issues({ range: 'custom', from: '2026-10-31', to: '2026-10-01' }), ['to']);
    assert.deepEqual(issues({ range: 'custom', from: '2025-01-01', to: '2026-10-01' }), ['to']);
    assert.deepEqual(issues({ range: 'custom', from: '0000-01-01', to: '0000-01-02' }), ['from', 'to']);
  });
});
