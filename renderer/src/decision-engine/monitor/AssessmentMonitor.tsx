// The live assessment monitor: every scored payment, server-paged and filtered, new rows
// streaming in over socket.io ('assessment.created'), changed rows ('assessment.updated')
// refreshed and highlighted, a detail drawer per row and a CSV export of the current filters.
// Used by the decision engine's Assessments tab and by the Assessments screen.
import { useCallback, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Snackbar from '@mui/material/Snackbar';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { keyframes } from '@mui/material/styles';
import ArrowUpward from '@mui/icons-material/ArrowUpward';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import FileDownloadOutlined from '@mui/icons-material/FileDownloadOutlined';
import { GridRow, type GridRowProps, type GridSortModel } from '@mui/x-data-grid';
import { AssessmentStatus, Decision, RiskLevel, type Assessment, type AssessmentListQuery } from '../../../../shared/src/assessments.ts';
import { Channel } from '../../../../shared/src/payments.ts';
import { toApiError } from '../../api/client.ts';
import { useCan } from '../../api/session.ts';
import { useConnection, useLiveEvent } from '../../api/socket.ts';
import { useApiQuery } from '../../api/useApiQuery.ts';
import { useLiveRefresh } from '../../api/useLiveRefresh.ts';
import { formatCount, humanise } from '../../lib/format.ts';
import { useRowFlash } from '../../lib/useRowFlash.ts';
import { DECISION_LABELS } from '../../ui/chips.tsx';
import { FilterSelect, type FilterOption } from '../../ui/FilterSelect.tsx';
import { SearchField } from '../../ui/SearchField.tsx';
import { EatDateTimeField, INCOMPLETE } from '../../ui/EatDateTimeField.tsx';
import { ServerGrid } from '../../ui/ServerGrid.tsx';
import { downloadAssessmentsCsv, fetchAssessments, fetchConfigurations } from '../decisionEngineApi.ts';
import { STATUS_LABELS } from '../engineChips.tsx';
import { AssessmentDrawer } from './AssessmentDrawer.tsx';
import { assessmentColumns, engineColumns, monitorDetailsColumn, SORTABLE_ASSESSMENT_FIELDS } from './assessmentColumns.tsx';

type SortField = AssessmentListQuery['sort'];
interface Filters {
  status: AssessmentStatus | '';
  riskLevel: RiskLevel | '';
  decision: Decision | '';
  channel: Channel | '';
  configurationId: string;
  /** ISO with +03:00 from the EAT date-time field, INCOMPLETE while half typed, '' for none. */
  from: string;
  to: string;
  search: string;
}
type SelectFilter = 'status' | 'riskLevel' | 'decision' | 'channel' | 'configurationId';
const NO_FILTERS: Filters = { status: '', riskLevel: '', decision: '', channel: '', configurationId: '', from: '', to: '', search: '' };

function eatToIso(value: string): string | undefined {
  return value && value !== INCOMPLETE ? value : undefined;
}

/** Each row carries its assessment id (and case, if any), so tests and support staff can find it in the DOM. */
function AssessmentGridRow(props: GridRowProps) {
  const row = props.row as Assessment;
  return (
    <GridRow {...props} data-testid="assessment-row" data-assessment-id={row.assessmentId} data-status={row.status} data-case-id={row.caseId ?? undefined} />
  );
}

const pulse = keyframes`
  0% { opacity: 1; }
  50% { opacity: 0.35; }
  100% { opacity: 1; }
`;

function LiveBadge({ live }: { live: boolean }) {
  return (
    <Tooltip title={live ? 'New and changed assessments appear as they happen' : 'Live updates paused (not at the newest page, or offline)'}>
      <Box
        sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.75, color: live ? 'success.main' : 'text.disabled', fontSize: 12, fontWeight: 600 }}
        data-testid="monitor-live"
        data-live={String(live)}
      >
        <Box
          component="span"
          sx={{ width: 8, height: 8, borderRadius: '50%', bgcolor: 'currentColor', animation: live ? `${pulse} 1.8s ease-in-out infinite` : 'none' }}
        />
        {live ? 'Live' : 'Paused'}
      </Box>
    </Tooltip>
  );
}

/**
 * `drill`: filters pinned from outside (the Assessments screen's drill-down chips, issue 15); they
 * override this monitor's own boxes, whose pinned ones are hidden.
 */
export function AssessmentMonitor({ drill = {} }: { drill?: Partial<AssessmentListQuery> } = {}) {
  const canReadConfigs = useCan('configuration:read');
  const canReadCases = useCan('case:read');
  const navigate = useNavigate();
  const connection = useConnection();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [pagination, setPagination] = useState({ page: 0, pageSize: 50 });
  const [sort, setSort] = useState<{ field: SortField; direction: 'asc' | 'desc' }>({ field: 'createdAt', direction: 'desc' });
  const [missed, setMissed] = useState(0);
  const [selected, setSelected] = useState<Assessment | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exportNotice, setExportNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const flash = useRowFlash();

  const pinned = (key: string) => key in drill;
  const filtered = Object.entries(filters).some(([, v]) => v !== '') || Object.keys(drill).length > 0;
  const atHead = pagination.page === 0 && sort.field === 'createdAt' && sort.direction === 'desc';
  const fromIso = eatToIso(filters.from);
  const toIso = eatToIso(filters.to);
  const rangeInvalid = !!fromIso && !!toIso && Date.parse(fromIso) > Date.parse(toIso);

  const filterQuery = {
    status: filters.status || undefined,
    riskLevel: filters.riskLevel || undefined,
    decision: filters.decision || undefined,
    channel: filters.channel || undefined,
    configurationId: filters.configurationId || undefined,
    from: rangeInvalid ? undefined : fromIso,
    to: rangeInvalid ? undefined : toIso,
    search: filters.search || undefined,
    ...drill,
    sort: sort.field,
    direction: sort.direction,
  } satisfies Partial<AssessmentListQuery>;
  const query: Partial<AssessmentListQuery> = { ...filterQuery, page: pagination.page, pageSize: pagination.pageSize };
  const key = JSON.stringify(query);
  const fetcher = useCallback((signal: AbortSignal) => fetchAssessments(JSON.parse(key) as Partial<AssessmentListQuery>, signal), [key]);
  const { data, error, loading, fetching, refetch } = useApiQuery(`assessments:${key}`, fetcher);
  const rows = data?.items ?? [];

  const configsFetcher = useCallback((signal: AbortSignal) => (canReadConfigs ? fetchConfigurations({}, signal) : Promise.resolve([])), [canReadConfigs]);
  const configs = useApiQuery(`monitor-configs:${canReadConfigs}`, configsFetcher);

  // New assessments stream in at the top when the user is looking at the top; otherwise only
  // counted, so rows do not shift under someone reading page 3.
  useLiveRefresh(['assessment.created'], () => refetch({ silent: true }), { debounceMs: 250, enabled: atHead });
  useLiveEvent('assessment.created', (event) => {
    if (atHead) flash.mark(event.id);
    else setMissed((n) => n + 1);
  });
  // A retry, cancellation or decision changes a row in place.
  useLiveEvent('assessment.updated', (event) => {
    if (rows.some((r) => r.id === event.id)) {
      flash.mark(event.id);
      refetch({ silent: true });
    }
  });

  // The assessment columns, the engine's (configuration, processing time), then the details button.
  const columns = useMemo(() => [...assessmentColumns, ...engineColumns, monitorDetailsColumn(setSelected)], []);
  // A row that has a case opens the case (seed 001: "any row opens its case"); the others open the drawer.
  const openRow = (row: Assessment) => {
    if (row.caseId && canReadCases) void navigate(`/cases/${row.caseId}`);
    else setSelected(row);
  };

  const sortModel = useMemo<GridSortModel>(() => [{ field: sort.field, sort: sort.direction }], [sort]);
  const update = (patch: Partial<Record<keyof Filters, string>>) => {
    // Select options are the enums' own values, so the strings they report fit the filter types.
    setFilters((f) => ({ ...f, ...(patch as Partial<Filters>) }));
    setPagination((p) => ({ ...p, page: 0 }));
  };

  const exportCsv = async () => {
    setExporting(true);
    try {
      const filename = await downloadAssessmentsCsv(filterQuery);
      setExportNotice({ ok: true, text: `Downloaded ${filename}` });
    } catch (caught) {
      setExportNotice({ ok: false, text: `Export failed — ${toApiError(caught).message}` });
    } finally {
      setExporting(false);
    }
  };

  const live = atHead && connection.status === 'connected';
  const selectFilters: { key: SelectFilter; label: string; anyLabel: string; options: FilterOption<string>[]; minWidth: number; testId: string }[] = [
    {
      key: 'status',
      label: 'Status',
      anyLabel: 'All statuses',
      options: AssessmentStatus.options.map((v) => ({ value: v, label: STATUS_LABELS[v] })),
      minWidth: 140,
      testId: 'status',
    },
    {
      key: 'riskLevel',
      label: 'Risk',
      anyLabel: 'All levels',
      options: [...RiskLevel.options].reverse().map((v) => ({ value: v, label: humanise(v) })),
      minWidth: 120,
      testId: 'risk',
    },
    {
      key: 'decision',
      label: 'Decision',
      anyLabel: 'All decisions',
      options: Decision.options.map((v) => ({ value: v, label: DECISION_LABELS[v] })),
      minWidth: 140,
      testId: 'decision',
    },
    {
      key: 'channel',
      label: 'Channel',
      anyLabel: 'All channels',
      options: Channel.options.map((v) => ({ value: v, label: v })),
      minWidth: 126,
      testId: 'channel',
    },
    ...(canReadConfigs
      ? [
          {
            key: 'configurationId' as const,
            label: 'Configuration',
            anyLabel: 'All configurations',
            options: (configs.data ?? []).map((c) => ({ value: c.id, label: c.configurationName })),
            minWidth: 170,
            testId: 'configuration',
          },
        ]
      : []),
  ];

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }} data-testid="assessment-monitor">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25, flexWrap: 'wrap', mb: 1.5 }}>
        <SearchField
          value={filters.search}
          onChange={(search) => update({ search })}
          placeholder="Search reference or customer"
          testId="assessment-search"
          width={260}
        />
        {selectFilters
          .filter((f) => !pinned(f.key))
          .map((f) => (
            <FilterSelect
              key={f.key}
              label={f.label}
              value={filters[f.key]}
              anyLabel={f.anyLabel}
              options={f.options}
              onChange={(value) => update({ [f.key]: value })}
              minWidth={f.minWidth}
              testId={`filter-${f.testId}`}
            />
          ))}
        {/* The app's one date-time field (locale order, 24-hour, EAT): the browser's own
            datetime-local box showed US mm/dd/yyyy with AM/PM (issue 11 §4). */}
        {(['from', 'to'] as const)
          .filter((key) => !pinned(key))
          .map((key) => (
            <EatDateTimeField
              key={key}
              label={key === 'from' ? 'From (EAT)' : 'To (EAT)'}
              value={filters[key] || null}
              onChange={(value) => update({ [key]: value ?? '' })}
              error={filters[key] === INCOMPLETE ? 'Incomplete date' : rangeInvalid && key === 'to' ? 'Before “from”' : undefined}
              testId={`filter-${key}`}
              width={220}
            />
          ))}
        {Object.entries(filters).some(([, v]) => v !== '') && (
          <Button size="small" onClick={() => update(NO_FILTERS)}>
            Clear filters
          </Button>
        )}
        <Box sx={{ flex: 1 }} />
        {missed > 0 && !atHead && (
          <Button
            size="small"
            variant="outlined"
            startIcon={<ArrowUpward fontSize="small" />}
            onClick={() => {
              setMissed(0);
              setSort({ field: 'createdAt', direction: 'desc' });
              setPagination((p) => ({ ...p, page: 0 }));
            }}
          >
            {missed} new — show latest
          </Button>
        )}
        <LiveBadge live={live} />
        <Button
          size="small"
          variant="outlined"
          onClick={exportCsv}
          disabled={exporting}
          startIcon={exporting ? <CircularProgress size={14} color="inherit" /> : <FileDownloadOutlined fontSize="small" />}
          data-testid="export-csv"
        >
          Export CSV
        </Button>
      </Box>
      <Typography variant="caption" sx={{ color: 'text.secondary', mb: 1 }} data-testid="assessment-count">
        {data ? `${formatCount(data.total)} ${data.total === 1 ? 'assessment' : 'assessments'}${filtered ? ' match these filters' : ''}` : ' '}
      </Typography>
      <ServerGrid<Assessment>
        error={error}
        errorTitle="Could not load assessments"
        onRetry={() => refetch()}
        rows={rows}
        columns={columns}
        getRowId={(row) => row.id}
        rowCount={data?.total ?? 0}
        loading={loading || (fetching && !data)}
        paginationModel={pagination}
        onPaginationModelChange={(model) => {
          setPagination(model);
          if (model.page === 0) setMissed(0);
        }}
        pageSizeOptions={[25, 50, 100]}
        sortModel={sortModel}
        sortingOrder={['desc', 'asc']}
        onSortModelChange={(model) => {
          const first = model[0];
          setSort(
            first && SORTABLE_ASSESSMENT_FIELDS.has(first.field) && first.sort
              ? { field: first.field as SortField, direction: first.sort }
              : { field: 'createdAt', direction: 'desc' },
          );
          setPagination((p) => ({ ...p, page: 0 }));
        }}
        slots={{ row: AssessmentGridRow }}
        getRowClassName={({ row }) => (flash.isFlashing(row.id) ? 'row-flash' : '')}
        onOpenRow={openRow}
        empty={{
          icon: <FactCheckOutlined />,
          title: filtered ? 'No assessments match these filters' : 'No payments assessed yet',
          body: filtered
            ? 'Try another status, level, decision, channel or time range.'
            : 'Assessments appear here as the payment engine sends payments for scoring.',
        }}
        aria-label="Assessments"
      />
      <Typography variant="caption" sx={{ color: 'text.disabled', mt: 1 }}>
        {canReadCases
          ? 'Click a row with a case to open the case; the info button shows the rule-by-rule log for any row.'
          : 'Click a row for the rule-by-rule log.'}{' '}
        Amounts in KES equivalent; original currency below. Times in Nairobi time (EAT).
      </Typography>
      {selected && (
        <AssessmentDrawer
          key={selected.id}
          initial={selected}
          onClose={() => setSelected(null)}
          onChanged={(updated) => {
            flash.mark(updated.id);
            refetch({ silent: true });
          }}
        />
      )}
      <Snackbar open={!!exportNotice} autoHideDuration={5000} onClose={() => setExportNotice(null)} anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}>
        {exportNotice ? (
          <Alert severity={exportNotice.ok ? 'success' : 'error'} variant="filled" onClose={() => setExportNotice(null)}>
            {exportNotice.text}
          </Alert>
        ) : undefined}
      </Snackbar>
    </Box>
  );
}
