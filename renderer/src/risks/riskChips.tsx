// The register's chips: a risk level in its matrix colour (the colour is data, so it comes from
// the matrix, never from the theme), and the status words of risks, controls and acceptances.
import Chip from '@mui/material/Chip';
import Box from '@mui/material/Box';
import { useTheme, type Theme } from '@mui/material/styles';
import { softChipSx } from '../ui/chips.tsx';
import type { MatrixLevel } from './matrix.ts';

export function LevelChip({ level, score, testId }: { level: MatrixLevel | null; score?: number | null; testId?: string }) {
  const theme = useTheme();
  if (!level) return <Chip label="Not assessed" data-testid={testId} sx={[softChipSx(theme.palette.status.neutral, theme), { borderStyle: 'dashed' }]} />;
  const label = score !== null && score !== undefined ? `${level.name} · ${score}` : level.name;
  return (
    <Chip
      label={label}
      data-testid={testId}
      data-level={level.key}
      icon={<Box component="span" sx={{ width: 8, height: 8, borderRadius: '2px', bgcolor: level.colour, flexShrink: 0 }} />}
      sx={[
        softChipSx(theme.palette.mode === 'dark' ? theme.palette.text.primary : theme.palette.text.primary, theme),
        { borderColor: level.colour, fontWeight: 600 },
      ]}
    />
  );
}

type Tone = 'success' | 'warning' | 'danger' | 'info' | 'neutral';

function tone(theme: Theme, t: Tone): string {
  return theme.palette.status[t];
}

export function ToneChip({ label, tone: t, testId, title }: { label: string; tone: Tone; testId?: string; title?: string }) {
  const theme = useTheme();
  return <Chip label={label} title={title} data-testid={testId} sx={softChipSx(tone(theme, t), theme)} />;
}

export const RISK_STATUS_TONE: Record<string, Tone> = {
  IDENTIFIED: 'info',
  ASSESSED: 'warning',
  TREATED: 'success',
  MONITORED: 'success',
  CLOSED: 'neutral',
};

export const EFFECTIVENESS_TONE: Record<string, Tone> = {
  EFFECTIVE: 'success',
  PARTIALLY_EFFECTIVE: 'warning',
  INEFFECTIVE: 'danger',
  NOT_TESTED: 'neutral',
};

export const TEST_RESULT_TONE: Record<string, Tone> = { PASS: 'success', PARTIAL: 'warning', FAIL: 'danger' };

export const ACCEPTANCE_TONE: Record<string, Tone> = {
  REQUESTED: 'info',
  APPROVED: 'success',
  REJECTED: 'danger',
  EXPIRED: 'neutral',
  WITHDRAWN: 'neutral',
};

/** `PARTIALLY_EFFECTIVE` → `Partially effective`. */
export function humanise(value: string): string {
  const words = value.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
