// The decision engine's health: database, the assessment writer's queue, pending assessments,
// throughput and latency, and each bank engine's circuit breaker.
import { useCallback, useEffect } from 'react';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Skeleton from '@mui/material/Skeleton';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import type { FraudRiskHealth } from '../../../../shared/src/decision-engine.ts';
import { useApiQuery } from '../../api/useApiQuery.ts';
import { formatAge, formatCount, formatEat } from '../../lib/format.ts';
import { softChipSx } from '../../ui/chips.tsx';
import { ErrorState, SectionCard } from '../../ui/layout.tsx';
import { Field } from '../../ui/values.tsx';
import { fetchHealth, fetchMetrics } from '../decisionEngineApi.ts';
import { BreakerChip } from '../engineChips.tsx';

function StatusChip({ status }: { status: FraudRiskHealth['status'] | 'UP' | 'DOWN' }) {
  const theme = useTheme();
  const colour = status === 'UP' ? theme.palette.status.success : status === 'DEGRADED' ? theme.palette.status.warning : theme.palette.status.danger;
  return <Chip label={status === 'UP' ? 'Up' : status === 'DEGRADED' ? 'Degraded' : 'Down'} data-health={status} sx={softChipSx(colour, theme)} />;
}

export function HealthCard() {
  const healthFetcher = useCallback((signal: AbortSignal) => fetchHealth(signal), []);
  const metricsFetcher = useCallback((signal: AbortSignal) => fetchMetrics(signal), []);
  const health = useApiQuery('de-health-card', healthFetcher);
  const metrics = useApiQuery('de-metrics-card', metricsFetcher);
  const { refetch: refetchHealth } = health;
  const { refetch: refetchMetrics } = metrics;
  useEffect(() => {
    const timer = window.setInterval(() => {
      refetchHealth({ silent: true });
      refetchMetrics({ silent: true });
    }, 15_000);
    return () => window.clearInterval(timer);
  }, [refetchHealth, refetchMetrics]);

  const h = health.data;
  const m = metrics.data;
  return (
    <SectionCard
      title="Engine health"
      subtitle={h ? `Checked ${formatEat(h.checkedAt)}` : 'Database, writer queue and bank engines'}
      testId="engine-health-card"
      action={h && <StatusChip status={h.status} />}
    >
      {health.error && <ErrorState error={health.error} onRetry={() => health.refetch()} title="Could not load health" />}
      {!h && !health.error && <Skeleton height={140} variant="rounded" />}
      {h && (
        <>
          <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: 1.5 }}>
            <Field label="Database">
              <StatusChip status={h.database} />
            </Field>
            <Field label="Writer queue" mono>
              {`${formatCount(h.writer.queued)} queued`}
            </Field>
            <Field label="Last flush" mono>
              {`${formatCount(h.writer.lastBatchSize)} in ${h.writer.lastFlushMs.toFixed(1)} ms`}
            </Field>
            <Field label="Pending assessments" mono>
              {formatCount(h.pendingAssessments)}
            </Field>
            {m && (
              <>
                <Field label="Throughput" mono>
                  {`${m.perSecondLastMinute.toFixed(1)}/s`}
                </Field>
                <Field label="Latency p50 / p95 / p99" mono>
                  {`${m.latencyMs.p50.toFixed(2)} / ${m.latencyMs.p95.toFixed(2)} / ${m.latencyMs.p99.toFixed(2)} ms`}
                </Field>
                <Field label="Engine failures" mono>
                  {`${formatCount(m.engineFailures)} of ${formatCount(m.engineCalls)}`}
                </Field>
                <Field label="Rule errors" mono>
                  {formatCount(m.ruleErrors)}
                </Field>
                <Field label="Short-circuited" mono>
                  {formatCount(m.shortCircuited)}
                </Field>
              </>
            )}
          </Box>
          <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mt: 1.5, mb: 0.5 }}>
            Bank engines
          </Typography>
          {h.bankEngines.length === 0 ? (
            <Typography variant="body2" sx={{ color: 'text.secondary' }}>
              No configuration calls a bank engine.
            </Typography>
          ) : (
            h.bankEngines.map((engine) => (
              <Box
                key={engine.configurationId}
                data-testid="engine-breaker"
                data-breaker={engine.breakerState}
                sx={{ display: 'flex', alignItems: 'center', gap: 1, py: 0.5, borderTop: 1, borderColor: 'divider' }}
              >
                <Box sx={{ flex: 1, minWidth: 0 }}>
                  <Typography variant="body2" noWrap sx={{ fontWeight: 600 }}>
                    {engine.name}
                  </Typography>
                  <Tooltip title={engine.lastError ?? ''}>
                    <Typography variant="caption" component="div" noWrap sx={{ color: engine.lastError ? 'error.main' : 'text.secondary' }}>
                      {engine.configurationName}
                      {engine.lastSuccessAt ? ` · last OK ${formatAge(engine.lastSuccessAt)}` : ''}
                      {engine.lastError ? ` · ${engine.lastError}` : ''}
                    </Typography>
                  </Tooltip>
                </Box>
                <BreakerChip state={engine.breakerState} />
              </Box>
            ))
          )}
        </>
      )}
    </SectionCard>
  );
}
