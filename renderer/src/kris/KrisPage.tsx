// The KRI dashboard (issue 13 "Screens"): every KRI of the caller's tenants as a card, grouped by
// status by threshold — critical first — with stale ones flagged, each with a sparkline of its
// recent measurements. Risk officers create KRIs here.
import { useCallback, useMemo, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Snackbar from '@mui/material/Snackbar';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import FileDownloadOutlined from '@mui/icons-material/FileDownloadOutlined';
import FileUploadOutlined from '@mui/icons-material/FileUploadOutlined';
import MonitorHeartOutlined from '@mui/icons-material/MonitorHeartOutlined';
import type { Kri, KriMeasurementMode, KriStatus } from '../../../shared/src/kris.ts';
import { toApiError } from '../api/client.ts';
import { useCan } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { formatCount } from '../lib/format.ts';
import { FilterSelect } from '../ui/FilterSelect.tsx';
import { SearchField } from '../ui/SearchField.tsx';
import { CardSkeleton, EmptyState, ErrorState, Page, PageHeader, RefreshButton } from '../ui/layout.tsx';
import { exportRegister } from '../risk-imports/riskImportsApi.ts';
import { RiskImportDialog } from '../risk-imports/RiskImportDialog.tsx';
import { KriCard } from './KriCard.tsx';
import { KRI_STATUS_LABELS } from './kriChips.tsx';
import { KriDialog } from './KriDialog.tsx';
import { fetchKris } from './krisApi.ts';
import { useKriTrends } from './useKriTrends.ts';

type StatusFilter = KriStatus | 'STALE' | 'ALL';
const SECTION_ORDER: KriStatus[] = ['CRITICAL', 'WARNING', 'NO_DATA', 'OK'];

function Section({ status, kris, trends }: { status: KriStatus; kris: Kri[]; trends: ReturnType<typeof useKriTrends> }) {
  if (kris.length === 0) return null;
  return (
    <Box component="section" sx={{ mb: 2.5 }} data-testid={`kri-section-${status}`}>
      <Typography variant="overline" sx={{ color: 'text.secondary', display: 'block', mb: 0.75 }}>
        {KRI_STATUS_LABELS[status]} · {formatCount(kris.length)}
      </Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(272px, 1fr))', gap: 1.5 }}>
        {kris.map((kri) => (
          <KriCard key={kri.id} kri={kri} trend={trends.get(kri.id)} />
        ))}
      </Box>
    </Box>
  );
}

export function KrisPage() {
  const canManage = useCan('risk:manage');
  const canImport = useCan('risk:configure');
  const [importing, setImporting] = useState(false);
  const [search, setSearch] = useState('');
  // SearchField reports once typing pauses; the service takes at most 100 characters.
  const q = search.trim().slice(0, 100);
  const [status, setStatus] = useState<StatusFilter>('ALL');
  const [measurement, setMeasurement] = useState<KriMeasurementMode | ''>('');
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const fetcher = useCallback((signal: AbortSignal) => fetchKris({ ...(q ? { q } : {}), ...(measurement ? { measurement } : {}) }, signal), [q, measurement]);
  const list = useApiQuery(`kris:${q}:${measurement}`, fetcher);
  // Measurements arrive from schedules and integrations: refresh calmly while the page is open.
  useLiveRefresh(['kri.changed', 'risk-event.changed', 'notification.created', 'sync.applied'], () => list.refetch({ silent: true }), {
    debounceMs: 800,
    minIntervalMs: 5000,
  });

  const all = list.data?.kris ?? [];
  const counts = list.data?.counts;
  const shown = useMemo(() => all.filter((k) => (status === 'ALL' ? true : status === 'STALE' ? k.stale : k.status === status)), [all, status]);
  const trends = useKriTrends(shown);

  return (
    <Page>
      <PageHeader
        title="Key risk indicators"
        subtitle="Status by threshold in each KRI's direction. Stale: not measured within its frequency plus the grace period."
        actions={
          <>
            <RefreshButton onClick={() => list.refetch({ silent: true })} disabled={list.fetching} label="Refresh KRIs" />
            <Button
              startIcon={<FileDownloadOutlined />}
              onClick={() =>
                exportRegister('kris', 'xlsx').then(
                  (name) => setNotice(`Saved ${name}`),
                  (caught: unknown) => setNotice(`Export failed — ${toApiError(caught).message}`),
                )
              }
              data-testid="kri-export"
            >
              Export
            </Button>
            {canImport && (
              <Button startIcon={<FileUploadOutlined />} onClick={() => setImporting(true)} data-testid="kri-import">
                Import
              </Button>
            )}
            {canManage && (
              <Button variant="contained" startIcon={<AddIcon />} onClick={() => setCreating(true)} data-testid="kri-new">
                New KRI
              </Button>
            )}
          </>
        }
      />
      <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'center', flexWrap: 'wrap', mb: 2 }}>
        <SearchField value={search} onChange={setSearch} placeholder="Search name or reference" testId="kri-search" />
        <ToggleButtonGroup size="small" exclusive value={status} onChange={(_, v: StatusFilter | null) => v && setStatus(v)} aria-label="Filter by status">
          <ToggleButton value="ALL">All {counts ? formatCount(all.length) : ''}</ToggleButton>
          {SECTION_ORDER.map((s) => (
            <ToggleButton key={s} value={s} data-testid={`kri-filter-${s}`}>
              {KRI_STATUS_LABELS[s]} {counts ? formatCount(counts[s]) : ''}
            </ToggleButton>
          ))}
          <ToggleButton value="STALE" data-testid="kri-filter-STALE">
            Stale {counts ? formatCount(counts.stale) : ''}
          </ToggleButton>
        </ToggleButtonGroup>
        <FilterSelect
          label="Measured"
          value={measurement}
          anyLabel="By hand or automatically"
          minWidth={200}
          options={[
            { value: 'MANUAL', label: 'By hand' },
            { value: 'AUTOMATIC', label: 'Automatically' },
          ]}
          onChange={setMeasurement}
          testId="kri-filter-measurement"
        />
      </Box>
      {list.error && <ErrorState error={list.error} onRetry={() => list.refetch()} title="Could not load the KRIs" />}
      {list.loading && !list.data && (
        <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(272px, 1fr))', gap: 1.5 }}>
          {Array.from({ length: 8 }, (_, i) => (
            <CardSkeleton key={i} lines={4} />
          ))}
        </Box>
      )}
      {list.data && shown.length === 0 && (
        <EmptyState
          icon={<MonitorHeartOutlined />}
          title={all.length === 0 ? 'No KRIs yet' : 'No KRI matches'}
          body={
            all.length === 0
              ? 'A KRI is a number watched against a warning and a critical threshold, measured by hand or automatically from data the service holds.'
              : 'Clear the search or choose another status.'
          }
          action={
            canManage && all.length === 0 ? (
              <Button variant="outlined" startIcon={<AddIcon />} onClick={() => setCreating(true)}>
                New KRI
              </Button>
            ) : undefined
          }
        />
      )}
      {SECTION_ORDER.map((s) => (
        <Section key={s} status={s} kris={shown.filter((k) => k.status === s)} trends={trends} />
      ))}
      {creating && (
        <KriDialog
          onClose={() => setCreating(false)}
          onSaved={(kri) => {
            setCreating(false);
            setNotice(`${kri.reference} ${kri.name} created`);
            list.refetch({ silent: true });
          }}
        />
      )}
      {importing && <RiskImportDialog kind="kris" onClose={() => setImporting(false)} onImported={() => list.refetch({ silent: true })} />}
      <Snackbar open={!!notice} autoHideDuration={5000} onClose={() => setNotice(null)} message={notice} />
    </Page>
  );
}
