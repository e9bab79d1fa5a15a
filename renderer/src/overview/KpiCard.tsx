import type { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
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
  comparison,
  href,
}: {
  label: string;
  value: string;
  exact?: string;
  caption?: ReactNode;
  icon: ReactNode;
  tone?: 'neutral' | 'danger' | 'warning' | 'success';
  testId?: string;
  /** The change against the previous period (issue 15), under the figure. */
  comparison?: ReactNode;
  /** The list behind the figure: the whole card opens it (drill-down). */
  href?: string | null;
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
  const body = (
    <>
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
      {comparison}
    </>
  );
  const layout = { p: 2, display: 'flex', flexDirection: 'column', alignItems: 'stretch', gap: 1, minWidth: 0, height: '100%' } as const;
  return (
    <Card sx={{ minWidth: 0, ...(href ? {} : layout) }} data-testid={testId} data-drill={href ?? undefined}>
      {href ? (
        <CardActionArea component={RouterLink} to={href} sx={layout} aria-label={`${label}: show the list behind this figure`}>
          {body}
        </CardActionArea>
      ) : (
        body
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
