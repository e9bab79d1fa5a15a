// One KRI on the dashboard: its status by threshold (stale ones flagged), the last value with a
// sparkline of recent measurements, the thresholds in its direction and when it was last measured.
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import AutoModeOutlined from '@mui/icons-material/AutoModeOutlined';
import type { Kri, KriMeasurement } from '../../../shared/src/kris.ts';
import { FONT_MONO } from '../app/theme.ts';
import { formatAge } from '../lib/format.ts';
import { useNow } from '../lib/useNow.ts';
import { KriStatusChip, StaleChip } from './kriChips.tsx';
import { formatKriValue } from './kriInput.ts';
import { KriSparkline } from './KriSparkline.tsx';
import { breachText, FREQUENCY_LABELS } from './kriThresholds.ts';
import { bandColour } from './kriTrendOption.ts';

export function KriCard({ kri, trend }: { kri: Kri; trend: readonly KriMeasurement[] | undefined }) {
  const theme = useTheme();
  const now = useNow();
  const accent = bandColour(kri.status, theme);
  return (
    <Card
      data-testid={`kri-card-${kri.reference}`}
      data-status={kri.status}
      data-stale={String(kri.stale)}
      sx={{ minWidth: 0, borderTop: 3, borderTopColor: accent }}
    >
      <CardActionArea
        component={RouterLink}
        to={`/kris/${kri.id}`}
        sx={{ p: 1.75, height: '100%', display: 'flex', flexDirection: 'column', alignItems: 'stretch', gap: 0.75 }}
      >
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, minWidth: 0 }}>
          <Typography variant="caption" sx={{ fontFamily: FONT_MONO, color: 'text.secondary', fontWeight: 600 }}>
            {kri.reference}
          </Typography>
          {kri.measurement === 'AUTOMATIC' && (
            <AutoModeOutlined titleAccess={`Measured automatically (${kri.metric ?? ''})`} sx={{ fontSize: 15, color: 'text.disabled' }} />
          )}
          <Box sx={{ flex: 1 }} />
          {kri.stale && <StaleChip testId={`kri-stale-${kri.reference}`} />}
          <KriStatusChip status={kri.status} />
        </Box>
        <Typography
          variant="subtitle2"
          title={kri.name}
          sx={{ lineHeight: 1.3, minHeight: '2.6em', display: '-webkit-box', WebkitLineClamp: 2, WebkitBoxOrient: 'vertical', overflow: 'hidden' }}
        >
          {kri.name}
        </Typography>
        <Box sx={{ display: 'flex', alignItems: 'flex-end', gap: 1, minWidth: 0 }}>
          <Typography
            data-testid={`kri-value-${kri.reference}`}
            sx={{
              fontFamily: FONT_MONO,
              fontSize: 22,
              fontWeight: 650,
              letterSpacing: '-0.03em',
              lineHeight: 1.1,
              color: kri.status === 'CRITICAL' ? accent : 'text.primary',
              flex: 1,
              minWidth: 0,
            }}
            noWrap
          >
            {formatKriValue(kri.lastValue, kri.unit)}
          </Typography>
          <KriSparkline kri={kri} points={trend ?? []} />
        </Box>
        <Typography variant="caption" sx={{ color: 'text.secondary' }} noWrap>
          Warning {breachText(kri.direction, formatKriValue(kri.thresholdWarning, kri.unit))} · Critical{' '}
          {breachText(kri.direction, formatKriValue(kri.thresholdCritical, kri.unit))}
        </Typography>
        <Typography variant="caption" sx={{ color: kri.stale ? 'text.primary' : 'text.disabled' }} noWrap>
          {kri.lastMeasuredAt ? `Measured ${formatAge(kri.lastMeasuredAt, now)}` : 'Never measured'} · {FREQUENCY_LABELS[kri.frequency]}
          {kri.ownerName ? ` · ${kri.ownerName}` : ''}
        </Typography>
      </CardActionArea>
    </Card>
  );
}
