// A "from / to" pair of bank-day boxes for filter bars. A box being typed in keeps its own (maybe
// incomplete) value; only complete days reach the URL. A half-typed day shows a field error and is
// not sent; an end before the start is flagged on the "to" box.
import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { DayField, INCOMPLETE } from '../risks/DayField.tsx';

/** Short, for a filter bar: the box shows the typing order itself. */
const INCOMPLETE_DAY = 'Incomplete date: finish or clear it';

export interface DayRange {
  from: string | null;
  to: string | null;
  setFrom: (v: string | null) => void;
  setTo: (v: string | null) => void;
  /** A box holds a half-typed day (counts as a filter: Clear must be offered). */
  incomplete: boolean;
  order: string | null;
  /** Empties both boxes (a half-typed day never reached the URL, so clearing it there is not enough). */
  clear: () => void;
}

/** Drafts for the two boxes, re-synced whenever the URL's complete days change. */
export function useDayRange(fromDay: string | null, toDay: string | null): DayRange {
  const [from, setFrom] = useState<string | null>(fromDay);
  const [to, setTo] = useState<string | null>(toDay);
  const [synced, setSynced] = useState({ from: fromDay, to: toDay });
  if (synced.from !== fromDay || synced.to !== toDay) {
    setSynced({ from: fromDay, to: toDay });
    if (from !== INCOMPLETE || fromDay) setFrom(fromDay);
    if (to !== INCOMPLETE || toDay) setTo(toDay);
  }
  const order = from && to && from !== INCOMPLETE && to !== INCOMPLETE && from > to ? 'The end is before the start' : null;
  return {
    from,
    to,
    setFrom,
    setTo,
    incomplete: from === INCOMPLETE || to === INCOMPLETE,
    order,
    clear: () => {
      setFrom(null);
      setTo(null);
    },
  };
}

/** One end of the range; `onChange` gets only complete days (or null when emptied). */
export function DayRangeField({
  range,
  end,
  label,
  width,
  onChange,
  testId,
}: {
  range: DayRange;
  end: 'from' | 'to';
  label: string;
  width: number;
  onChange: (day: string | null) => void;
  testId: string;
}) {
  const draft = end === 'from' ? range.from : range.to;
  const setDraft = end === 'from' ? range.setFrom : range.setTo;
  return (
    <Box sx={{ width }}>
      <DayField
        label={label}
        value={draft}
        onChange={(v) => {
          setDraft(v);
          if (v !== INCOMPLETE) onChange(v);
        }}
        error={draft === INCOMPLETE ? INCOMPLETE_DAY : end === 'to' ? range.order : null}
        helper=" "
        testId={testId}
      />
    </Box>
  );
}

/** "Clear filters" for a bar with a day range: empties the boxes too, since a half-typed day never reached the URL. */
export function ClearFiltersButton({ range, onClear, testId }: { range: DayRange; onClear: () => void; testId: string }) {
  return (
    <Button
      size="small"
      onClick={() => {
        range.clear();
        onClear();
      }}
      sx={{ mt: 0.75 }}
      data-testid={testId}
    >
      Clear filters
    </Button>
  );
}
