// Status chips for the Administration screens: active, deactivated, one-time password pending,
// revoked, old key still valid.
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import { useTheme } from '@mui/material/styles';
import { softChipSx } from '../ui/chips.tsx';
import { formatEat } from '../lib/format.ts';

type Tone = 'success' | 'warning' | 'danger' | 'neutral' | 'info';

export function StatusChip({ label, tone, title, testId }: { label: string; tone: Tone; title?: string; testId?: string }) {
  const theme = useTheme();
  const chip = <Chip size="small" label={label} data-testid={testId} sx={[softChipSx(theme.palette.status[tone], theme), { fontWeight: 600, height: 22 }]} />;
  return title ? <Tooltip title={title}>{chip}</Tooltip> : chip;
}

export function UserStatusChips({
  active,
  passwordChangeRequired,
  deactivatedAt,
}: {
  active: boolean;
  passwordChangeRequired: boolean;
  deactivatedAt: string | null;
}) {
  if (!active)
    return (
      <StatusChip label="Deactivated" tone="neutral" title={deactivatedAt ? `Since ${formatEat(deactivatedAt)}` : undefined} testId="user-status-deactivated" />
    );
  return (
    <>
      <StatusChip label="Active" tone="success" testId="user-status-active" />
      {passwordChangeRequired && (
        <StatusChip label="One-time password" tone="warning" title="Must choose a password at the next sign-in" testId="user-status-otp" />
      )}
    </>
  );
}
