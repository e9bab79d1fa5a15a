// The KRIs linked to a risk, each with its status by threshold, staleness and its trend with the
// threshold bands (the KRI screens' own chart, renderer/src/kris/KriTrendChart.tsx).
import { useCallback } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { Kri } from '../../../shared/src/kris.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { KriTrendChart } from '../kris/KriTrendChart.tsx';
import { formatKriValue } from '../kris/kriInput.ts';
import { formatEatMinutes } from '../lib/format.ts';
import { ErrorState, SectionCard } from '../ui/layout.tsx';
import { Mono } from '../ui/values.tsx';
import { humanise, ToneChip } from './riskChips.tsx';
import { fetchKriMeasurements, fetchRiskKris } from './risksApi.ts';

const KRI_TONE = { OK: 'success', WARNING: 'warning', CRITICAL: 'danger', NO_DATA: 'neutral' } as const;

function KriRow({ kri }: { kri: Kri }) {
  const fetcher = useCallback((signal: AbortSignal) => fetchKriMeasurements(kri.id, signal), [kri.id]);
  const measurements = useApiQuery(`kri-trend:${kri.id}:${kri.version}:${kri.lastMeasuredAt ?? ''}`, fetcher);
  return (
    <Box data-testid={`risk-kri-${kri.reference}`} data-status={kri.status}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        <Mono sx={{ fontWeight: 650 }}>{kri.reference}</Mono>
        <Typography variant="body2" sx={{ fontWeight: 600, flex: 1, minWidth: 120 }} noWrap title={kri.name}>
          {kri.name}
        </Typography>
        <ToneChip label={humanise(kri.status)} tone={KRI_TONE[kri.status]} />
        {kri.stale && (
          <ToneChip label="Stale" tone="warning" title={`Not measured since ${kri.lastMeasuredAt ? formatEatMinutes(kri.lastMeasuredAt) : 'ever'}`} />
        )}
      </Box>
      <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mb: 0.5 }}>
        Last {formatKriValue(kri.lastValue, kri.unit)}
        {kri.lastMeasuredAt ? ` · ${formatEatMinutes(kri.lastMeasuredAt)}` : ''} · warning {formatKriValue(kri.thresholdWarning, kri.unit)} · critical{' '}
        {formatKriValue(kri.thresholdCritical, kri.unit)}
      </Typography>
      {measurements.error ? (
        <ErrorState error={measurements.error} onRetry={() => measurements.refetch()} title="Could not load the trend" />
      ) : (
        <KriTrendChart kri={kri} measurements={measurements.data?.measurements ?? []} height={150} compact testId={`risk-kri-trend-${kri.reference}`} />
      )}
    </Box>
  );
}

export function RiskKrisCard({ riskId, revision }: { riskId: string; revision: number | string }) {
  const fetcher = useCallback((signal: AbortSignal) => fetchRiskKris(riskId, signal), [riskId]);
  const kris = useApiQuery(`risk-kris:${riskId}:${revision}`, fetcher);
  const list = kris.data?.kris ?? [];
  return (
    <SectionCard title="Key risk indicators" subtitle="Status by threshold, with trends" testId="risk-kris">
      {kris.error && <ErrorState error={kris.error} onRetry={() => kris.refetch()} title="Could not load the KRIs" />}
      {kris.data && list.length === 0 && (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          No KRI watches this risk.
        </Typography>
      )}
      <Box sx={{ display: 'grid', gap: 2 }}>
        {list.map((kri) => (
          <KriRow key={kri.id} kri={kri} />
        ))}
      </Box>
    </SectionCard>
  );
}
