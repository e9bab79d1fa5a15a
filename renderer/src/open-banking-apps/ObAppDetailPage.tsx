// One Open Banking app (issue 14): what it is, its OAuth client (never its secret), redirect URIs
// and scopes, its state, its use over time, and the webhooks sent to it. Administrators edit,
// suspend or reinstate it and rotate its secret from here too.
import { useCallback, useMemo } from 'react';
import { Link as RouterLink, useParams } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import ArrowBack from '@mui/icons-material/ArrowBack';
import AutorenewOutlined from '@mui/icons-material/AutorenewOutlined';
import EditOutlined from '@mui/icons-material/EditOutlined';
import PauseCircleOutlined from '@mui/icons-material/PauseCircleOutlined';
import PlayCircleOutlined from '@mui/icons-material/PlayCircleOutlined';
import { APP_KIND_LABELS, OB_SCOPE_LABELS } from '../../../shared/src/open-banking.ts';
import { useCan, useSession } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { WebhookDeliveriesCard } from '../consents/WebhookDeliveriesCard.tsx';
import { formatEat } from '../lib/format.ts';
import { CardSkeleton, ErrorState, Page, PageHeader, RefreshButton, SectionCard } from '../ui/layout.tsx';
import { Fact } from '../ui/Fact.tsx';
import { Mono } from '../ui/values.tsx';
import { AppStatusChip, OldSecretChip } from './appWords.tsx';
import { AppUsagePanel } from './AppUsagePanel.tsx';
import { fetchObApp } from './obAppsApi.ts';
import { useAppActions } from './useAppActions.tsx';

export function ObAppDetailPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const canManage = useCan('openbanking:manage');
  const query = useApiQuery(
    `ob-app:${id}`,
    useCallback((signal: AbortSignal) => fetchObApp(id, signal), [id]),
  );
  useLiveRefresh(['consent.changed'], () => query.refetch({ silent: true }), { debounceMs: 500, minIntervalMs: 3000 });
  const app = query.data;
  const suggestions = useMemo(() => (app ? [app.tenantId] : (session?.user.tenantIds ?? [])), [app, session]);
  const actions = useAppActions({ tenantSuggestions: suggestions, onChanged: () => query.refetch({ silent: true }) });

  if (query.error && !app)
    return (
      <Page>
        <ErrorState error={query.error} onRetry={() => query.refetch()} title="Could not load the app" />
      </Page>
    );
  if (!app)
    return (
      <Page>
        <CardSkeleton lines={6} />
      </Page>
    );

  return (
    <Page maxWidth={1400}>
      <Button component={RouterLink} to="/open-banking-apps" size="small" startIcon={<ArrowBack fontSize="small" />} sx={{ mb: 1 }}>
        Open Banking apps
      </Button>
      <PageHeader
        title={
          <Box component="span" sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
            <span data-testid="app-title">{app.name}</span>
            <AppStatusChip app={app} />
            <OldSecretChip app={app} />
          </Box>
        }
        subtitle={`${APP_KIND_LABELS[app.kind]} · ${app.tenantId} · registered ${formatEat(app.createdAt)} by ${app.createdBy}`}
        actions={
          <>
            <RefreshButton onClick={() => query.refetch({ silent: true })} label="Refresh the app" />
            {canManage && (
              <>
                <Button variant="outlined" startIcon={<EditOutlined />} onClick={() => actions.edit(app)} data-testid="app-edit">
                  Edit
                </Button>
                <Button variant="outlined" color="warning" startIcon={<AutorenewOutlined />} onClick={() => actions.rotate(app)} data-testid="app-rotate">
                  Rotate secret
                </Button>
                {app.status === 'ACTIVE' ? (
                  <Button variant="contained" color="error" startIcon={<PauseCircleOutlined />} onClick={() => actions.suspend(app)} data-testid="app-suspend">
                    Suspend
                  </Button>
                ) : (
                  <Button variant="contained" startIcon={<PlayCircleOutlined />} onClick={() => actions.reinstate(app)} data-testid="app-reinstate">
                    Reinstate
                  </Button>
                )}
              </>
            )}
          </>
        }
      />
      {app.status === 'SUSPENDED' && (
        <Alert severity="warning" sx={{ mb: 2 }} data-testid="app-suspended">
          Suspended{app.statusReason ? `: ${app.statusReason}` : ''}. Its tokens are refused at the next request; its {app.activeConsents} active{' '}
          {app.activeConsents === 1 ? 'consent stays' : 'consents stay'} and work again when it is reinstated.
        </Alert>
      )}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '3fr 2fr' }, gap: 2, mb: 2 }}>
        <SectionCard title="App" testId="app-facts">
          <Box sx={{ display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 2, rowGap: 0.75 }}>
            <Fact label="Description">{app.description || '—'}</Fact>
            <Fact label="Contact">{app.contactEmail ?? '—'}</Fact>
            <Fact label="May ask for" testId="app-scopes">
              {app.allowedScopes.map((s) => (
                <Box key={s}>
                  <Mono variant="body2">{s}</Mono> — {OB_SCOPE_LABELS[s]}
                </Box>
              ))}
            </Fact>
            <Fact label="Redirect URIs" testId="app-redirects">
              {app.redirectUris.length
                ? app.redirectUris.map((u) => (
                    <Mono key={u} sx={{ display: 'block' }}>
                      {u}
                    </Mono>
                  ))
                : 'None (client credentials only)'}
            </Fact>
            <Fact label="Active consents">
              <Link component={RouterLink} to={`/consents?app=${app.id}&status=Authorised`} underline="hover" data-testid="app-consents-link">
                {app.activeConsents}
              </Link>
            </Fact>
          </Box>
        </SectionCard>
        <SectionCard title="OAuth client" testId="app-client">
          <Box sx={{ display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 2, rowGap: 0.75 }}>
            <Fact label="Client id">
              <Mono data-testid="app-client-id">{app.clientId}</Mono>
            </Fact>
            <Fact label="Secret">
              <Mono>…{app.secretHint}</Mono>{' '}
              <Typography component="span" variant="caption" sx={{ color: 'text.secondary' }}>
                ({app.rotatedAt ? `rotated ${formatEat(app.rotatedAt)}` : 'as registered'})
              </Typography>
            </Fact>
            {app.previousSecretExpiresAt && <Fact label="Old secret">works until {formatEat(app.previousSecretExpiresAt)}</Fact>}
            <Fact label="Last used">{app.lastUsedAt ? formatEat(app.lastUsedAt) : 'Never'}</Fact>
            <Fact label="Updated">{formatEat(app.updatedAt)}</Fact>
          </Box>
        </SectionCard>
      </Box>
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
        <AppUsagePanel appId={app.id} />
        <WebhookDeliveriesCard appId={app.id} title="Webhook deliveries to this app" />
      </Box>
      {actions.dialogs}
    </Page>
  );
}
