// One KRI (issue 13): its trend over the threshold bands, the facts (direction, thresholds,
// frequency and staleness, how it is measured), the measurement history with backfills and
// automatic inputs, the linked risks and the risk events it opened. Risk officers record
// measurements and edit it here.
import { useCallback, useMemo, useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Snackbar from '@mui/material/Snackbar';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import AddchartOutlined from '@mui/icons-material/AddchartOutlined';
import ArrowBack from '@mui/icons-material/ArrowBack';
import EditOutlined from '@mui/icons-material/EditOutlined';
import type { KriMeasurementRecorded } from '../../../shared/src/kris.ts';
import { useCan } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { FONT_MONO } from '../app/theme.ts';
import { formatEat } from '../lib/format.ts';
import { CardSkeleton, ErrorState, Page, PageHeader, RefreshButton, SectionCard } from '../ui/layout.tsx';
import { KriEventList } from './KriEventList.tsx';
import { KriFacts } from './KriFacts.tsx';
import { KriStatusChip, StaleChip } from './kriChips.tsx';
import { KriDialog } from './KriDialog.tsx';
import { fetchKri, fetchKriMeasurements, fetchRiskEvents } from './krisApi.ts';
import { KriTrendChart } from './KriTrendChart.tsx';
import { MeasurementDialog } from './MeasurementDialog.tsx';
import { MeasurementHistory } from './MeasurementHistory.tsx';

type Range = '30' | '90' | '365' | 'all';

export function KriDetailPage() {
  const { id = '' } = useParams();
  const canManage = useCan('risk:manage');
  const [range, setRange] = useState<Range>('90');
  const [recording, setRecording] = useState(false);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const kriQuery = useApiQuery(
    `kri:${id}`,
    useCallback((signal: AbortSignal) => fetchKri(id, signal), [id]),
  );
  const measurementsQuery = useApiQuery(
    `kri-measurements:${id}`,
    useCallback((signal: AbortSignal) => fetchKriMeasurements(id, { limit: 2000 }, signal), [id]),
  );
  const eventsQuery = useApiQuery(
    `kri-events:${id}`,
    useCallback((signal: AbortSignal) => fetchRiskEvents({ kriId: id, limit: 50 }, signal), [id]),
  );
  const refreshAll = useCallback(() => {
    kriQuery.refetch({ silent: true });
    measurementsQuery.refetch({ silent: true });
    eventsQuery.refetch({ silent: true });
  }, [kriQuery.refetch, measurementsQuery.refetch, eventsQuery.refetch]);
  // An automatic measurement or an integration may land while the page is open.
  useLiveRefresh(['kri.changed', 'risk-event.changed', 'notification.created', 'sync.applied'], refreshAll, { debounceMs: 800, minIntervalMs: 5000 });

  const kri = kriQuery.data;
  const measurements = measurementsQuery.data?.measurements ?? [];
  const charted = useMemo(() => {
    if (range === 'all' || measurements.length === 0) return measurements;
    // The window ends at the newest measurement, so a quiet KRI still shows its last stretch.
    const newest = Math.max(...measurements.map((m) => Date.parse(m.measuredAt)));
    const from = newest - Number(range) * 86_400_000;
    return measurements.filter((m) => Date.parse(m.measuredAt) >= from);
  }, [measurements, range]);

  const recorded = (result: KriMeasurementRecorded) => {
    setRecording(false);
    setNotice(
      result.measurement.backfill
        ? 'Backfilled measurement recorded; the status is unchanged'
        : result.eventId
          ? `Recorded — ${result.kri.status.toLowerCase()}: the breach event was opened or updated and the owners notified`
          : `Recorded — status ${result.kri.status.toLowerCase()}`,
    );
    refreshAll();
  };

  if (kriQuery.error && !kri) {
    return (
      <Page>
        <ErrorState error={kriQuery.error} onRetry={() => kriQuery.refetch()} title="Could not load the KRI" />
      </Page>
    );
  }
  if (!kri) {
    return (
      <Page>
        <CardSkeleton height={260} />
      </Page>
    );
  }

  return (
    <Page>
      <Button component={RouterLink} to="/kris" size="small" startIcon={<ArrowBack fontSize="small" />} sx={{ mb: 1 }}>
        KRIs
      </Button>
      <PageHeader
        title={
          <Box component="span" sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
            <Box component="span" sx={{ fontFamily: FONT_MONO, color: 'text.secondary', fontSize: '0.8em' }}>
              {kri.reference}
            </Box>
            <span data-testid="kri-title">{kri.name}</span>
            <KriStatusChip status={kri.status} testId="kri-status" />
            {kri.stale && <StaleChip testId="kri-stale" title={`Expected by ${formatEat(kri.staleAfter)}`} />}
          </Box>
        }
        subtitle={kri.description || undefined}
        actions={
          <>
            <RefreshButton onClick={refreshAll} label="Refresh the KRI" />
            {canManage && (
              <Button variant="outlined" startIcon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="kri-edit">
                Edit
              </Button>
            )}
            {canManage && (
              <Button variant="contained" startIcon={<AddchartOutlined />} onClick={() => setRecording(true)} data-testid="kri-record">
                Record measurement
              </Button>
            )}
          </>
        }
      />
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '2fr 1fr' }, gap: 2, mb: 2 }}>
        <SectionCard
          title="Trend"
          subtitle="Bands: green OK, amber warning, red critical · hollow points were backfilled"
          testId="kri-trend"
          action={
            <ToggleButtonGroup size="small" exclusive value={range} onChange={(_, v: Range | null) => v && setRange(v)} aria-label="Period">
              <ToggleButton value="30">30 d</ToggleButton>
              <ToggleButton value="90">90 d</ToggleButton>
              <ToggleButton value="365">1 y</ToggleButton>
              <ToggleButton value="all">All</ToggleButton>
            </ToggleButtonGroup>
          }
        >
          <KriTrendChart kri={kri} measurements={charted} height={280} />
        </SectionCard>
        <KriFacts kri={kri} />
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '2fr 1fr' }, gap: 2 }}>
        <SectionCard title="Measurements" subtitle="Newest first · who recorded each, and why for a backfill" testId="kri-measurements" padded={false}>
          {measurementsQuery.error ? (
            <Box sx={{ p: 2 }}>
              <ErrorState error={measurementsQuery.error} onRetry={() => measurementsQuery.refetch()} title="Could not load the measurements" />
            </Box>
          ) : (
            <MeasurementHistory kri={kri} measurements={measurements} loading={measurementsQuery.loading} />
          )}
        </SectionCard>
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, minWidth: 0 }}>
          <SectionCard title="Linked risks" subtitle="Their owners are notified of a breach" testId="kri-risks">
            {kri.risks.length === 0 ? (
              <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                Not linked to a risk.
              </Typography>
            ) : (
              <Box component="ul" sx={{ m: 0, pl: 0, listStyle: 'none', display: 'flex', flexDirection: 'column', gap: 0.75 }}>
                {kri.risks.map((risk) => (
                  <li key={risk.id}>
                    <Link component={RouterLink} to={`/risks/${risk.id}`} underline="hover" variant="body2">
                      <Box component="span" sx={{ fontFamily: FONT_MONO, mr: 1 }}>
                        {risk.reference}
                      </Box>
                      {risk.title}
                    </Link>
                  </li>
                ))}
              </Box>
            )}
          </SectionCard>
          <KriEventList events={eventsQuery.data?.events ?? []} total={eventsQuery.data?.total ?? 0} error={eventsQuery.error} kriId={kri.id} />
        </Box>
      </Box>
      {recording && <MeasurementDialog kri={kri} onClose={() => setRecording(false)} onSaved={recorded} />}
      {editing && (
        <KriDialog
          kri={kri}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            setNotice('KRI saved');
            refreshAll();
          }}
        />
      )}
      <Snackbar open={!!notice} autoHideDuration={6000} onClose={() => setNotice(null)} message={notice} />
    </Page>
  );
}
