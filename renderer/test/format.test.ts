// The renderer's one formatting module (renderer/src/lib/format.ts), in node: it uses only Intl,
// so what it writes here is what every screen writes (issue 11 §4: one date format, zone shown,
// and no value — however half-typed — may throw).
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  appLocale,
  BANK_TIME_ZONE,
  dateInputFormat,
  DEFAULT_LOCALE,
  formatAge,
  formatDate,
  formatEat,
  formatEatDay,
  formatEatHour,
  formatEatMinutes,
  formatEatShort,
  INVALID_DATE_TEXT,
  resolveLocale,
  setAppLocale,
  toValidDate,
} from '../src/lib/format.ts';

const INSTANT = '2026-12-05T22:00:00Z'; // 06 Dec 2026, 01:00 in Nairobi

describe('date formatting', () => {
  afterEach(() => setAppLocale(null));

  it('defaults to en-KE in the bank zone, 24-hour, with the zone named', () => {
    assert.equal(appLocale(), DEFAULT_LOCALE);
    assert.equal(BANK_TIME_ZONE, 'Africa/Nairobi');
    assert.equal(formatEat(INSTANT), '06 Dec 2026, 01:00:00 EAT');
    assert.equal(formatEatMinutes(INSTANT), '06 Dec 2026, 01:00 EAT');
    assert.equal(formatEatShort(INSTANT), '06 Dec, 01:00');
    assert.equal(formatEatDay(INSTANT), '06 Dec');
    assert.equal(formatEatHour('2026-12-05T21:00:00Z'), '00:00', 'midnight is 00:00, never 24:00');
    assert.equal(formatEat('2026-12-06T13:30:00+03:00'), '06 Dec 2026, 13:30:00 EAT', 'no AM/PM');
    assert.equal(formatEat(new Date(INSTANT)), formatEat(INSTANT));
  });

  it('keeps a calendar date on its day whatever the zone', () => {
    assert.equal(formatDate('2026-12-06'), '06 Dec 2026');
    assert.equal(formatDate(INSTANT), '06 Dec 2026', 'an instant is shown on its Nairobi day');
  });

  it('types dates in the locale’s order with a 24-hour clock', () => {
    assert.equal(dateInputFormat(), 'DD/MM/YYYY HH:mm');
    setAppLocale('en-US');
    assert.equal(appLocale(), 'en-US');
    assert.equal(dateInputFormat(), 'MM/DD/YYYY HH:mm');
    assert.equal(formatEat(INSTANT), 'Dec 06, 2026, 01:00:00 EAT', 'another locale, still the bank zone and 24-hour');
    setAppLocale('de-DE');
    assert.equal(dateInputFormat(), 'DD.MM.YYYY HH:mm');
    setAppLocale(null);
    assert.equal(formatEat(INSTANT), '06 Dec 2026, 01:00:00 EAT');
  });

  it('falls back to en-KE for a locale it cannot use', () => {
    assert.equal(resolveLocale(undefined), 'en-KE');
    assert.equal(resolveLocale(''), 'en-KE');
    assert.equal(resolveLocale('not a locale!'), 'en-KE');
    assert.equal(resolveLocale('en-GB'), 'en-GB');
  });

  it('never throws on a value that is not a date (what a half-typed box produces)', () => {
    for (const bad of ['', 'incomplete', 'Invalid Date', '0002-12-06T01:00:00+02:27.2666', 'not a date', new Date(Number.NaN)]) {
      assert.equal(formatEat(bad), INVALID_DATE_TEXT, String(bad));
      assert.equal(formatEatMinutes(bad), INVALID_DATE_TEXT);
      assert.equal(formatEatShort(bad), INVALID_DATE_TEXT);
      assert.equal(formatEatHour(bad), INVALID_DATE_TEXT);
      assert.equal(formatAge(bad), INVALID_DATE_TEXT);
    }
    assert.equal(formatDate('2026-13-45'), INVALID_DATE_TEXT);
    assert.equal(toValidDate('garbage'), null);
    assert.equal(toValidDate(null), null);
    assert.equal(toValidDate(INSTANT)?.toISOString(), '2026-12-05T22:00:00.000Z');
  });

  it('writes ages relative to the given now', () => {
    const now = Date.parse(INSTANT);
    assert.equal(formatAge(new Date(now - 10_000), now), 'just now');
    assert.equal(formatAge(new Date(now - 12 * 60_000), now), '12 min ago');
    assert.equal(formatAge(new Date(now - 3 * 3_600_000), now), '3 h ago');
    assert.equal(formatAge(new Date(now - 90 * 86_400_000), now), formatDate('2026-09-07'), 'older than 60 days: the date');
  });
});
