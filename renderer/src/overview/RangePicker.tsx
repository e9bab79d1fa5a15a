// Today / 7 d / 30 d / Custom, with two day fields for a custom range. A half-typed day is a field
// error next to the box, and the figures on screen stay those of the last complete range.
import Box from '@mui/material/Box';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import type { DashboardRangeKey } from '../../../shared/src/analytics.ts';
import { DayField, dayFieldProblem, INCOMPLETE } from '../risks/DayField.tsx';

const LABELS: Record<DashboardRangeKey, string> = { today: 'Today', '7d': '7 days', '30d': '30 days', custom: 'Custom' };

export interface RangeDraft {
  range: DashboardRangeKey;
  /** YYYY-MM-DD, INCOMPLETE while half typed, or null. */
  from: string | null;
  to: string | null;
}

export function RangePicker({
  value,
  onChange,
  problems,
}: {
  value: RangeDraft;
  onChange: (next: RangeDraft) => void;
  /** The service contract's complaints about a complete custom range (e.g. the last day before the first). */
  problems: Partial<Record<'from' | 'to', string>> | null;
}) {
  const fieldError = (key: 'from' | 'to') =>
    dayFieldProblem(value[key], value.range === 'custom') ?? (value[key] !== INCOMPLETE ? (problems?.[key] ?? null) : null);
  return (
    <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1.5, flexWrap: 'wrap' }} data-testid="range-picker">
      <ToggleButtonGroup
        size="small"
        exclusive
        value={value.range}
        onChange={(_, next: DashboardRangeKey | null) => {
          if (next) onChange({ ...value, range: next });
        }}
        aria-label="Time range"
      >
        {(Object.keys(LABELS) as DashboardRangeKey[]).map((key) => (
          <ToggleButton key={key} value={key} data-testid={`range-${key}`} sx={{ px: 1.5, textTransform: 'none' }}>
            {LABELS[key]}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      {value.range === 'custom' &&
        (['from', 'to'] as const).map((key) => (
          <Box key={key} sx={{ width: 190 }}>
            <DayField
              label={key === 'from' ? 'First day' : 'Last day'}
              value={value[key]}
              onChange={(next) => onChange({ ...value, [key]: next })}
              error={fieldError(key)}
              testId={`range-${key}`}
            />
          </Box>
        ))}
    </Box>
  );
}
