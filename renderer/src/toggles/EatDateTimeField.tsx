// A date-and-time box in Nairobi time (EAT, UTC+3) whatever the computer's zone: MUI X
// DateTimePicker with the Day.js adapter pinned to Africa/Nairobi. The value is an ISO string with
// its offset (`2026-05-01T22:00:00+03:00`) or null; a half-typed box reports INCOMPLETE so the
// form's schema shows an error instead of silently saving "no limit".
import type { ReactNode } from 'react';
import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { LocalizationProvider } from '@mui/x-date-pickers/LocalizationProvider';
import { AdapterDayjs } from '@mui/x-date-pickers/AdapterDayjs';
import { DateTimePicker } from '@mui/x-date-pickers/DateTimePicker';

dayjs.extend(utc);
dayjs.extend(timezone);

export const EAT_ZONE = 'Africa/Nairobi';
/** What a person (or a test) types: day/month/year, 24-hour time, in EAT. */
export const EAT_INPUT_FORMAT = 'DD/MM/YYYY HH:mm';
/** Not a date: the box holds a partial or impossible value. */
export const INCOMPLETE = 'incomplete';

function toDayjs(value: string | null): Dayjs | null {
  if (!value || value === INCOMPLETE) return null;
  const parsed = dayjs(value);
  return parsed.isValid() ? parsed.tz(EAT_ZONE) : null;
}

/** ISO with the +03:00 offset, as the contract asks (`z.iso.datetime({ offset: true })`). */
export function toEatIso(value: Dayjs): string {
  // The field shows minutes, so a value has no seconds either (a default of "now" would carry them).
  return value.tz(EAT_ZONE).second(0).millisecond(0).format('YYYY-MM-DDTHH:mm:ssZ');
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
}) {
  // The picker types its slots without data-* attributes; a plain object (not a literal) passes them.
  const hiddenInputProps = { 'data-testid': testId, autoComplete: 'off' };
  const textFieldProps = {
    size: 'small' as const,
    fullWidth: true,
    error: !!error,
    helperText: error ?? helper,
    'data-testid': testId ? `${testId}-field` : undefined,
    slotProps: { htmlInput: hiddenInputProps },
  };
  return (
    <LocalizationProvider dateAdapter={AdapterDayjs}>
      <DateTimePicker
        label={label}
        value={toDayjs(value)}
        timezone={EAT_ZONE}
        format={EAT_INPUT_FORMAT}
        ampm={false}
        disabled={disabled}
        disablePast={disablePast}
        onChange={(next) => {
          if (next === null) onChange(null);
          else onChange(next.isValid() ? toEatIso(next) : INCOMPLETE);
        }}
        slotProps={{
          field: { clearable },
          textField: textFieldProps,
        }}
      />
    </LocalizationProvider>
  );
}
