// The consent register (issue 14): every consent of the officer's tenants, searchable by customer,
// app, status as of now (an Authorised consent past its expiry is Expired), scope and expiry; and
// the review queue. On a workstation both are answered from the synced consents, offline too.
import { useCallback } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import Box from '@mui/material/Box';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import HandshakeOutlined from '@mui/icons-material/HandshakeOutlined';
import { GridRow, type GridRowProps } from '@mui/x-data-grid';
import type { ConsentView } from '../../../shared/src/open-banking.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { formatCount } from '../lib/format.ts';
import { fetchObApps } from '../open-banking-apps/obAppsApi.ts';
import { PageHeader, RefreshButton } from '../ui/layout.tsx';
import { ServerGrid } from '../ui/ServerGrid.tsx';
import { withPageModel } from '../ui/urlPaging.ts';
import { consentColumns } from './consentColumns.tsx';
import { ConsentFilters } from './ConsentFilters.tsx';
import { PAGE_SIZES, parseConsentParams, toConsentListQuery, withParam } from './consentParams.ts';
import { ConsentReviewQueue } from './ConsentReviewQueue.tsx';
import { fetchConsents } from './consentsApi.ts';

function ConsentGridRow(props: GridRowProps) {
  const row = props.row as ConsentView;
  return <GridRow {...props} data-testid={`consent-row-${row.id}`} data-status={row.status} />;
}

const COLUMNS = consentColumns<ConsentView>((row) => row);

/** The apps for the App filter (the register's apps are few: one page is all of them). */
export function useObAppChoices() {
  return useApiQuery(
    'ob-app-choices',
    useCallback((signal: AbortSignal) => fetchObApps({ pageSize: 500 }, signal), []),
  );
}

export function ConsentsPage() {
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const params = parseConsentParams(search);
  const query = toConsentListQuery(params);
  const key = JSON.stringify(query);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the query, serialised.
  const fetcher = useCallback((signal: AbortSignal) => fetchConsents(query, signal), [key]);
  const list = useApiQuery(`consents:${key}`, fetcher);
  const apps = useObAppChoices();
  useLiveRefresh(['consent.changed'], () => list.refetch({ silent: true }), { debounceMs: 300, minIntervalMs: 1500, enabled: params.tab === 'register' });
  const open = (id: string) => navigate(`/consents/${id}`);

  return (
    <Box sx={{ px: 2.5, pt: 2.5, pb: 3, maxWidth: 1560, mx: 'auto', display: 'flex', flexDirection: 'column', height: '100%' }} data-testid="consents-page">
      <PageHeader
        title="Consent register"
        subtitle="What each customer let each Open Banking app see or do, until when, and how it has been used. Status is as of now: past its expiry a consent is Expired."
        actions={<RefreshButton onClick={() => list.refetch({ silent: true })} disabled={list.fetching} label="Refresh the consent register" />}
      />
      <Tabs
        value={params.tab}
        onChange={(_, tab: string) => setSearch(withParam(search, 'tab', tab === 'review' ? 'review' : null), { replace: true })}
        sx={{ mb: 1.5, minHeight: 40, '& .MuiTab-root': { minHeight: 40 } }}
      >
        <Tab value="register" label="All consents" data-testid="consent-tab-register" />
        <Tab value="review" label="To review" data-testid="consent-tab-review" />
      </Tabs>
      {params.tab === 'review' ? (
        <ConsentReviewQueue onOpen={open} />
      ) : (
        <>
          <ConsentFilters
            params={params}
            apps={apps.data?.items ?? []}
            onChange={(name, value) => setSearch(withParam(search, name, value), { replace: true })}
            onClear={() => setSearch(new URLSearchParams(), { replace: true })}
          />
          {list.data && (
            <Typography variant="body2" sx={{ color: 'text.secondary', mb: 0.75 }} data-testid="consent-count">
              {formatCount(list.data.total)} {list.data.total === 1 ? 'consent' : 'consents'}
            </Typography>
          )}
          <ServerGrid<ConsentView>
            error={list.error}
            errorTitle="Could not load the consent register"
            onRetry={() => list.refetch()}
            rows={list.data?.items ?? []}
            columns={COLUMNS}
            getRowId={(row) => row.id}
            rowCount={list.data?.total ?? 0}
            loading={list.loading || (list.fetching && !list.data)}
            paginationModel={{ page: params.page, pageSize: params.pageSize }}
            onPaginationModelChange={(model) => setSearch(withPageModel(search, model, params.pageSize), { replace: true })}
            pageSizeOptions={[...PAGE_SIZES]}
            density="compact"
            rowHeight={48}
            onOpenRow={(row) => open(row.id)}
            slots={{ row: ConsentGridRow }}
            empty={{ icon: <HandshakeOutlined />, title: 'No consents', body: 'None match these filters.' }}
            aria-label="Consents"
            sx={{ border: 0, '& .MuiDataGrid-cell': { display: 'flex', alignItems: 'center' } }}
          />
        </>
      )}
    </Box>
  );
}
