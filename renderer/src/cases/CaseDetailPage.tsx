import { useCallback, useState } from 'react';
import { useParams } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Skeleton from '@mui/material/Skeleton';
import Snackbar from '@mui/material/Snackbar';
import type { CaseSummary } from '../../../shared/src/cases.ts';
import { useSession } from '../api/session.ts';
import { useLiveEvent } from '../api/socket.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { CardSkeleton, ErrorState, Page } from '../ui/layout.tsx';
import { NotFoundPage } from '../app/guards.tsx';
import { closingDecision, openingAssessment } from './caseDetailModel.ts';
import { CaseHeader } from './CaseHeader.tsx';
import { fetchCase } from './casesApi.ts';
import { CustomerCard } from './CustomerCard.tsx';
import { DecisionPanel } from './DecisionPanel.tsx';
import { OutcomeBanner } from './OutcomeBanner.tsx';
import { PaymentCard } from './PaymentCard.tsx';
import { RiskFactorsCard } from './RiskFactorsCard.tsx';
import { TimelineCard } from './TimelineCard.tsx';

type Notice = { severity: 'warning' | 'info' | 'success'; text: string } | null;

function DetailSkeleton() {
  return (
    <Page maxWidth={1400}>
      <Skeleton width={120} height={20} />
      <Skeleton width={320} height={40} />
      <Skeleton variant="rounded" height={64} sx={{ mt: 1.5, mb: 2 }} />
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 1fr) 380px' }, gap: 2 }}>
        <Box sx={{ display: 'grid', gap: 2 }}>
          <CardSkeleton lines={6} />
          <CardSkeleton lines={8} />
        </Box>
        <Box sx={{ display: 'grid', gap: 2, alignContent: 'start' }}>
          <CardSkeleton lines={3} />
          <CardSkeleton lines={6} />
        </Box>
      </Box>
    </Page>
  );
}

export function CaseDetailPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const [notice, setNotice] = useState<Notice>(null);
  const fetcher = useCallback((signal: AbortSignal) => fetchCase(id, signal), [id]);
  const { data, error, loading, refetch } = useApiQuery(`case:${id}`, fetcher);

  // A colleague's claim or decision on this case appears here without a reload.
  useLiveEvent('case.updated', (summary) => {
    if (summary.id !== id) return;
    if (data && summary.version > data.case.version && summary.state === 'CLOSED' && data.case.state !== 'CLOSED') {
      setNotice({ severity: 'info', text: `${summary.reference} was just closed by a colleague.` });
    }
    refetch({ silent: true });
  });
  useLiveEvent('resync', () => refetch({ silent: true }));

  const onChanged = useCallback(
    (updated: CaseSummary) => {
      setNotice(
        updated.state === 'CLOSED'
          ? { severity: 'success', text: `${updated.reference} ${updated.outcome === 'BLOCKED' ? 'blocked' : 'approved'}.` }
          : { severity: 'success', text: `${updated.reference} updated.` },
      );
      refetch({ silent: true });
    },
    [refetch],
  );
  const onConflict = useCallback(() => {
    setNotice({ severity: 'warning', text: 'This case was changed by someone else — reloaded' });
    refetch({ silent: true });
  }, [refetch]);

  if (loading && !data) return <DetailSkeleton />;
  if (error && !data) {
    if (error.status === 404) return <NotFoundPage />;
    return (
      <Page>
        <ErrorState error={error} onRetry={() => refetch()} title="Could not load this case" />
      </Page>
    );
  }
  if (!data || !session) return null;

  const summary = data.case;
  const assessment = openingAssessment(data);
  const closed = summary.state === 'CLOSED';
  const canDecide = session.user.permissions.includes('case:decide') || session.user.permissions.includes('case:work');

  return (
    <Page maxWidth={1400}>
      <Box data-testid="case-detail" data-case-id={summary.id} data-case-version={summary.version}>
        <CaseHeader summary={summary} />
        {error && (
          <Box sx={{ mb: 2 }}>
            <ErrorState error={error} onRetry={() => refetch()} title="Could not refresh this case" />
          </Box>
        )}
        {closed && <OutcomeBanner summary={summary} decision={closingDecision(data, assessment)} />}
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 1fr) 380px' }, gap: 2, alignItems: 'start' }}>
          <Box sx={{ display: 'grid', gap: 2, minWidth: 0 }}>
            {assessment ? (
              <>
                <RiskFactorsCard assessment={assessment} />
                <PaymentCard assessment={assessment} />
              </>
            ) : (
              <Alert severity="warning">The assessment behind this case is not available.</Alert>
            )}
            <TimelineCard entries={data.timeline} />
          </Box>
          <Box sx={{ display: 'grid', gap: 2, minWidth: 0, position: { lg: 'sticky' }, top: { lg: 16 } }}>
            {!closed && canDecide && <DecisionPanel summary={summary} session={session} onChanged={onChanged} onConflict={onConflict} />}
            <CustomerCard customer={data.customer} customerRef={summary.customerRef} />
          </Box>
        </Box>
      </Box>
      <Snackbar open={!!notice} autoHideDuration={6000} onClose={() => setNotice(null)} anchorOrigin={{ vertical: 'top', horizontal: 'center' }}>
        {notice ? (
          <Alert severity={notice.severity} variant="filled" onClose={() => setNotice(null)} data-testid="case-notice" sx={{ boxShadow: 3 }}>
            {notice.text}
          </Alert>
        ) : undefined}
      </Snackbar>
    </Page>
  );
}
