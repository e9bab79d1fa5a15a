// One consent (issue 14): who let which app see or do what, on which accounts, until when; its
// status as of now; today's unattended use against the daily limit; the access log and webhook
// deliveries. Compliance officers revoke it with a reason: the app's next call is refused.
import { useCallback, useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Snackbar from '@mui/material/Snackbar';
import Typography from '@mui/material/Typography';
import ArrowBack from '@mui/icons-material/ArrowBack';
import BlockOutlined from '@mui/icons-material/BlockOutlined';
import { OB_SCOPE_LABELS, type ConsentView } from '../../../shared/src/open-banking.ts';
import { useCan } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { ConfirmDialog } from '../decision-engine/ConfirmDialog.tsx';
import { formatEat } from '../lib/format.ts';
import { editError } from '../risks/formErrors.ts';
import { noteText } from '../risks/riskText.ts';
import { CardSkeleton, ErrorState, Page, PageHeader, RefreshButton, SectionCard } from '../ui/layout.tsx';
import { Fact } from '../ui/Fact.tsx';
import { Mono } from '../ui/values.tsx';
import { ConsentAccessLog } from './ConsentAccessLog.tsx';
import { fetchConsent, revokeConsent } from './consentsApi.ts';
import { CONSENT_STATUS_LABELS, ConsentStatusChip, STATUS_REASON_LABELS } from './consentWords.tsx';
import { WebhookDeliveriesCard } from './WebhookDeliveriesCard.tsx';

/** A user's id says nothing to the reader; the status reason already says who (bank, customer, app). */

function UsageCard({ consent }: { consent: ConsentView }) {
  const share = consent.frequencyPerDay > 0 ? Math.min(1, consent.usedToday / consent.frequencyPerDay) : 0;
  const color = share >= 1 ? 'error' : share >= 0.75 ? 'warning' : 'primary';
  return (
    <SectionCard title="Use today" subtitle="Unattended calls this bank day (customer-present calls are not counted)" testId="consent-usage">
      <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 1, mb: 1 }}>
        <Mono sx={{ fontSize: 26, fontWeight: 700 }} data-testid="consent-used-today">
          {consent.usedToday}
        </Mono>
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          of {consent.frequencyPerDay} allowed per day
        </Typography>
      </Box>
      <LinearProgress variant="determinate" value={share * 100} color={color} sx={{ height: 8, borderRadius: 4 }} aria-label="Share of today's limit used" />
      <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block', mt: 1 }}>
        {consent.lastAccessAt ? `Last request ${formatEat(consent.lastAccessAt)}` : 'No request yet'}
        {share >= 1 ? ' · further unattended calls today are refused (429)' : ''}
      </Typography>
    </SectionCard>
  );
}

function window(from: string | null, to: string | null): string {
  if (!from && !to) return 'Any date';
  return `${from ? formatEat(from) : 'the beginning'} to ${to ? formatEat(to) : 'now'}`;
}

export function ConsentDetailPage() {
  const { id = '' } = useParams();
  const canRevoke = useCan('consent:revoke');
  const query = useApiQuery(
    `consent:${id}`,
    useCallback((signal: AbortSignal) => fetchConsent(id, signal), [id]),
  );
  useLiveRefresh(['consent.changed'], () => query.refetch({ silent: true }), { debounceMs: 200 });
  const [revoking, setRevoking] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const consent = query.data;

  if (query.error && !consent)
    return (
      <Page>
        <ErrorState error={query.error} onRetry={() => query.refetch()} title="Could not load the consent" />
      </Page>
    );
  if (!consent)
    return (
      <Page>
        <CardSkeleton lines={6} />
      </Page>
    );

  const ended = consent.status === 'Revoked' || consent.status === 'Rejected' || consent.status === 'Expired';
  return (
    <Page maxWidth={1400}>
      <Button component={RouterLink} to="/consents" size="small" startIcon={<ArrowBack fontSize="small" />} sx={{ mb: 1 }}>
        Consent register
      </Button>
      <PageHeader
        title={
          <Box component="span" sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
            <span data-testid="consent-title">
              {consent.customerName ?? 'Customer not yet known'} → {consent.appName}
            </span>
            <ConsentStatusChip status={consent.status} reason={consent.statusReason} testId="consent-status" />
          </Box>
        }
        subtitle={
          <>
            {consent.recurring ? 'Recurring' : 'One-off'} consent · created {formatEat(consent.createdAt)} ·{' '}
            <Mono variant="caption" component="span">
              {consent.id}
            </Mono>
          </>
        }
        actions={
          <>
            <RefreshButton onClick={() => query.refetch({ silent: true })} label="Refresh the consent" />
            {canRevoke && consent.status === 'Authorised' && (
              <Button variant="contained" color="error" startIcon={<BlockOutlined />} onClick={() => setRevoking(true)} data-testid="consent-revoke">
                Revoke
              </Button>
            )}
          </>
        }
      />
      {ended && (
        <Alert severity={consent.status === 'Expired' ? 'warning' : 'info'} sx={{ mb: 2 }} data-testid="consent-ended">
          {CONSENT_STATUS_LABELS[consent.status]} {formatEat(consent.status === 'Expired' && consent.expiresAt ? consent.expiresAt : consent.statusChangedAt)}
          {consent.status !== 'Expired' ? ` by ${consent.statusChangedByName}` : ''}
          {consent.statusReason ? ` — ${STATUS_REASON_LABELS[consent.statusReason]}` : ''}
          {consent.statusNote ? `: ${consent.statusNote}` : ''}. The app’s calls under it are refused.
        </Alert>
      )}
      {consent.appStatus === 'SUSPENDED' && !ended && (
        <Alert severity="warning" sx={{ mb: 2 }}>
          The app is suspended: its calls are refused until an administrator reinstates it.
        </Alert>
      )}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '3fr 2fr' }, gap: 2, mb: 2 }}>
        <SectionCard title="What the customer agreed to" testId="consent-facts">
          <Box sx={{ display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 2, rowGap: 0.75 }}>
            <Fact label="Customer">
              {consent.customerName ?? '—'}{' '}
              {consent.customerRef && (
                <Mono variant="body2" sx={{ color: 'text.secondary' }}>
                  ({consent.customerRef})
                </Mono>
              )}
            </Fact>
            <Fact label="App">
              <Link component={RouterLink} to={`/open-banking-apps/${consent.appId}`} underline="hover">
                {consent.appName}
              </Link>
              {consent.appStatus === 'SUSPENDED' ? ' (suspended)' : ''}
            </Fact>
            <Fact label="May" testId="consent-scopes">
              {consent.permissions.map((p) => (
                <Box key={p}>
                  {OB_SCOPE_LABELS[p]}{' '}
                  <Mono variant="caption" sx={{ color: 'text.secondary' }}>
                    {p}
                  </Mono>
                </Box>
              ))}
            </Fact>
            <Fact label="Accounts" testId="consent-accounts">
              {consent.accounts.length === 0
                ? 'None chosen yet'
                : consent.accounts.map((a) => (
                    <Box key={a.id}>
                      {a.name} <Mono sx={{ color: 'text.secondary' }}>{a.accountNumber}</Mono>
                    </Box>
                  ))}
            </Fact>
            <Fact label="Until" testId="consent-expiry">
              {consent.expiresAt ? formatEat(consent.expiresAt) : 'No expiry (until revoked)'}
            </Fact>
            <Fact label="Transactions">{window(consent.transactionFrom, consent.transactionTo)}</Fact>
            <Fact label="Daily limit">{consent.frequencyPerDay} unattended calls</Fact>
            <Fact label="Authorised">{consent.authorisedAt ? formatEat(consent.authorisedAt) : '—'}</Fact>
            <Fact label="Status changed">
              {formatEat(consent.statusChangedAt)}
              {` by ${consent.statusChangedByName}`}
            </Fact>
            <Fact label="Tenant">{consent.tenantId}</Fact>
          </Box>
        </SectionCard>
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, minWidth: 0 }}>
          <UsageCard consent={consent} />
        </Box>
      </Box>
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
        <ConsentAccessLog consentId={consent.id} />
        <WebhookDeliveriesCard consentId={consent.id} />
      </Box>
      <ConfirmDialog
        open={revoking}
        testId="consent-revoke-dialog"
        confirmTestId="consent-revoke-confirm"
        title={`Revoke this consent for ${consent.appName}?`}
        body={
          <>
            The app’s next call under this consent is refused (403), including with tokens it already holds; an app that subscribed is told by a signed{' '}
            <Mono variant="body2">consent.revoked</Mono> webhook. The customer would have to consent again. This cannot be undone.
          </>
        }
        reason={{
          label: 'Reason',
          minLength: 3,
          maxLength: 1000,
          testId: 'consent-revoke-reason',
          helper: 'Kept with the consent and in the audit log',
        }}
        confirmLabel="Revoke consent"
        confirmColor="error"
        onClose={() => setRevoking(false)}
        onConfirm={async (reason) => {
          try {
            await revokeConsent(consent.id, { reason: noteText(reason).trim(), expectedVersion: consent.version });
          } catch (caught) {
            throw editError(caught);
          }
          setNotice('Consent revoked: the app’s next call is refused');
          query.refetch({ silent: true });
        }}
      />
      <Snackbar open={!!notice} autoHideDuration={5000} onClose={() => setNotice(null)} message={notice} />
    </Page>
  );
}
