// Administration › Open Banking apps (issue 14): the partner and internal apps (OAuth clients) of
// the caller's tenants. Administrators (openbanking:manage) register, edit, suspend, reinstate and
// rotate; compliance officers see the list and each app's use.
import { useCallback, useMemo } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import AppsOutlined from '@mui/icons-material/AppsOutlined';
import AutorenewOutlined from '@mui/icons-material/AutorenewOutlined';
import PauseCircleOutlined from '@mui/icons-material/PauseCircleOutlined';
import PlayCircleOutlined from '@mui/icons-material/PlayCircleOutlined';
import { GridRow, type GridColDef, type GridRowProps } from '@mui/x-data-grid';
import { APP_KIND_LABELS, AppKind, AppStatus, type ObAppView } from '../../../shared/src/open-banking.ts';
import { knownTenants } from '../admin/TenantField.tsx';
import { useCan, useSession } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { cleanSearch } from '../consents/consentParams.ts';
import { ScopeChips } from '../consents/consentWords.tsx';
import { formatCount } from '../lib/format.ts';
import { FilterSelect } from '../ui/FilterSelect.tsx';
import { PageHeader, RefreshButton } from '../ui/layout.tsx';
import { ListGrid } from '../ui/ListGrid.tsx';
import { RowActionButton } from '../ui/RowActionButton.tsx';
import { SearchField } from '../ui/SearchField.tsx';
import { Mono, TimeAgoOrNever } from '../ui/values.tsx';
import { AppStatusChip, OldSecretChip } from './appWords.tsx';
import { fetchObApps } from './obAppsApi.ts';
import { useAppActions } from './useAppActions.tsx';

function AppGridRow(props: GridRowProps) {
  const row = props.row as ObAppView;
  return <GridRow {...props} data-testid={`app-row-${row.name}`} data-status={row.status} />;
}

export function ObAppsPage() {
  const navigate = useNavigate();
  const session = useSession();
  const canManage = useCan('openbanking:manage');
  const [params, setParams] = useSearchParams();
  const status = AppStatus.safeParse(params.get('status')).success ? (params.get('status') as AppStatus) : '';
  const kind = AppKind.safeParse(params.get('kind')).success ? (params.get('kind') as AppKind) : '';
  const search = cleanSearch(params.get('q') ?? '');
  const key = JSON.stringify({ status, kind, search });
  const apps = useApiQuery(
    `ob-apps:${key}`,
    // biome-ignore lint/correctness/useExhaustiveDependencies: `key` holds every input.
    useCallback(
      (signal: AbortSignal) => fetchObApps({ pageSize: 500, ...(status ? { status } : {}), ...(kind ? { kind } : {}), ...(search ? { search } : {}) }, signal),
      [key],
    ),
  );
  useLiveRefresh(['consent.changed'], () => apps.refetch({ silent: true }), { debounceMs: 800, minIntervalMs: 5000 });
  const rows = apps.data?.items ?? [];
  const suggestions = useMemo(() => knownTenants([rows.map((a) => a.tenantId)], session?.user.tenantIds ?? []), [rows, session]);
  const actions = useAppActions({ tenantSuggestions: suggestions, onChanged: () => apps.refetch({ silent: true }) });
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  const columns: GridColDef<ObAppView>[] = [
    {
      field: 'name',
      headerName: 'App',
      flex: 1.2,
      minWidth: 200,
      renderCell: ({ row }) => (
        <Box sx={{ minWidth: 0, lineHeight: 1.3 }}>
          <Typography variant="body2" noWrap sx={{ fontWeight: 650 }} title={row.name}>
            {row.name}
          </Typography>
          <Mono variant="caption" sx={{ color: 'text.secondary', display: 'block' }} noWrap title="OAuth client id">
            {row.clientId}
          </Mono>
        </Box>
      ),
    },
    { field: 'kind', headerName: 'Kind', width: 130, valueGetter: (_, row) => APP_KIND_LABELS[row.kind] ?? row.kind },
    { field: 'tenantId', headerName: 'Tenant', width: 100 },
    {
      field: 'allowedScopes',
      headerName: 'Scopes',
      flex: 1.2,
      minWidth: 230,
      sortable: false,
      renderCell: ({ row }) => (
        <Box sx={{ overflow: 'hidden', whiteSpace: 'nowrap' }}>
          <ScopeChips scopes={row.allowedScopes} />
        </Box>
      ),
    },
    {
      field: 'status',
      headerName: 'Status',
      width: 150,
      renderCell: ({ row }) => (
        <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
          <AppStatusChip app={row} />
          <OldSecretChip app={row} />
        </Box>
      ),
    },
    {
      field: 'activeConsents',
      headerName: 'Active consents',
      width: 118,
      align: 'right',
      headerAlign: 'right',
      renderCell: ({ row }) => <Mono>{row.activeConsents}</Mono>,
    },
    {
      field: 'lastUsedAt',
      headerName: 'Last used',
      width: 112,
      renderCell: ({ row }) => <TimeAgoOrNever value={row.lastUsedAt} />,
    },
  ];
  if (canManage)
    columns.push({
      field: 'actions',
      headerName: '',
      width: 84,
      sortable: false,
      align: 'right',
      renderCell: ({ row }) => (
        <Box sx={{ display: 'flex', gap: 0.25 }}>
          <RowActionButton
            title="Rotate secret"
            subject={row.name}
            icon={<AutorenewOutlined fontSize="small" />}
            testId={`app-rotate-${row.name}`}
            onClick={() => actions.rotate(row)}
          />
          {row.status === 'ACTIVE' ? (
            <RowActionButton
              title="Suspend"
              subject={row.name}
              icon={<PauseCircleOutlined fontSize="small" />}
              testId={`app-suspend-${row.name}`}
              onClick={() => actions.suspend(row)}
            />
          ) : (
            <RowActionButton
              title="Reinstate"
              subject={row.name}
              icon={<PlayCircleOutlined fontSize="small" />}
              testId={`app-reinstate-${row.name}`}
              onClick={() => actions.reinstate(row)}
            />
          )}
        </Box>
      ),
    });

  return (
    <Box sx={{ px: 2.5, pt: 2.5, pb: 3, maxWidth: 1560, mx: 'auto' }} data-testid="ob-apps-page">
      <PageHeader
        title="Open Banking apps"
        subtitle={
          <>
            Partner and internal apps that call the Open Banking API for the bank’s customers, with the customers’ consent.
            {apps.data && (
              <Box component="span" sx={{ display: 'block', mt: 0.25 }} data-testid="apps-summary">
                {formatCount(rows.filter((a) => a.status === 'ACTIVE').length)} active · {formatCount(rows.filter((a) => a.status === 'SUSPENDED').length)}{' '}
                suspended
              </Box>
            )}
          </>
        }
        actions={
          <>
            <RefreshButton onClick={() => apps.refetch()} disabled={apps.fetching} label="Refresh the apps" />
            {canManage && (
              <Button variant="contained" startIcon={<AddIcon fontSize="small" />} onClick={actions.register} data-testid="app-new">
                Register app
              </Button>
            )}
          </>
        }
      />
      <Box sx={{ display: 'flex', gap: 1.25, alignItems: 'center', flexWrap: 'wrap', mb: 1.5 }}>
        <SearchField value={search} onChange={(v) => setFilter('q', cleanSearch(v))} placeholder="Name or client id" width={240} testId="app-filter-search" />
        <FilterSelect
          label="Status"
          value={status}
          anyLabel="Any status"
          options={[
            { value: 'ACTIVE', label: 'Active' },
            { value: 'SUSPENDED', label: 'Suspended' },
          ]}
          onChange={(v) => setFilter('status', v)}
          testId="app-filter-status"
        />
        <FilterSelect
          label="Kind"
          value={kind}
          anyLabel="Any kind"
          options={AppKind.options.map((k) => ({ value: k, label: APP_KIND_LABELS[k] }))}
          onChange={(v) => setFilter('kind', v)}
          minWidth={190}
          testId="app-filter-kind"
        />
      </Box>
      <ListGrid<ObAppView>
        rows={rows}
        columns={columns}
        loading={apps.loading && !apps.data}
        error={apps.error}
        errorTitle="Could not load the apps"
        onRetry={() => apps.refetch()}
        onOpenRow={(row) => navigate(`/open-banking-apps/${row.id}`)}
        slots={{ row: AppGridRow }}
        empty={{
          icon: <AppsOutlined />,
          title: search || status || kind ? 'No app matches' : 'No apps yet',
          body: canManage ? 'Register a partner with “Register app”.' : 'An administrator registers partner apps.',
        }}
        aria-label="Open Banking apps"
      />
      <Typography variant="caption" component="div" sx={{ color: 'text.disabled', mt: 1 }}>
        Last use is recorded at most once a minute. A suspended app’s tokens stop working at its next request; its consents stay and work again when it is
        reinstated.
      </Typography>
      {actions.dialogs}
    </Box>
  );
}
