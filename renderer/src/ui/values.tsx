// Small value renderers: money, identifiers, times, SLA countdowns, scores, people.
import type { ReactNode } from 'react';
import Avatar from '@mui/material/Avatar';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import Typography, { type TypographyProps } from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import { FONT_MONO } from '../app/theme.ts';
import { formatAge, formatDuration, formatEat, formatEatShort, formatMoney, initials } from '../lib/format.ts';
import { useNow } from '../lib/useNow.ts';
import { softChipSx } from './chips.tsx';

export function Mono({ children, sx, ...rest }: TypographyProps) {
  return (
    <Typography
      component="span"
      variant="body2"
      {...rest}
      sx={[{ fontFamily: FONT_MONO, fontVariantNumeric: 'tabular-nums', letterSpacing: '-0.01em' }, ...(Array.isArray(sx) ? sx : sx ? [sx] : [])]}
    >
      {children}
    </Typography>
  );
}

export function Money({ amount, currency = 'KES', ...rest }: { amount: number; currency?: string } & TypographyProps) {
  return <Mono {...rest}>{formatMoney(amount, currency)}</Mono>;
}

/** "12 min ago" with the exact Nairobi time in a tooltip. */
export function TimeAgo({ value, variant = 'body2', color }: { value: string; variant?: TypographyProps['variant']; color?: string }) {
  const now = useNow();
  return (
    <Tooltip title={formatEat(value)}>
      <Typography component="time" dateTime={value} variant={variant} sx={{ color: color ?? 'text.primary', whiteSpace: 'nowrap' }}>
        {formatAge(value, now)}
      </Typography>
    </Tooltip>
  );
}

/** When something last happened (last use, last sign-in), or a muted "Never". */
export function TimeAgoOrNever({ value }: { value: string | null | undefined }) {
  if (value) return <TimeAgo value={value} />;
  return (
    <Typography variant="body2" sx={{ color: 'text.disabled' }}>
      Never
    </Typography>
  );
}

/** SLA countdown: green with time to spare, amber under an hour, red once overdue. */
export function SlaChip({ dueAt, closedAt }: { dueAt: string; closedAt?: string | null }) {
  const theme = useTheme();
  const now = useNow();
  if (closedAt) {
    const met = Date.parse(closedAt) <= Date.parse(dueAt);
    return (
      <Tooltip title={`Closed ${formatEat(closedAt)} · SLA was ${formatEat(dueAt)}`}>
        <Chip label={met ? 'Met' : 'Missed'} sx={softChipSx(met ? theme.palette.status.neutral : theme.palette.status.danger, theme)} />
      </Tooltip>
    );
  }
  const remaining = Date.parse(dueAt) - now;
  const overdue = remaining < 0;
  const color = overdue ? theme.palette.status.danger : remaining < 3_600_000 ? theme.palette.status.warning : theme.palette.status.success;
  const label = overdue ? `Overdue ${formatDuration(remaining, { coarse: true })}` : `in ${formatDuration(remaining)}`;
  return (
    <Tooltip title={`SLA due ${formatEat(dueAt)}`}>
      <Chip
        label={label}
        data-sla={overdue ? 'overdue' : remaining < 3_600_000 ? 'due-soon' : 'ok'}
        sx={[softChipSx(color, theme), { fontVariantNumeric: 'tabular-nums', fontWeight: 600, fontSize: 11.5 }]}
      />
    </Tooltip>
  );
}

/** Score 0–100 as a number with a short bar coloured by severity. */
export function ScoreBar({ points, width = 44 }: { points: number; width?: number }) {
  const theme = useTheme();
  const color =
    points >= 80 ? theme.palette.risk.CRITICAL : points >= 60 ? theme.palette.risk.HIGH : points >= 35 ? theme.palette.risk.MEDIUM : theme.palette.risk.LOW;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }} aria-label={`Risk score ${points} of 100`}>
      <Mono sx={{ width: 24, textAlign: 'right', fontWeight: 600 }}>{points}</Mono>
      <Box sx={{ width, height: 5, borderRadius: 3, bgcolor: alpha(color, 0.16), overflow: 'hidden' }}>
        <Box sx={{ width: `${points}%`, height: '100%', bgcolor: color, borderRadius: 3 }} />
      </Box>
    </Box>
  );
}

export function PersonAvatar({ name, size = 24 }: { name: string; size?: number }) {
  const theme = useTheme();
  // A stable hue per person so the same analyst is always the same colour.
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const hue = hash % 360;
  const bg = theme.palette.mode === 'dark' ? `hsl(${hue} 45% 32%)` : `hsl(${hue} 55% 88%)`;
  const fg = theme.palette.mode === 'dark' ? `hsl(${hue} 70% 88%)` : `hsl(${hue} 55% 28%)`;
  return <Avatar sx={{ width: size, height: size, fontSize: size * 0.42, fontWeight: 650, bgcolor: bg, color: fg }}>{initials(name)}</Avatar>;
}

export function Assignee({ name, size = 24 }: { name: string | null; size?: number }) {
  if (!name) {
    return (
      <Typography variant="body2" sx={{ color: 'text.secondary', fontStyle: 'italic' }}>
        Unassigned
      </Typography>
    );
  }
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.875, minWidth: 0 }}>
      <PersonAvatar name={name} size={size} />
      <Typography variant="body2" noWrap title={name}>
        {name}
      </Typography>
    </Box>
  );
}

/** A label above a value, for detail cards. */
export function Field({ label, children, mono, wide }: { label: string; children: ReactNode; mono?: boolean; wide?: boolean }) {
  const empty = children === null || children === undefined || children === '';
  return (
    <Box sx={{ minWidth: 0, gridColumn: wide ? '1 / -1' : undefined }}>
      <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mb: 0.25 }}>
        {label}
      </Typography>
      {empty ? (
        <Typography variant="body2" sx={{ color: 'text.disabled' }}>
          —
        </Typography>
      ) : mono ? (
        <Mono sx={{ display: 'block', wordBreak: 'break-all' }}>{children}</Mono>
      ) : (
        <Typography variant="body2" component="div" sx={{ wordBreak: 'break-word' }}>
          {children}
        </Typography>
      )}
    </Box>
  );
}

/** When something was last changed and by whom: a short EAT time over the name, the full time on hover. */
export function UpdatedCell({ at, by }: { at: string; by: string | null }) {
  return (
    <Tooltip title={formatEat(at)}>
      <Box sx={{ lineHeight: 1.3, minWidth: 0 }}>
        <Typography variant="body2" noWrap>
          {formatEatShort(at)}
        </Typography>
        <Typography variant="caption" sx={{ color: 'text.secondary' }} noWrap component="div">
          {by ?? '—'}
        </Typography>
      </Box>
    </Tooltip>
  );
}
