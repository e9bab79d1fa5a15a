// Events linked to a risk (incidents, losses, near misses, KRI breaches) with their financial impact.
import { useCallback } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { RiskEvent } from '../../../shared/src/risk-events.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { formatEatMinutes, formatMoney } from '../lib/format.ts';
import { ErrorState, SectionCard } from '../ui/layout.tsx';
import { Mono } from '../ui/values.tsx';
import { humanise, ToneChip } from './riskChips.tsx';
import { fetchRiskEvents } from './risksApi.ts';

const SEVERITY_TONE: Record<RiskEvent['severity'], 'neutral' | 'info' | 'warning' | 'danger'> = {
  LOW: 'neutral',
  MEDIUM: 'info',
  WARNING: 'warning',
  HIGH: 'danger',
  CRITICAL: 'danger',
};

const TYPE_LABELS: Record<RiskEvent['type'], string> = {
  INCIDENT: 'Incident',
  LOSS: 'Loss',
  NEAR_MISS: 'Near miss',
  KRI_BREACH: 'KRI breach',
  COMPLIANCE: 'Compliance',
  CREDIT: 'Credit',
};
const SOURCE_LABELS: Record<RiskEvent['source'], string> = {
  MANUAL: 'recorded by hand',
  KRI: 'from a KRI',
  INTEGRATION: 'from the bank’s systems',
  EVENT_QUEUE: 'from the event queue',
};

export function RiskEventsCard({ riskId, revision }: { riskId: string; revision: number | string }) {
  const fetcher = useCallback((signal: AbortSignal) => fetchRiskEvents(riskId, signal), [riskId]);
  const events = useApiQuery(`risk-events:${riskId}:${revision}`, fetcher);
  const list = events.data?.events ?? [];
  const losses = list.reduce<Record<string, number>>((sum, e) => {
    if (e.financialImpact && e.currency) sum[e.currency] = (sum[e.currency] ?? 0) + e.financialImpact;
    return sum;
  }, {});
  return (
    <SectionCard
      title="Events"
      subtitle={
        Object.keys(losses).length
          ? `Financial impact ${Object.entries(losses)
              .map(([c, v]) => formatMoney(v, c))
              .join(' + ')}`
          : 'Incidents, losses, near misses and KRI breaches'
      }
      testId="risk-events"
    >
      {events.error && <ErrorState error={events.error} onRetry={() => events.refetch()} title="Could not load the events" />}
      {events.data && list.length === 0 && (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          No event recorded against this risk.
        </Typography>
      )}
      <Box sx={{ display: 'grid', gap: 1 }}>
        {list.map((e) => (
          <Box key={e.id} sx={{ display: 'grid', gap: 0.25 }} data-testid={`risk-event-${e.reference}`} data-status={e.status}>
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
              <Mono sx={{ fontWeight: 650 }}>{e.reference}</Mono>
              <ToneChip label={humanise(e.severity)} tone={SEVERITY_TONE[e.severity]} />
              <Typography variant="body2" sx={{ fontWeight: 600, flex: 1, minWidth: 120 }} noWrap title={e.title}>
                {e.title}
              </Typography>
              {e.status === 'CLOSED' && <ToneChip label="Closed" tone="neutral" />}
            </Box>
            <Typography variant="caption" sx={{ color: 'text.secondary' }}>
              {TYPE_LABELS[e.type] ?? humanise(e.type)} {SOURCE_LABELS[e.source] ?? humanise(e.source)} · {formatEatMinutes(e.occurredAt)}
              {e.financialImpact != null && e.currency ? ` · ${formatMoney(e.financialImpact, e.currency)}` : ''}
            </Typography>
          </Box>
        ))}
      </Box>
    </SectionCard>
  );
}
