import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import { useTheme } from '@mui/material/styles';
import PauseRounded from '@mui/icons-material/PauseRounded';
import { SLA_AMBER_FRACTION, type CaseSummary } from '../../../../shared/src/cases.ts';
import { formatDuration, formatEat } from '../../lib/format.ts';
import { useNow } from '../../lib/useNow.ts';
import { softChipSx } from '../../ui/chips.tsx';

export type SlaStatus = 'ok' | 'amber' | 'red' | 'paused';

/** Where a case stands against its SLA at `now`. The SLA's length is due − opened. */
export function slaStatus(
  c: Pick<CaseSummary, 'slaDueAt' | 'slaPausedAt' | 'createdAt' | 'closedAt'>,
  now: number,
): { status: SlaStatus; remainingMs: number } {
  const due = Date.parse(c.slaDueAt);
  if (c.closedAt) {
    const late = Date.parse(c.closedAt) - due;
    return { status: late > 0 ? 'red' : 'ok', remainingMs: -late };
  }
  if (c.slaPausedAt) return { status: 'paused', remainingMs: due - Date.parse(c.slaPausedAt) };
  const remainingMs = due - now;
  if (remainingMs < 0) return { status: 'red', remainingMs };
  const total = Math.max(1, due - Date.parse(c.createdAt));
  return { status: remainingMs < total * SLA_AMBER_FRACTION ? 'amber' : 'ok', remainingMs };
}

/**
 * The SLA countdown in the queue: time left, amber in the last quarter of the SLA, red and counting
 * up once overdue, grey while the clock is stopped for information. Re-renders on the shared clock.
 */
export function SlaCountdownChip({ summary }: { summary: CaseSummary }) {
  const theme = useTheme();
  const now = useNow();
  const { status, remainingMs } = slaStatus(summary, now);
  const due = formatEat(summary.slaDueAt);

  let label: string;
  let tooltip: string;
  if (summary.closedAt) {
    label = status === 'ok' ? 'Met' : 'Missed';
    tooltip = `Closed ${formatEat(summary.closedAt)} · SLA was ${due}`;
  } else if (status === 'paused') {
    label = 'Paused';
    tooltip = `SLA clock stopped while waiting for information (since ${formatEat(summary.slaPausedAt ?? summary.slaDueAt)}) · ${formatDuration(remainingMs)} left when it resumes`;
  } else if (status === 'red') {
    label = `overdue ${formatDuration(remainingMs)}`;
    tooltip = `SLA was due ${due}`;
  } else {
    label = `${formatDuration(remainingMs)} left`;
    tooltip = `SLA due ${due}`;
  }

  const colour = {
    ok: theme.palette.status.success,
    amber: theme.palette.status.warning,
    red: theme.palette.status.danger,
    paused: theme.palette.status.neutral,
  }[status];
  return (
    <Tooltip title={tooltip}>
      <Chip
        label={label}
        icon={status === 'paused' && !summary.closedAt ? <PauseRounded sx={{ fontSize: 14 }} /> : undefined}
        data-testid={`sla-chip-${summary.reference}`}
        data-sla={status}
        sx={[
          softChipSx(colour, theme),
          { fontVariantNumeric: 'tabular-nums', fontWeight: 600, fontSize: 11.5, '& .MuiChip-label': { px: 0.875 } },
          status === 'red' && !summary.closedAt ? { fontWeight: 700 } : {},
        ]}
      />
    </Tooltip>
  );
}
