// Administration › API clients: the machine clients that call the service (the bank's payment
// engine, monitoring). Keys are shown once, on create and on rotate; revoking stops a client at once.
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import AutorenewOutlined from '@mui/icons-material/AutorenewOutlined';
import BlockOutlined from '@mui/icons-material/BlockOutlined';
import KeyOutlined from '@mui/icons-material/KeyOutlined';
import { GridRow, type GridColDef, type GridRowProps } from '@mui/x-data-grid';
import type { ApiClientView, ApiClientWithKey } from '../../../shared/src/users.ts';
import { useSession } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { ConfirmDialog } from '../decision-engine/ConfirmDialog.tsx';
import { formatCount, formatEat } from '../lib/format.ts';
import { roleLabel } from '../lib/roles.ts';
import { PageHeader, RefreshButton } from '../ui/layout.tsx';
import { ListGrid } from '../ui/ListGrid.tsx';
import { RowActionButton } from '../ui/RowActionButton.tsx';
import { Mono, TimeAgo, TimeAgoOrNever } from '../ui/values.tsx';
import { SuccessNotice } from '../ui/SuccessNotice.tsx';
import { fetchApiClients, revokeApiClient } from './adminApi.ts';
import { StatusChip } from './adminChips.tsx';
import { ApiClientFormDialog, RotateKeyDialog } from './ApiClientDialogs.tsx';
import { SecretDetail, SecretDetails, SecretOnceDialog, type ShownSecret } from './SecretOnceDialog.tsx';
import { knownTenants, TenantList } from './TenantField.tsx';

function ClientGridRow(props: GridRowProps) {
  const row = props.row as ApiClientView;
  return <GridRow {...props} data-testid={`client-row-${row.name}`} data-active={String(row.active)} />;
}

function Details({ client }: { client: ApiClientWithKey }) {
  return (
    <SecretDetails>
      <SecretDetail label="Client id (OAuth2)">
        <Mono>{client.clientId}</Mono>
      </SecretDetail>
      <SecretDetail label="Role">{roleLabel(client.role)}</SecretDetail>
      <SecretDetail label="Tenants">{client.tenantIds.length ? client.tenantIds.join(', ') : 'none'}</SecretDetail>
      {client.rotatedAt && (
        <SecretDetail label="Old key">
          {client.previousKeyValidUntil ? (
            <Box component="span" sx={{ color: 'warning.main', fontWeight: 600 }} data-testid="client-old-key-until">
              keeps working until {formatEat(client.previousKeyValidUntil)}
            </Box>
          ) : (
            <Box component="span" data-testid="client-old-key-until">
              stopped working now
            </Box>
          )}
        </SecretDetail>
      )}
    </SecretDetails>
  );
}

export function ApiClientsPage() {
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

  const actions = (row: ApiClientView) =>
    row.active ? (
      <Box sx={{ display: 'flex', gap: 0.25 }}>
        <RowActionButton
          title="Rotate key"
          subject={row.name}
          icon={<AutorenewOutlined fontSize="small" />}
          testId={`client-rotate-${row.name}`}
          onClick={() => setRotating(row)}
        />
        <RowActionButton
          title="Revoke"
          subject={row.name}
          icon={<BlockOutlined fontSize="small" />}
          testId={`client-revoke-${row.name}`}
          onClick={() => setRevoking(row)}
        />
      </Box>
    ) : null;

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
      renderCell: ({ row }) => <TimeAgoOrNever value={row.lastUsedAt} />,
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
      <ListGrid<ApiClientView>
        rows={rows}
        columns={columns}
        loading={clients.loading && !clients.data}
        error={clients.error}
        errorTitle="Could not load the API clients"
        onRetry={() => clients.refetch()}
        getRowClassName={({ row }) => (row.active ? '' : 'row-closed')}
        slots={{ row: ClientGridRow }}
        empty={{ icon: <KeyOutlined />, title: 'No machine clients yet', body: 'Register the payment engine with “New client”.' }}
        aria-label="API clients"
      />
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
      <SuccessNotice notice={notice} onClose={() => setNotice(null)} testId="client-notice" />
    </Box>
  );
}
