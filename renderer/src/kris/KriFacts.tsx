// The facts of a KRI beside its trend: last value, thresholds in its direction, how and how often
// it is measured, when it turns stale, owner and data source.
import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { Kri } from '../../../shared/src/kris.ts';
import { FONT_MONO } from '../app/theme.ts';
import { formatEat } from '../lib/format.ts';
import { SectionCard } from '../ui/layout.tsx';
import { formatKriValue } from './kriInput.ts';
import { breachText, DIRECTION_LABELS, FREQUENCY_LABELS } from './kriThresholds.ts';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        {label}
      </Typography>
      <Typography variant="body2" component="div" data-testid={testId} sx={{ minWidth: 0, overflowWrap: 'anywhere' }}>
        {children}
      </Typography>
    </>
  );
}

export function KriFacts({ kri }: { kri: Kri }) {
  return (
    <SectionCard title="About this KRI" testId="kri-facts">
      <Box sx={{ display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 2, rowGap: 0.75 }}>
        <Fact label="Last value" testId="kri-last-value">
          <Box component="span" sx={{ fontFamily: FONT_MONO, fontWeight: 650, fontSize: 18 }}>
            {formatKriValue(kri.lastValue, kri.unit)}
          </Box>
          {kri.lastMeasuredAt && (
            <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
              {formatEat(kri.lastMeasuredAt)}
            </Typography>
          )}
        </Fact>
        <Fact label="Direction">{DIRECTION_LABELS[kri.direction]}</Fact>
        <Fact label="Warning" testId="kri-threshold-warning">
          {breachText(kri.direction, formatKriValue(kri.thresholdWarning, kri.unit))}
        </Fact>
        <Fact label="Critical" testId="kri-threshold-critical">
          {breachText(kri.direction, formatKriValue(kri.thresholdCritical, kri.unit))}
        </Fact>
        <Fact label="Frequency">
          {FREQUENCY_LABELS[kri.frequency]} · {kri.graceHours} h grace
        </Fact>
        <Fact label={kri.stale ? 'Stale since' : 'Stale after'}>{formatEat(kri.staleAfter)}</Fact>
        <Fact label="Measured">
          {kri.measurement === 'AUTOMATIC' ? (
            <>
              Automatically ·{' '}
              <Box component="span" sx={{ fontFamily: FONT_MONO, fontSize: 12 }}>
                {kri.metric}
              </Box>
              {kri.effectiveSchedule && (
                <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
                  cron {kri.effectiveSchedule} (EAT){kri.schedule ? '' : ', the group default'}
                </Typography>
              )}
            </>
          ) : (
            'By hand'
          )}
        </Fact>
        <Fact label="Owner">{kri.ownerName ?? '—'}</Fact>
        <Fact label="Data source">{kri.dataSource || '—'}</Fact>
        <Fact label="Tenant">{kri.tenantId}</Fact>
      </Box>
    </SectionCard>
  );
}
