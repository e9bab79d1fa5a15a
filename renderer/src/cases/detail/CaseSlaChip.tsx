import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import { useTheme } from '@mui/material/styles';
import PauseCircleOutlined from '@mui/icons-material/PauseCircleOutlined';
import type { CaseSummary } from '../../../../shared/src/cases.ts';
import { formatDuration, formatEat } from '../../lib/format.ts';
import { useNow } from '../../lib/useNow.ts';
import { softChipSx } from '../../ui/chips.tsx';
import { slaStatus } from '../caseDetailModel.ts';

/** SLA countdown for one case: green, amber under a quarter of the window, red overdue, grey while paused. */
export function CaseSlaChip({ summary }: { summary: Pick<CaseSummary, 'slaDueAt' | 'slaPausedAt' | 'createdAt' | 'closedAt'> }) {
  const theme = useTheme();
  const now = useNow();
  const sla = slaStatus(summary, now);
  const chipSx = (colour: string) => [softChipSx(colour, theme), { fontVariantNumeric: 'tabular-nums', fontWeight: 600, fontSize: 11.5 }];

  switch (sla.kind) {
    case 'closed':
      return (
        <Tooltip title={`SLA was ${formatEat(summary.slaDueAt)}`}>
          <Chip
            label={sla.met ? 'Met' : 'Missed'}
            data-testid="case-sla"
            data-sla={sla.met ? 'met' : 'missed'}
            sx={chipSx(sla.met ? theme.palette.status.neutral : theme.palette.status.danger)}
          />
        </Tooltip>
      );
    case 'paused':
      return (
        <Tooltip title={`Clock stopped ${formatEat(sla.pausedAt)} while waiting for information · ${formatDuration(sla.remainingMs)} left when it resumes`}>
          <Chip
            icon={<PauseCircleOutlined sx={{ fontSize: 15 }} />}
            label={`Paused · ${sla.remainingMs < 0 ? 'overdue' : `${formatDuration(sla.remainingMs)} left`}`}
            data-testid="case-sla"
            data-sla="paused"
            sx={chipSx(theme.palette.status.neutral)}
          />
        </Tooltip>
      );
    case 'overdue':
      return (
        <Tooltip title={`SLA was due ${formatEat(summary.slaDueAt)}`}>
          <Chip
            label={`Overdue ${formatDuration(sla.remainingMs, { coarse: true })}`}
            data-testid="case-sla"
            data-sla="overdue"
            sx={chipSx(theme.palette.status.danger)}
          />
        </Tooltip>
      );
    default: {
      const colour = sla.kind === 'due-soon' ? theme.palette.status.warning : theme.palette.status.success;
      return (
        <Tooltip title={`SLA due ${formatEat(summary.slaDueAt)} · ${Math.round(sla.fractionLeft * 100)}% of the window left`}>
          <Chip label={`${formatDuration(sla.remainingMs)} left`} data-testid="case-sla" data-sla={sla.kind} sx={chipSx(colour)} />
        </Tooltip>
      );
    }
  }
}
