// Status chips of the decision engine: assessment status (with an icon, so a failed assessment
// reads as failed without colour), circuit-breaker state, configuration version status and the
// rule cost class. Same shape and colour language as ui/chips.tsx.
import type { ReactElement } from 'react';
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import { useTheme, type Theme } from '@mui/material/styles';
import AutorenewOutlined from '@mui/icons-material/AutorenewOutlined';
import BlockOutlined from '@mui/icons-material/BlockOutlined';
import CheckCircleOutline from '@mui/icons-material/CheckCircleOutlineOutlined';
import ErrorOutline from '@mui/icons-material/ErrorOutlineOutlined';
import HourglassEmptyOutlined from '@mui/icons-material/HourglassEmptyOutlined';
import ReportProblemOutlined from '@mui/icons-material/ReportProblemOutlined';
import TimerOffOutlined from '@mui/icons-material/TimerOffOutlined';
import type { AssessmentStatus } from '../../../shared/src/assessments.ts';
import type { BreakerState, ConfigurationVersionStatus, RuleCost } from '../../../shared/src/decision-engine.ts';
import { softChipSx } from '../ui/chips.tsx';

export const STATUS_LABELS: Record<AssessmentStatus, string> = {
  PENDING: 'Pending',
  IN_PROGRESS: 'In progress',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
  ERROR: 'Error',
  TIMEOUT: 'Timed out',
  CANCELLED: 'Cancelled',
};

const STATUS_HINTS: Record<AssessmentStatus, string> = {
  PENDING: 'Queued for scoring (batch); the payment is held until it is scored',
  IN_PROGRESS: 'Being scored now',
  COMPLETED: 'Scored and decided',
  FAILED: 'Scoring failed; it can be retried',
  ERROR: 'An internal error stopped scoring; it can be retried',
  TIMEOUT: 'Not decided within the assessment timeout; it can be retried',
  CANCELLED: 'Cancelled; it will not be scored',
};

function statusLook(status: AssessmentStatus, theme: Theme): { colour: string; icon: ReactElement } {
  const { status: s } = theme.palette;
  switch (status) {
    case 'PENDING':
      return { colour: s.info, icon: <HourglassEmptyOutlined /> };
    case 'IN_PROGRESS':
      return { colour: theme.palette.primary.main, icon: <AutorenewOutlined /> };
    case 'COMPLETED':
      return { colour: s.success, icon: <CheckCircleOutline /> };
    case 'FAILED':
      return { colour: s.danger, icon: <ErrorOutline /> };
    case 'ERROR':
      return { colour: s.danger, icon: <ReportProblemOutlined /> };
    case 'TIMEOUT':
      return { colour: s.warning, icon: <TimerOffOutlined /> };
    case 'CANCELLED':
      return { colour: s.neutral, icon: <BlockOutlined /> };
  }
}

export function AssessmentStatusChip({ status }: { status: AssessmentStatus }) {
  const theme = useTheme();
  const { colour, icon } = statusLook(status, theme);
  return (
    <Tooltip title={STATUS_HINTS[status]}>
      <Chip
        icon={icon}
        label={STATUS_LABELS[status]}
        data-testid="status-chip"
        data-status={status}
        sx={[softChipSx(colour, theme), { '& .MuiChip-icon': { fontSize: 14 } }]}
      />
    </Tooltip>
  );
}

const BREAKER_LABELS: Record<BreakerState, string> = { CLOSED: 'Closed', OPEN: 'Open', HALF_OPEN: 'Half-open', ISOLATED: 'Isolated' };
const BREAKER_HINTS: Record<BreakerState, string> = {
  CLOSED: 'Circuit breaker closed: calls reach the bank engine',
  OPEN: 'Circuit breaker open: the engine is not called; the fallback decides',
  HALF_OPEN: 'Circuit breaker half-open: the next call is a trial',
  ISOLATED: 'Circuit breaker isolated by an operator: the engine is not called',
};

export function BreakerChip({ state, prefix = 'Breaker' }: { state: BreakerState; prefix?: string }) {
  const theme = useTheme();
  const colour = state === 'CLOSED' ? theme.palette.status.success : state === 'HALF_OPEN' ? theme.palette.status.warning : theme.palette.status.danger;
  return (
    <Tooltip title={BREAKER_HINTS[state]}>
      <Chip label={prefix ? `${prefix} ${BREAKER_LABELS[state].toLowerCase()}` : BREAKER_LABELS[state]} data-breaker={state} sx={softChipSx(colour, theme)} />
    </Tooltip>
  );
}

export function VersionStatusChip({ status }: { status: ConfigurationVersionStatus }) {
  const theme = useTheme();
  const colour = status === 'PUBLISHED' ? theme.palette.status.success : status === 'DRAFT' ? theme.palette.status.warning : theme.palette.status.neutral;
  const label = status.charAt(0) + status.slice(1).toLowerCase();
  return <Chip label={label} data-version-status={status} sx={[softChipSx(colour, theme), { height: 20, fontSize: 11 }]} />;
}

export function DraftBadge({ title }: { title?: string }) {
  const theme = useTheme();
  return (
    <Tooltip title={title ?? 'An unpublished draft is open'}>
      <Chip label="Draft" data-testid="draft-badge" sx={[softChipSx(theme.palette.status.warning, theme), { height: 20, fontSize: 11 }]} />
    </Tooltip>
  );
}

const COST_HINTS: Record<RuleCost, string> = {
  FIELD: 'Cheap: compares fields of the payment',
  LOOKUP: 'Moderate: reads recent activity (aggregates and look-ups)',
  MODEL: 'Costly: scores the payment with the anomaly model',
};

export function CostChip({ cost }: { cost: RuleCost }) {
  const theme = useTheme();
  const colour = cost === 'FIELD' ? theme.palette.status.neutral : cost === 'LOOKUP' ? theme.palette.status.info : theme.palette.status.warning;
  return (
    <Tooltip title={COST_HINTS[cost]}>
      <Chip label={cost.charAt(0) + cost.slice(1).toLowerCase()} sx={[softChipSx(colour, theme), { height: 20, fontSize: 10.5, fontWeight: 650 }]} />
    </Tooltip>
  );
}
