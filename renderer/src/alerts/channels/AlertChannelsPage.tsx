// Administration › Alert channels (issue 15): where alert rules send messages — the bank's SMTP
// relay, an SMS gateway, signed webhooks, Slack and Teams — with their quiet hours, hourly limit
// and the last 24 hours' delivery health. Secrets are never shown; test-send checks a channel.
import { useCallback, useMemo } from 'react';
import { useNavigate } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import CampaignOutlined from '@mui/icons-material/CampaignOutlined';
import EditOutlined from '@mui/icons-material/EditOutlined';
import SendOutlined from '@mui/icons-material/SendOutlined';
import { GridRow, type GridColDef, type GridRowProps } from '@mui/x-data-grid';
import type { AlertChannel } from '../../../../shared/src/alerts.ts';
import { StatusChip } from '../../admin/adminChips.tsx';
import { knownTenants } from '../../admin/TenantField.tsx';
import { useSession } from '../../api/session.ts';
import { useApiQuery } from '../../api/useApiQuery.ts';
import { useLiveRefresh } from '../../api/useLiveRefresh.ts';
import { PageHeader, RefreshButton } from '../../ui/layout.tsx';
import { ListGrid } from '../../ui/ListGrid.tsx';
import { RowActionButton } from '../../ui/RowActionButton.tsx';
import { Mono, TimeAgoOrNever } from '../../ui/values.tsx';
import { fetchAlertChannels } from '../alertsApi.ts';
import { CHANNEL_KIND_LABELS } from '../alertWords.tsx';
import { channelTarget, quietText, RecentHealth } from './channelText.tsx';
import { useChannelActions } from './useChannelActions.tsx';

function ChannelGridRow(props: GridRowProps) {
  const row = props.row as AlertChannel;
  return <GridRow {...props} data-testid={`channel-row-${row.name}`} data-kind={row.kind} />;
}

export function AlertChannelsPage() {
  const navigate = useNavigate();
  const session = useSession();
  const channels = useApiQuery(
    'alert-channels',
    useCallback((signal: AbortSignal) => fetchAlertChannels(signal), []),
  );
  useLiveRefresh(['alert.changed'], () => channels.refetch({ silent: true }), { debounceMs: 1000, minIntervalMs: 5000 });
  const rows = channels.data ?? [];
  const suggestions = useMemo(() => knownTenants([rows.map((c) => c.tenantId).filter((t) => t !== '*')], session?.user.tenantIds ?? []), [rows, session]);
  const actions = useChannelActions({ tenantSuggestions: suggestions, onChanged: () => channels.refetch({ silent: true }) });

  const columns: GridColDef<AlertChannel>[] = [
    {
      field: 'name',
      headerName: 'Channel',
      flex: 1,
      minWidth: 180,
      renderCell: ({ row }) => (
        <Box sx={{ minWidth: 0, lineHeight: 1.3 }}>
          <Typography variant="body2" noWrap sx={{ fontWeight: 650 }} title={row.name}>
            {row.name}
          </Typography>
          <Typography variant="caption" sx={{ color: 'text.secondary' }}>
            {CHANNEL_KIND_LABELS[row.kind]}
          </Typography>
        </Box>
      ),
    },
    {
      field: 'target',
      headerName: 'Sends to',
      flex: 1.4,
      minWidth: 220,
      sortable: false,
      renderCell: ({ row }) => (
        <Mono variant="body2" noWrap title={channelTarget(row)} sx={{ display: 'block' }}>
          {channelTarget(row)}
        </Mono>
      ),
    },
    { field: 'tenantId', headerName: 'Tenant', width: 110, valueGetter: (_, row) => (row.tenantId === '*' ? 'Every tenant' : row.tenantId) },
    {
      field: 'enabled',
      headerName: 'State',
      width: 100,
      renderCell: ({ row }) => <StatusChip label={row.enabled ? 'Enabled' : 'Disabled'} tone={row.enabled ? 'success' : 'neutral'} />,
    },
    {
      field: 'limits',
      headerName: 'Quiet hours · limit',
      width: 170,
      sortable: false,
      renderCell: ({ row }) => (
        <Typography variant="body2" noWrap>
          {quietText(row)} · {row.maxPerHour ? `${row.maxPerHour}/h` : 'no limit'}
        </Typography>
      ),
    },
    { field: 'recent', headerName: 'Last 24 h', flex: 0.9, minWidth: 170, sortable: false, renderCell: ({ row }) => <RecentHealth channel={row} /> },
    { field: 'lastDeliveredAt', headerName: 'Last delivered', width: 120, renderCell: ({ row }) => <TimeAgoOrNever value={row.lastDeliveredAt} /> },
    {
      field: 'actions',
      headerName: '',
      width: 88,
      sortable: false,
      align: 'right',
      renderCell: ({ row }) => (
        <Box sx={{ display: 'flex', gap: 0.25 }}>
          <RowActionButton
            title="Test send"
            subject={row.name}
            icon={<SendOutlined fontSize="small" />}
            testId={`channel-test-${row.name}`}
            onClick={() => actions.test(row)}
          />
          <RowActionButton
            title="Edit"
            subject={row.name}
            icon={<EditOutlined fontSize="small" />}
            testId={`channel-edit-${row.name}`}
            onClick={() => actions.edit(row)}
          />
        </Box>
      ),
    },
  ];

  return (
    <Box sx={{ px: 2.5, pt: 2.5, pb: 3, maxWidth: 1560, mx: 'auto' }} data-testid="alert-channels-page">
      <PageHeader
        title="Alert channels"
        subtitle="Where alert rules send messages: the bank’s mail relay, an SMS gateway, signed webhooks, Slack and Microsoft Teams. Secrets are sealed and never shown again."
        actions={
          <>
            <RefreshButton onClick={() => channels.refetch()} disabled={channels.fetching} label="Refresh the channels" />
            <Button variant="contained" startIcon={<AddIcon fontSize="small" />} onClick={actions.add} data-testid="channel-new">
              Add channel
            </Button>
          </>
        }
      />
      {actions.problem && (
        <Alert severity="error" sx={{ mb: 1.5 }} onClose={actions.clearProblem} data-testid="channel-problem">
          {actions.problem}
        </Alert>
      )}
      <ListGrid<AlertChannel>
        rows={rows}
        columns={columns}
        loading={channels.loading && !channels.data}
        error={channels.error}
        errorTitle="Could not load the channels"
        onRetry={() => channels.refetch()}
        onOpenRow={(row) => navigate(`/alert-channels/${row.id}`)}
        slots={{ row: ChannelGridRow }}
        empty={{ icon: <CampaignOutlined />, title: 'No channels yet', body: 'Add one with “Add channel”, then route alerts to it with an alert rule.' }}
        aria-label="Alert channels"
      />
      <Typography variant="caption" component="div" sx={{ color: 'text.disabled', mt: 1 }}>
        Messages go through the same outbox as Open Banking webhooks: each is retried with backoff and marked dead after the last attempt. In-app and desktop
        notifications are chosen per rule, not here.
      </Typography>
      {actions.dialogs}
    </Box>
  );
}
