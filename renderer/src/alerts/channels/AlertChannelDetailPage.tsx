// One alert channel (issue 15): its settings (never its secret), delivery limits, recent health,
// test-send and the full delivery log with every attempt.
import { useCallback, useEffect, useState } from 'react';
import { Link as RouterLink, useNavigate, useParams } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import ArrowBack from '@mui/icons-material/ArrowBack';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import EditOutlined from '@mui/icons-material/EditOutlined';
import SendOutlined from '@mui/icons-material/SendOutlined';
import type { AlertChannel } from '../../../../shared/src/alerts.ts';
import { StatusChip } from '../../admin/adminChips.tsx';
import { useSession } from '../../api/session.ts';
import { useApiQuery } from '../../api/useApiQuery.ts';
import { NotFoundPage } from '../../app/guards.tsx';
import { formatEat } from '../../lib/format.ts';
import { CardSkeleton, ErrorState, Page, PageHeader, RefreshButton, SectionCard } from '../../ui/layout.tsx';
import { Fact } from '../../ui/Fact.tsx';
import { Mono } from '../../ui/values.tsx';
import { fetchAlertChannel } from '../alertsApi.ts';
import { CHANNEL_KIND_LABELS } from '../alertWords.tsx';
import { ChannelDeliveriesCard } from './ChannelDeliveriesCard.tsx';
import { quietText, RecentHealth } from './channelText.tsx';
import { useChannelActions } from './useChannelActions.tsx';

function Settings({ channel }: { channel: AlertChannel }) {
  const s = channel.settings;
  return (
    <>
      {s.kind === 'EMAIL' && (
        <>
          <Fact label="Relay">
            <Mono variant="body2">
              {s.host}:{s.port}
            </Mono>{' '}
            ({s.security === 'none' ? 'no TLS' : s.security.toUpperCase()})
          </Fact>
          <Fact label="Sign-in">{s.username ?? 'None'}</Fact>
          <Fact label="From">{s.from}</Fact>
          <Fact label="To" testId="channel-recipients">
            {s.to.join(', ')}
          </Fact>
        </>
      )}
      {s.kind === 'SMS' && (
        <>
          <Fact label="Gateway">
            <Mono variant="body2">{s.url}</Mono>
          </Fact>
          <Fact label="Username">{s.username}</Fact>
          <Fact label="Sender id">{s.senderId ?? 'Provider default'}</Fact>
          <Fact label="To" testId="channel-recipients">
            {s.to.join(', ')}
          </Fact>
        </>
      )}
      {s.kind === 'WEBHOOK' && (
        <Fact label="Receiver">
          <Mono variant="body2">{s.url}</Mono>
        </Fact>
      )}
      <Fact label="Secret" testId="channel-secret-state">
        {Object.entries(channel.secretsSet).some(([, set]) => set)
          ? `Stored, sealed${channel.secretHint ? ` (${channel.secretHint})` : ''}`
          : s.kind === 'EMAIL'
            ? 'None (the relay needs no password)'
            : 'Not set'}
      </Fact>
    </>
  );
}

export function AlertChannelDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const session = useSession();
  const query = useApiQuery(
    `alert-channel:${id}`,
    useCallback((signal: AbortSignal) => fetchAlertChannel(id, signal), [id]),
  );
  const [logKey, setLogKey] = useState(0);
  const actions = useChannelActions({
    tenantSuggestions: session?.user.tenantIds ?? [],
    onChanged: () => query.refetch({ silent: true }),
    onRemoved: () => navigate('/alert-channels'),
    onTestQueued: () => setLogKey((k) => k + 1),
  });
  const channel = query.data;
  // While a message waits, its health changes without an event: look again shortly.
  const waiting = (channel?.recent.pending ?? 0) + (channel?.recent.failed ?? 0) > 0;
  const { refetch } = query;
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new answer (`channel`) restarts the wait.
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setTimeout(() => refetch({ silent: true }), 2000);
    return () => window.clearTimeout(timer);
  }, [waiting, channel, refetch]);

  if (query.error && !channel) {
    if (query.error.status === 404) return <NotFoundPage />;
    return (
      <Page>
        <ErrorState error={query.error} onRetry={() => query.refetch()} title="Could not load the channel" />
      </Page>
    );
  }
  if (!channel)
    return (
      <Page>
        <CardSkeleton lines={6} />
      </Page>
    );

  return (
    <Page maxWidth={1400}>
      <Box data-testid="alert-channel-detail">
        <Button component={RouterLink} to="/alert-channels" size="small" startIcon={<ArrowBack fontSize="small" />} sx={{ mb: 1 }}>
          Alert channels
        </Button>
        <PageHeader
          title={
            <Box component="span" sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
              <span data-testid="channel-title">{channel.name}</span>
              <StatusChip label={channel.enabled ? 'Enabled' : 'Disabled'} tone={channel.enabled ? 'success' : 'neutral'} />
            </Box>
          }
          subtitle={`${CHANNEL_KIND_LABELS[channel.kind]} · ${channel.tenantId === '*' ? 'every tenant' : `tenant ${channel.tenantId}`} · added ${formatEat(channel.createdAt)}`}
          actions={
            <>
              <RefreshButton
                onClick={() => {
                  query.refetch({ silent: true });
                  setLogKey((k) => k + 1);
                }}
                label="Refresh the channel"
              />
              <Button
                variant="contained"
                startIcon={<SendOutlined />}
                disabled={actions.testing === channel.id}
                onClick={() => actions.test(channel)}
                data-testid="channel-test"
              >
                Test send
              </Button>
              <Button variant="outlined" startIcon={<EditOutlined />} onClick={() => actions.edit(channel)} data-testid="channel-edit">
                Edit
              </Button>
              <Button variant="outlined" color="error" startIcon={<DeleteOutlined />} onClick={() => actions.remove(channel)} data-testid="channel-remove">
                Remove
              </Button>
            </>
          }
        />
        {actions.problem && (
          <Alert severity="error" sx={{ mb: 2 }} onClose={actions.clearProblem} data-testid="channel-problem">
            {actions.problem}
          </Alert>
        )}
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '3fr 2fr' }, gap: 2, mb: 2, alignItems: 'start' }}>
          <SectionCard title="Where messages go" testId="channel-settings">
            <Box sx={{ display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 2, rowGap: 0.75 }}>
              <Settings channel={channel} />
            </Box>
          </SectionCard>
          <SectionCard title="Limits and health" testId="channel-health">
            <Box sx={{ display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 2, rowGap: 0.75 }}>
              <Fact label="Quiet hours">{quietText(channel)} (Nairobi time)</Fact>
              <Fact label="Hourly limit">{channel.maxPerHour ? `${channel.maxPerHour} messages; more are throttled` : 'None'}</Fact>
              <Fact label="Last 24 hours">
                <RecentHealth channel={channel} />
              </Fact>
              <Fact label="Last delivered">{channel.lastDeliveredAt ? formatEat(channel.lastDeliveredAt) : 'Never'}</Fact>
            </Box>
          </SectionCard>
        </Box>
        <ChannelDeliveriesCard channelId={channel.id} refreshKey={logKey} />
      </Box>
      {actions.dialogs}
    </Page>
  );
}
