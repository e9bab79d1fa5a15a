// A calendar-day box (due dates, next test dates: days, not instants), typed in the locale's
// day/month/year order like the app's date-and-time fields (ui/EatDateTimeField.tsx). The value
// is `YYYY-MM-DD`, null when empty, or INCOMPLETE for a half-typed or impossible day, which the
// form shows as a field error: nothing here throws while a person types.
import { useRef, useState, type FocusEvent } from 'react';
import Box from '@mui/material/Box';
import dayjs, { type Dayjs } from 'dayjs';
import { LocalizationProvider } from '@mui/x-date-pickers/LocalizationProvider';
import { AdapterDayjs } from '@mui/x-date-pickers/AdapterDayjs';
import { DatePicker } from '@mui/x-date-pickers/DatePicker';
import { dateInputFormat } from '../lib/format.ts';
import { INCOMPLETE } from '../ui/EatDateTimeField.tsx';

export { INCOMPLETE };

const MIN_DAY = dayjs('2000-01-01');
const MAX_DAY = dayjs('2100-12-31');

export function dayFieldProblem(value: string | null, required: boolean): string | null {
  if (value === INCOMPLETE) return `Enter a complete date (${dateInputFormat().split(' ')[0]}) between 2000 and 2100`;
  if (value === null && required) return 'Choose a date';
  return null;
}

function toDay(next: Dayjs | null): string | null {
  if (next === null) return null;
  if (!next.isValid()) return INCOMPLETE;
  const text = next.format('YYYY-MM-DD');
  return text >= '2000-01-01' && text <= '2100-12-31' ? text : INCOMPLETE;
}

export function DayField({
  label,
  value,
  onChange,
  error,
  helper,
  testId,
  disablePast,
}: {
  label: string;
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string | null;
  helper?: string;
  testId?: string;
  disablePast?: boolean;
}) {
  // The picker gets back what it last reported, even half-typed; fed null it would wipe what is being typed.
  const [draft, setDraft] = useState<Dayjs | null>(() => (value && value !== INCOMPLETE ? dayjs(value) : null));
  const [synced, setSynced] = useState<string | null>(value);
  const root = useRef<HTMLDivElement>(null);
  if (value !== synced) {
    setSynced(value);
    if (value !== INCOMPLETE) setDraft(value ? dayjs(value) : null);
  }
  const report = (out: string | null) => {
    setSynced(out);
    onChange(out);
  };
  const onLeave = (event: FocusEvent<HTMLDivElement>) => {
    if (root.current?.contains(event.relatedTarget as Node | null)) return;
    const text = root.current?.querySelector<HTMLInputElement>('input[aria-hidden="true"]')?.value ?? '';
    const partial = text.trim() !== '' && /[A-Za-z]/.test(text);
    if (partial && value !== INCOMPLETE) report(INCOMPLETE);
    else if (text.trim() === '' && value === INCOMPLETE) report(null);
  };
  const hiddenInputProps = { 'data-testid': testId, autoComplete: 'off' };
  return (
    <Box ref={root} onBlur={onLeave} sx={{ display: 'contents' }}>
      <LocalizationProvider dateAdapter={AdapterDayjs}>
        <DatePicker
          label={label}
          value={draft}
          format={dateInputFormat().split(' ')[0]}
          minDate={MIN_DAY}
          maxDate={MAX_DAY}
          disablePast={disablePast}
          onChange={(next) => {
            setDraft(next);
            report(toDay(next));
          }}
          slotProps={{
            field: { clearable: true },
            textField: {
              size: 'small',
              fullWidth: true,
              error: !!error,
              helperText: error ?? helper ?? ' ',
              slotProps: { htmlInput: hiddenInputProps },
              ...({ 'data-testid': testId ? `${testId}-field` : undefined } as object),
            },
          }}
        />
      </LocalizationProvider>
    </Box>
  );
}
