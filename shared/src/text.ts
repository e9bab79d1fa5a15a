import { z } from 'zod';

/**
 * Text rules shared by every input schema (ARCHITECTURE.md rule 6: bad input is a 400 naming the
 * field). Identifiers never carry control or invisible format characters (NUL, line breaks, bidi
 * overrides, zero-width joiners) nor unpaired surrogates: they end up in logs, CSV exports, URLs
 * and other systems' keys, and PostgreSQL text cannot hold a NUL at all.
 */
export const NO_CONTROL = /^[^\p{Cc}\p{Cf}\p{Cs}]*$/u;
/** Free text may hold tabs and line breaks, nothing else from the control range. */
export const NO_CONTROL_EXCEPT_LINES = /^[^\p{Cf}\p{Cs}\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$/u;

/** A name or code: trimmed, no control or invisible characters. */
export const PlainText = (max: number) => z.string().trim().max(max).regex(NO_CONTROL, 'must not contain control or invisible characters');
/** A reason or note: line breaks allowed, other control characters not. */
export const NoteText = (max: number) => z.string().trim().max(max).regex(NO_CONTROL_EXCEPT_LINES, 'must not contain control characters');

/**
 * Instants are accepted from 2000-01-01 up to (not including) 2101-01-01, UTC. The bounds are
 * fixed rather than relative to "now", so the same input validates the same way on any day
 * (replays, backtests and tests never depend on today's date: ARCHITECTURE.md rule 3), while
 * typos such as year 0000 or 9999 are refused.
 */
export const EARLIEST_INSTANT = '2000-01-01T00:00:00Z';
export const LATEST_INSTANT = '2101-01-01T00:00:00Z';
const EARLIEST_MS = Date.parse(EARLIEST_INSTANT);
const LATEST_MS = Date.parse(LATEST_INSTANT);

const IsoDateTime = z.iso.datetime({ offset: true });
/** An ISO 8601 date-time with an offset, within the bounds above. */
export const BoundedInstant = IsoDateTime.refine((value) => {
  // A malformed value was already named by the format check: one error per field.
  if (!IsoDateTime.safeParse(value).success) return true;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms >= EARLIEST_MS && ms < LATEST_MS;
}, 'must be between 2000-01-01 and 2100-12-31');
