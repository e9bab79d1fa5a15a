// Chips of the KRI and risk-event screens: a KRI's status by threshold (with the stale flag), and
// an event's severity, type and state. Colour carries meaning: green OK, amber warning, red critical.
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import { useTheme, type Theme } from '@mui/material/styles';
import HistoryToggleOffOutlined from '@mui/icons-material/HistoryToggleOffOutlined';
import { softChipSx } from '../ui/chips.tsx';

type Tone = 'success' | 'warning' | 'danger' | 'info' | 'neutral';

export const KRI_STATUS_LABELS: Record<string, string> = { OK: 'OK', WARNING: 'Warning', CRITICAL: 'Critical', NO_DATA: 'No data' };
const KRI_STATUS_TONE: Record<string, Tone> = { OK: 'success', WARNING: 'warning', CRITICAL: 'danger', NO_DATA: 'neutral' };

function toneColour(theme: Theme, tone: Tone): string {
  return theme.palette.status[tone];
}

export function KriStatusChip({ status, testId }: { status: string; testId?: string }) {
  const theme = useTheme();
  const tone = KRI_STATUS_TONE[status] ?? 'neutral';
  if (status === 'CRITICAL') {
    const solid = toneColour(theme, 'danger');
    return (
      <Chip
        size="small"
        label={KRI_STATUS_LABELS[status]}
        data-testid={testId}
        data-status={status}
        sx={{ color: theme.palette.mode === 'dark' ? '#1f0a0a' : '#fff', bgcolor: solid, border: `1px solid ${solid}`, fontWeight: 650, height: 22 }}
      />
    );
  }
  return (
    <Chip
      size="small"
      label={KRI_STATUS_LABELS[status] ?? status}
      data-testid={testId}
      data-status={status}
      sx={[softChipSx(toneColour(theme, tone), theme), { fontWeight: 600, height: 22 }, status === 'NO_DATA' ? { borderStyle: 'dashed' } : {}]}
    />
  );
}

/** Not measured within its frequency plus the grace period. */
export function StaleChip({ title, testId }: { title?: string; testId?: string }) {
  const theme = useTheme();
  return (
    <Tooltip title={title ?? 'Not measured within its frequency plus the grace period'}>
      <Chip
        size="small"
        icon={<HistoryToggleOffOutlined sx={{ fontSize: '14px !important' }} />}
        label="Stale"
        data-testid={testId}
        sx={[softChipSx(theme.palette.mode === 'dark' ? '#c4b5fd' : '#6d28d9', theme), { fontWeight: 600, height: 22 }]}
      />
    </Tooltip>
  );
}

export const SEVERITY_LABELS: Record<string, string> = { LOW: 'Low', MEDIUM: 'Medium', HIGH: 'High', WARNING: 'Warning', CRITICAL: 'Critical' };
const SEVERITY_TONE: Record<string, Tone> = { LOW: 'neutral', MEDIUM: 'info', HIGH: 'warning', WARNING: 'warning', CRITICAL: 'danger' };

export function SeverityChip({ severity, testId }: { severity: string; testId?: string }) {
  const theme = useTheme();
  return (
    <Chip
      size="small"
      label={SEVERITY_LABELS[severity] ?? severity}
      data-testid={testId}
      data-severity={severity}
      sx={[softChipSx(toneColour(theme, SEVERITY_TONE[severity] ?? 'neutral'), theme), { fontWeight: 600, height: 22 }]}
    />
  );
}

export const EVENT_TYPE_LABELS: Record<string, string> = {
  INCIDENT: 'Incident',
  LOSS: 'Loss',
  NEAR_MISS: 'Near miss',
  KRI_BREACH: 'KRI breach',
  COMPLIANCE: 'Compliance',
  CREDIT: 'Credit',
};

export const EVENT_SOURCE_LABELS: Record<string, string> = { MANUAL: 'By hand', KRI: 'KRI breach', INTEGRATION: 'Bank system', EVENT_QUEUE: 'Event queue' };

export function EventStatusChip({ status }: { status: string }) {
  const theme = useTheme();
  const tone: Tone = status === 'OPEN' ? 'info' : 'neutral';
  return (
    <Chip
      size="small"
      label={status === 'OPEN' ? 'Open' : 'Closed'}
      data-status={status}
      sx={[softChipSx(toneColour(theme, tone), theme), { fontWeight: 600, height: 22 }]}
    />
  );
}
