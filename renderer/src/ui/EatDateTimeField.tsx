// A date-and-time box in the bank's zone (EAT, UTC+3) whatever the computer's zone: MUI X
// DateTimePicker with the Day.js adapter pinned to Africa/Nairobi, typed in the app locale's
// day/month/year order (lib/format.ts `dateInputFormat`, `DD/MM/YYYY HH:mm` for en-KE). The value
// is an ISO string with its offset (`2026-05-01T22:00:00+03:00`) or null. A half-typed or
// impossible box (`06/12/0002`, year 2 — Day.js would give it a local-mean-time offset that no
// Date can parse) reports INCOMPLETE, so the form shows a field error; nothing here may throw
// while a person types.
import { useRef, useState, type FocusEvent, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { LocalizationProvider } from '@mui/x-date-pickers/LocalizationProvider';
import { AdapterDayjs } from '@mui/x-date-pickers/AdapterDayjs';
import { DateTimePicker } from '@mui/x-date-pickers/DateTimePicker';
import { BANK_TIME_ZONE, dateInputFormat } from '../lib/format.ts';

dayjs.extend(utc);
dayjs.extend(timezone);

export const EAT_ZONE = BANK_TIME_ZONE;
/** Not a date: the box holds a partial, impossible or out-of-range value. */
export const INCOMPLETE = 'incomplete';
/** The range the service accepts (shared/src/text.ts BoundedInstant): 2000-01-01 to 2100-12-31. */
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const LATEST_MS = Date.UTC(2101, 0, 1);
const EAT_OFFSET_MS = 3 * 3_600_000;
const MIN_DATE = dayjs(EARLIEST_MS).tz(EAT_ZONE);
const MAX_DATE = dayjs(LATEST_MS - 60_000).tz(EAT_ZONE);

/** What a field error says for INCOMPLETE, in the locale's own typing order. */
export function incompleteMessage(): string {
  return `Enter a complete date and time (${dateInputFormat()}, EAT) between 2000 and 2100`;
}

function toDayjs(value: string | null): Dayjs | null {
  if (!value || value === INCOMPLETE) return null;
  const parsed = dayjs(value);
  return parsed.isValid() ? parsed.tz(EAT_ZONE) : null;
}

/**
 * ISO with the +03:00 offset, as the contract asks (`z.iso.datetime({ offset: true })`), to the
 * minute (the field shows minutes, so a value has no seconds either). Built from the instant, not
 * from Day.js's zone formatting; null for an instant the service would refuse.
 */
export function toEatIso(value: Dayjs): string | null {
  const ms = value.valueOf();
  if (!Number.isFinite(ms) || ms < EARLIEST_MS || ms >= LATEST_MS) return null;
  // Nairobi keeps UTC+3 with no daylight saving throughout the accepted range: a fixed offset is exact.
  const local = new Date(Math.floor(ms / 60_000) * 60_000 + EAT_OFFSET_MS).toISOString().slice(0, 16);
  return `${local}:00+03:00`;
}

export function EatDateTimeField({
  label,
  value,
  onChange,
  testId,
  error,
  helper,
  disabled,
  clearable = true,
  disablePast,
  width,
}: {
  label: string;
  value: string | null;
  onChange: (value: string | null) => void;
  /** Put on the field's text input (the one that accepts typed text, see the report). */
  testId?: string;
  error?: string;
  helper?: ReactNode;
  disabled?: boolean;
  clearable?: boolean;
  disablePast?: boolean;
  /** A fixed width for filter bars; the default fills its grid cell. */
  width?: number;
}) {
  // The picker gets back exactly what it last reported, even a half-typed (invalid) date: fed
  // null instead, it would wipe the sections being typed. The form's value is synced in only
  // when it changes from outside (a reset, a reload, "Use now").
  const [draft, setDraft] = useState<Dayjs | null>(() => toDayjs(value));
  const [synced, setSynced] = useState<string | null>(value);
  const root = useRef<HTMLDivElement>(null);
  const report = (out: string | null) => {
    setSynced(out);
    onChange(out);
  };
  // The picker reports nothing while only some sections are filled (`06/12/0020 hh:mm`): on
  // leaving the box, a half-filled one is INCOMPLETE (a field error), an emptied one is null.
  const onLeave = (event: FocusEvent<HTMLDivElement>) => {
    if (root.current?.contains(event.relatedTarget as Node | null)) return;
    const text = root.current?.querySelector<HTMLInputElement>('input[aria-hidden="true"]')?.value ?? '';
    const partial = text.trim() !== '' && /[A-Za-z]/.test(text);
    if (partial && value !== INCOMPLETE) report(INCOMPLETE);
    else if (text.trim() === '' && value === INCOMPLETE) report(null);
  };
  if (value !== synced) {
    setSynced(value);
    if (value !== INCOMPLETE) setDraft(toDayjs(value));
  }
  // The picker types its slots without data-* attributes; a plain object (not a literal) passes them.
  const hiddenInputProps = { 'data-testid': testId, autoComplete: 'off' };
  const textFieldProps = {
    size: 'small' as const,
    fullWidth: width === undefined,
    error: !!error,
    helperText: error ?? helper,
    'data-testid': testId ? `${testId}-field` : undefined,
    slotProps: { htmlInput: hiddenInputProps },
    ...(width !== undefined ? { sx: { width } } : {}),
  };
  return (
    <Box ref={root} onBlur={onLeave} sx={{ display: 'contents' }}>
      <LocalizationProvider dateAdapter={AdapterDayjs}>
        <DateTimePicker
          label={label}
          value={draft}
          timezone={EAT_ZONE}
          format={dateInputFormat()}
          ampm={false}
          disabled={disabled}
          disablePast={disablePast}
          minDateTime={MIN_DATE}
          maxDateTime={MAX_DATE}
          onChange={(next) => {
            setDraft(next);
            report(next === null ? null : (next.isValid() && toEatIso(next)) || INCOMPLETE);
          }}
          slotProps={{
            field: { clearable },
            textField: textFieldProps,
          }}
        />
      </LocalizationProvider>
    </Box>
  );
}
