// Administration › API clients: the machine clients that call the service (the bank's payment
// engine, monitoring). Keys are shown once, on create and on rotate; revoking stops a client at once.
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import Snackbar from '@mui/material/Snackbar';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import AddIcon from '@mui/icons-material/Add';
import AutorenewOutlined from '@mui/icons-material/AutorenewOutlined';
import BlockOutlined from '@mui/icons-material/BlockOutlined';
import KeyOutlined from '@mui/icons-material/KeyOutlined';
import { DataGrid, GridRow, type GridColDef, type GridRowProps } from '@mui/x-data-grid';
import type { ApiClientView, ApiClientWithKey } from '../../../shared/src/users.ts';
import { useSession } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { ConfirmDialog } from '../decision-engine/ConfirmDialog.tsx';
import { formatCount, formatEat } from '../lib/format.ts';
import { roleLabel } from '../lib/roles.ts';
import { GridEmptyOverlay } from '../ui/GridOverlays.tsx';
import { gridSx } from '../ui/gridStyles.ts';
import { ErrorState, PageHeader, RefreshButton } from '../ui/layout.tsx';
import { Mono, TimeAgo } from '../ui/values.tsx';
import { fetchApiClients, revokeApiClient } from './adminApi.ts';
import { StatusChip } from './adminChips.tsx';
import { ApiClientFormDialog, RotateKeyDialog } from './ApiClientDialogs.tsx';
import { SecretOnceDialog, type ShownSecret } from './SecretOnceDialog.tsx';
import { knownTenants, TenantList } from './TenantField.tsx';

function ClientGridRow(props: GridRowProps) {
  const row = props.row as ApiClientView;
  return <GridRow {...props} data-testid={`client-row-${row.name}`} data-active={String(row.active)} />;
}

function Details({ client }: { client: ApiClientWithKey }) {
  const line = (label: string, value: ReactNode) => (
    <Box sx={{ display: 'grid', gridTemplateColumns: '150px 1fr', gap: 1, py: 0.25 }}>
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        {label}
      </Typography>
      <Typography variant="body2" component="div">
        {value}
      </Typography>
    </Box>
  );
  return (
    <Box sx={{ border: 1, borderColor: 'divider', borderRadius: 1.5, px: 1.5, py: 1 }}>
      {line('Client id (OAuth2)', <Mono>{client.clientId}</Mono>)}
      {line('Role', roleLabel(client.role))}
      {line('Tenants', client.tenantIds.length ? client.tenantIds.join(', ') : 'none')}
      {client.rotatedAt &&
        line(
          'Old key',
          client.previousKeyValidUntil ? (
            <Box component="span" sx={{ color: 'warning.main', fontWeight: 600 }} data-testid="client-old-key-until">
              keeps working until {formatEat(client.previousKeyValidUntil)}
            </Box>
          ) : (
            <Box component="span" data-testid="client-old-key-until">
              stopped working now
            </Box>
          ),
        )}
    </Box>
  );
}

export function ApiClientsPage() {
  const theme = useTheme();
  const session = useSession();
  const fetcher = useCallback((signal: AbortSignal) => fetchApiClients(signal), []);
  const clients = useApiQuery('admin-api-clients', fetcher);
  const [creating, setCreating] = useState(false);
  const [rotating, setRotating] = useState<ApiClientView | null>(null);
  const [revoking, setRevoking] = useState<ApiClientView | null>(null);
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const all = clients.data ?? [];
  const active = all.filter((c) => c.active);
  // Live clients first, then revoked ones, newest first within each.
  const rows = [...active, ...all.filter((c) => !c.active)];
  const suggestions = useMemo(
    () =>
      knownTenants(
        all.map((c) => c.tenantIds),
        session?.user.tenantIds ?? [],
      ),
    [all, session],
  );
  const refresh = () => clients.refetch({ silent: true });

  const showKey = (client: ApiClientWithKey, title: string, body: ReactNode) =>
    setSecret({ title, label: `API key of ${client.name}`, secret: client.apiKey, body, details: <Details client={client} /> });

  const actions = (row: ApiClientView) => {
    const button = (title: string, icon: ReactNode, testId: string, onClick: () => void) => (
      <Tooltip title={title}>
        <IconButton size="small" aria-label={`${title} ${row.name}`} data-testid={testId} onClick={onClick}>
          {icon}
        </IconButton>
      </Tooltip>
    );
    if (!row.active) return null;
    return (
      <Box sx={{ display: 'flex', gap: 0.25 }}>
        {button('Rotate key', <AutorenewOutlined fontSize="small" />, `client-rotate-${row.name}`, () => setRotating(row))}
        {button('Revoke', <BlockOutlined fontSize="small" />, `client-revoke-${row.name}`, () => setRevoking(row))}
      </Box>
    );
  };

  const columns: GridColDef<ApiClientView>[] = [
    {
      field: 'name',
      headerName: 'Client',
      flex: 1.3,
      minWidth: 240,
      renderCell: ({ row }) => (
        <Box sx={{ minWidth: 0, lineHeight: 1.3 }}>
          <Typography variant="body2" noWrap sx={{ fontWeight: 650, color: row.active ? 'text.primary' : 'text.secondary' }} title={row.name}>
            {row.name}
          </Typography>
          <Mono variant="caption" sx={{ color: 'text.secondary', display: 'block' }} noWrap title="Client id (OAuth2)">
            {row.clientId}
          </Mono>
        </Box>
      ),
    },
    { field: 'role', headerName: 'Role', flex: 1, minWidth: 140, valueGetter: (_, row) => roleLabel(row.role, { short: true }) },
    {
      field: 'tenantIds',
      headerName: 'Tenants',
      flex: 0.9,
      minWidth: 150,
      sortable: false,
      renderCell: ({ row }) => <TenantList tenantIds={row.tenantIds} allTenants={false} />,
    },
    {
      field: 'active',
      headerName: 'Status',
      width: 190,
      renderCell: ({ row }) => (
        <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
          {row.active ? (
            <StatusChip label="Active" tone="success" />
          ) : (
            <StatusChip label="Revoked" tone="danger" title={row.revokedAt ? `Revoked ${formatEat(row.revokedAt)}` : undefined} />
          )}
          {row.previousKeyValidUntil && (
            <StatusChip
              label="Old key still valid"
              tone="warning"
              title={`The key before the last rotation works until ${formatEat(row.previousKeyValidUntil)}`}
            />
          )}
        </Box>
      ),
    },
    {
      field: 'lastUsedAt',
      headerName: 'Last used',
      width: 120,
      renderCell: ({ row }) =>
        row.lastUsedAt ? (
          <TimeAgo value={row.lastUsedAt} />
        ) : (
          <Typography variant="body2" sx={{ color: 'text.disabled' }}>
            Never
          </Typography>
        ),
    },
    {
      field: 'rotatedAt',
      headerName: 'Key',
      width: 140,
      renderCell: ({ row }) => (
        <Tooltip title={`Created ${formatEat(row.createdAt)} by ${row.createdBy}${row.rotatedAt ? ` · rotated ${formatEat(row.rotatedAt)}` : ''}`}>
          <Box sx={{ lineHeight: 1.3, minWidth: 0 }}>
            <Mono sx={{ display: 'block' }}>{row.keyPrefix}…</Mono>
            <Typography variant="caption" sx={{ color: 'text.secondary', display: 'flex', gap: 0.5 }} component="div">
              {row.rotatedAt ? 'rotated' : 'issued'} <TimeAgo value={row.rotatedAt ?? row.createdAt} variant="caption" color="inherit" />
            </Typography>
          </Box>
        </Tooltip>
      ),
    },
    { field: 'actions', headerName: '', width: 92, sortable: false, align: 'right', renderCell: ({ row }) => actions(row) },
  ];

  return (
    <Box sx={{ px: 2.5, pt: 2.5, pb: 3, maxWidth: 1560, mx: 'auto' }} data-testid="api-clients-page">
      <PageHeader
        title="API clients"
        subtitle={
          <>
            Machine clients that call the service: the bank’s payment engine (scores payments for its tenants) and monitoring (reads /metrics only).
            {clients.data && (
              <Box component="span" sx={{ display: 'block', mt: 0.25 }} data-testid="clients-summary">
                {formatCount(active.length)} active · {formatCount(all.length - active.length)} revoked
              </Box>
            )}
          </>
        }
        actions={
          <>
            <RefreshButton onClick={() => clients.refetch()} disabled={clients.fetching} label="Refresh API clients" />
            <Button variant="contained" startIcon={<AddIcon fontSize="small" />} onClick={() => setCreating(true)} data-testid="client-new">
              New client
            </Button>
          </>
        }
      />
      {clients.error && (
        <Box sx={{ mb: 1.5 }}>
          <ErrorState error={clients.error} onRetry={() => clients.refetch()} title="Could not load the API clients" />
        </Box>
      )}
      <Box sx={{ border: 1, borderColor: 'divider', borderRadius: 2.5, overflow: 'hidden', bgcolor: 'background.paper' }}>
        <DataGrid<ApiClientView>
          rows={rows}
          columns={columns}
          getRowId={(row) => row.id}
          loading={clients.loading && !clients.data}
          autoHeight
          rowHeight={56}
          disableColumnMenu
          disableColumnSelector
          disableRowSelectionOnClick
          hideFooter={rows.length <= 50}
          initialState={{ pagination: { paginationModel: { pageSize: 50 } } }}
          pageSizeOptions={[50, 100]}
          getRowClassName={({ row }) => (row.active ? '' : 'row-closed')}
          slots={{ row: ClientGridRow, noRowsOverlay: GridEmptyOverlay }}
          slotProps={{
            loadingOverlay: { variant: 'linear-progress', noRowsVariant: 'skeleton' },
            noRowsOverlay: { emptyIcon: <KeyOutlined />, emptyTitle: 'No machine clients yet', emptyBody: 'Register the payment engine with “New client”.' },
          }}
          aria-label="API clients"
          sx={[gridSx(theme, { clickable: false }), { border: 0, '& .MuiDataGrid-cell': { display: 'flex', alignItems: 'center' } }]}
        />
      </Box>
      <Typography variant="caption" component="div" sx={{ color: 'text.disabled', mt: 1 }}>
        Last use is recorded at most once a minute. A rotated key keeps working for the grace period chosen at rotation (24 hours unless chosen otherwise, 7
        days at most).
      </Typography>

      <ApiClientFormDialog
        open={creating}
        tenantSuggestions={suggestions}
        onClose={() => setCreating(false)}
        onCreated={(client) => {
          showKey(
            client,
            `Client ${client.name} registered`,
            <>
              Configure it in the client now. Send it as the <code>X-API-Key</code> header, or exchange client id and key for a token at{' '}
              <code>POST /api/v1/auth/token</code>.
            </>,
          );
          refresh();
        }}
      />
      <RotateKeyDialog
        client={rotating}
        onClose={() => setRotating(null)}
        onRotated={(client) => {
          showKey(client, `New key for ${client.name}`, <>Put the new key in the client’s configuration before the old key stops working.</>);
          refresh();
        }}
      />
      <ConfirmDialog
        open={!!revoking}
        testId="client-revoke-confirm"
        confirmTestId="client-revoke-button"
        title={`Revoke ${revoking?.name ?? ''}?`}
        body={
          <>
            Every key of this client (including an old key in its grace period) and every token it holds stop working at once. Payments it sends are refused
            from now on. This cannot be undone: register a new client to restore access.
          </>
        }
        confirmLabel="Revoke client"
        confirmColor="error"
        onClose={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          await revokeApiClient(revoking.id);
          setNotice(`${revoking.name} revoked`);
          refresh();
        }}
      />
      <SecretOnceDialog shown={secret} onClose={() => setSecret(null)} testId="client-secret" />
      <Snackbar open={!!notice} autoHideDuration={5000} onClose={() => setNotice(null)} anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}>
        {notice ? (
          <Alert severity="success" variant="filled" onClose={() => setNotice(null)} data-testid="client-notice">
            {notice}
          </Alert>
        ) : undefined}
      </Snackbar>
    </Box>
  );
}
