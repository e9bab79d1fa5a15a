import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import Skeleton from '@mui/material/Skeleton';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import { FONT_MONO } from '../app/theme.ts';

export function KpiCard({
  label,
  value,
  exact,
  caption,
  icon,
  tone = 'neutral',
  testId,
}: {
  label: string;
  value: string;
  exact?: string;
  caption?: ReactNode;
  icon: ReactNode;
  tone?: 'neutral' | 'danger' | 'warning' | 'success';
  testId?: string;
}) {
  const theme = useTheme();
  const colour =
    tone === 'danger'
      ? theme.palette.status.danger
      : tone === 'warning'
        ? theme.palette.status.warning
        : tone === 'success'
          ? theme.palette.status.success
          : theme.palette.primary.main;
  return (
    <Card sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 1, minWidth: 0 }} data-testid={testId}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Box
          sx={{
            width: 28,
            height: 28,
            borderRadius: 1.5,
            display: 'grid',
            placeItems: 'center',
            color: colour,
            bgcolor: alpha(colour, theme.palette.mode === 'dark' ? 0.16 : 0.09),
            '& svg': { fontSize: 17 },
          }}
        >
          {icon}
        </Box>
        <Typography variant="body2" sx={{ color: 'text.secondary', fontWeight: 550 }} noWrap>
          {label}
        </Typography>
      </Box>
      <Tooltip title={exact ?? ''} disableHoverListener={!exact} placement="bottom-start">
        <Typography
          sx={{
            fontFamily: FONT_MONO,
            fontSize: 24,
            fontWeight: 600,
            letterSpacing: '-0.03em',
            lineHeight: 1.2,
            color: tone === 'danger' ? colour : 'text.primary',
          }}
          data-testid={testId ? `${testId}-value` : undefined}
        >
          {value}
        </Typography>
      </Tooltip>
      {caption && (
        <Typography variant="caption" sx={{ color: 'text.secondary' }} noWrap>
          {caption}
        </Typography>
      )}
    </Card>
  );
}

/** Placeholders for a row of KPI cards while the figures load. */
export function KpiCardSkeletons({ count }: { count: number }) {
  return (
    <>
      {Array.from({ length: count }, (_, i) => (
        <Card key={i} sx={{ p: 2 }}>
          <Skeleton width="60%" />
          <Skeleton width="45%" height={36} />
          <Skeleton width="80%" />
        </Card>
      ))}
    </>
  );
}
