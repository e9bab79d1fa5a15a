import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Skeleton from '@mui/material/Skeleton';
import Snackbar from '@mui/material/Snackbar';
import RefreshIcon from '@mui/icons-material/Refresh';
import type { CaseSummary } from '../../../shared/src/cases.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { can, useSession } from '../api/session.ts';
import { useLiveEvent } from '../api/socket.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { CardSkeleton, ErrorState, Page } from '../ui/layout.tsx';
import { NotFoundPage } from '../app/guards.tsx';
import { closingDecision, linkedAssessments, openingAssessment } from './caseDetailModel.ts';
import { CaseHeader } from './CaseHeader.tsx';
import { addComment, claimCase, fetchCase, setCaseTags } from './casesApi.ts';
import { CustomerCard } from './CustomerCard.tsx';
import { DecisionPanel, type CaseDialog } from './DecisionPanel.tsx';
import { CASE_SHORTCUTS, useCaseKeys, type CaseKeyHandlers } from './detail/useCaseKeys.ts';
import { useQueueContext } from './detail/useQueueContext.ts';
import { ShortcutsDialog } from './workbench/ShortcutsDialog.tsx';
import { ApprovalBanner } from './detail/ApprovalBanner.tsx';
import { AttachmentsCard } from './detail/AttachmentsCard.tsx';
import type { CaseCommandRunner } from './detail/caseCommands.ts';
import { LinkedPaymentsCard } from './detail/LinkedPaymentsCard.tsx';
import { OutcomeBanner } from './OutcomeBanner.tsx';
import { PaymentCard } from './PaymentCard.tsx';
import { RiskFactorsCard } from './RiskFactorsCard.tsx';
import { TimelineCard } from './TimelineCard.tsx';
import { useSyncStatus } from '../sync/syncStatus.ts';

// The 360 panel brings ECharts with it; load it when someone opens it, not with every case.
const Customer360Panel = lazy(() => import('../customers/Customer360Panel.tsx').then((m) => ({ default: m.Customer360Panel })));

/** The service's reason as a sentence: capital first letter, closing full stop. */
function sentence(text: string): string {
  const t = text.trim();
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
}

type Notice = { severity: 'warning' | 'info' | 'success'; text: string; testId?: string } | null;

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
  const { status: syncStatus } = useSyncStatus();
  const [notice, setNotice] = useState<Notice>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [selectedPayment, setSelectedPayment] = useState<string | null>(null);
  const [show360, setShow360] = useState(false);
  const [dialog, setDialog] = useState<CaseDialog>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const navigate = useNavigate();
  const queue = useQueueContext(id);
  // Mounted on first open and kept, so the drawer can animate closed.
  const [mounted360, setMounted360] = useState(false);
  const fetcher = useCallback((signal: AbortSignal) => fetchCase(id, signal), [id]);
  const { data, error, loading, refetch } = useApiQuery(`case:${id}`, fetcher);
  // The state before our own command, to tell "sent for four-eyes" from a plain update.
  const shownState = data?.case.state;

  // biome-ignore lint/correctness/useExhaustiveDependencies: resets the page's local state when another case is opened (`id` changes).
  useEffect(() => {
    setConflict(null);
    setSelectedPayment(null);
    setShow360(false);
    setMounted360(false);
    setDialog(null);
  }, [id]);

  // The newest version our own commands produced: the live echo of our own change is not news.
  const ownVersion = useRef(0);
  const noticeTimer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(noticeTimer.current), []);

  // A colleague's claim, decision, comment or upload appears here without a reload.
  useLiveEvent('case.updated', (summary) => {
    if (summary.id !== id) return;
    if (data && summary.version > data.case.version && summary.state === 'CLOSED' && data.case.state !== 'CLOSED') {
      // The event can overtake the answer to our own request; wait a moment before calling it a colleague's.
      window.clearTimeout(noticeTimer.current);
      noticeTimer.current = window.setTimeout(() => {
        if (ownVersion.current < summary.version) setNotice({ severity: 'info', text: `${summary.reference} was just closed by a colleague.` });
      }, 1500);
    }
    refetch({ silent: true });
  });
  useLiveEvent('case.activity', (event) => {
    if (event.caseId === id) refetch({ silent: true });
  });
  useLiveEvent('resync', () => refetch({ silent: true }));

  const nextHref = queue.next?.href ?? null;
  const onChanged = useCallback(
    (updated: CaseSummary, success?: string, openNext = false) => {
      ownVersion.current = Math.max(ownVersion.current, updated.version);
      // "Decide and open next": the decision is saved; the queue's next case takes the screen. A
      // decision sent for four-eyes stays on screen, so the analyst sees it is not final yet.
      if (openNext && nextHref && updated.state !== 'AWAITING_APPROVAL') {
        const done = updated.state === 'CLOSED' ? (updated.outcome === 'BLOCKED' ? 'blocked' : 'approved') : 'escalated';
        setNotice({ severity: 'success', text: `${updated.reference} ${done} — here is the next case.` });
        navigate(nextHref);
        return;
      }
      // On a workstation without its hub the action is kept here and sent later: say so.
      const waiting = syncStatus?.mode === 'workstation' && !syncStatus.online ? ' on this workstation — it goes to the hub when the connection is back' : '';
      if (updated.state === 'AWAITING_APPROVAL' && shownState !== 'AWAITING_APPROVAL') {
        setNotice({ severity: 'info', text: waiting ? `Four-eyes request saved${waiting}` : 'Sent for four-eyes approval', testId: 'four-eyes-notice' });
      } else if (updated.state === 'CLOSED') {
        setNotice({ severity: 'success', text: `${updated.reference} ${updated.outcome === 'BLOCKED' ? 'blocked' : 'approved'}${waiting}.` });
      } else {
        const saved = success ?? `${updated.reference} updated.`;
        setNotice({ severity: 'success', text: waiting ? `${saved.replace(/\.$/, '')}${waiting}.` : saved });
      }
      setConflict(null);
      refetch({ silent: true });
    },
    [refetch, shownState, nextHref, navigate, syncStatus],
  );
  // A 409 is never retried or papered over: the service's reason stays on screen until the analyst reloads.
  const onConflict = useCallback((conflictError: ApiError) => setConflict(conflictError.message), []);
  const run = useCallback<CaseCommandRunner>(
    async (work, success) => {
      try {
        onChanged(await work(), success);
        return true;
      } catch (caught) {
        const apiError = toApiError(caught);
        if (apiError.status === 409) {
          onConflict(apiError);
          return false;
        }
        throw apiError;
      }
    },
    [onChanged, onConflict],
  );

  const allowedNow = data?.allowedActions ?? [];
  const keyHandlers: CaseKeyHandlers = {
    // Offered to those who may decide, on a case that is still open.
    decide:
      !can(session, 'case:decide') || data?.case.state === 'CLOSED'
        ? undefined
        : (action) => {
            const command = action === 'APPROVE' ? 'approve' : action === 'BLOCK' ? 'block' : 'escalate';
            if (allowedNow.includes(command)) setDialog(action);
            else if (data && allowedNow.includes('assign') && can(session, 'case:decide')) {
              // As in the queue: a case nobody owns is claimed first, then the decision dialog opens.
              const summary = data.case;
              void run(() => claimCase(summary.id, summary.version), `${summary.reference} is yours.`).then(
                (claimed) => claimed && setDialog(action),
                (caught: unknown) => setNotice({ severity: 'warning', text: `Could not claim ${summary.reference}: ${toApiError(caught).message}` }),
              );
            } else if (data)
              setNotice({
                severity: 'info',
                text: `${data.case.reference} cannot be ${command === 'escalate' ? 'escalated' : command === 'block' ? 'blocked' : 'approved'} by you now.`,
              });
          },
    hold: allowedNow.includes('request-info') ? () => setDialog('request-info') : undefined,
    note: allowedNow.includes('comment')
      ? () => {
          const input = document.querySelector<HTMLTextAreaElement>('[data-testid="comment-input"]');
          input?.scrollIntoView({ block: 'center' });
          input?.focus();
        }
      : undefined,
    next: queue.next ? () => navigate(queue.next!.href) : undefined,
    prev: queue.prev ? () => navigate(queue.prev!.href) : undefined,
    back: () => navigate(queue.queueHref),
    showHelp: () => setHelpOpen(true),
  };
  useCaseKeys(keyHandlers, { enabled: !!data && dialog === null && !helpOpen });

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
  const allowed = data.allowedActions;
  const opening = openingAssessment(data);
  const linked = linkedAssessments(data);
  const assessment = linked.find((a) => a.id === selectedPayment) ?? opening;
  const closed = summary.state === 'CLOSED';
  const gcid = summary.customerGcid;

  return (
    <Page maxWidth={1400}>
      <Box data-testid="case-detail" data-case-id={summary.id} data-case-version={summary.version} data-case-state={summary.state}>
        <CaseHeader
          summary={summary}
          queue={queue}
          onShowShortcuts={() => setHelpOpen(true)}
          tagsEditable={allowed.includes('tag')}
          onSaveTags={async (tags) => {
            await run(() => setCaseTags(summary.id, tags, summary.version), 'Tags saved.');
          }}
        />
        {conflict && (
          <Alert
            severity="warning"
            variant="outlined"
            data-testid="case-conflict"
            sx={{ mb: 2, alignItems: 'center', bgcolor: 'background.paper' }}
            action={
              <Button
                color="inherit"
                size="small"
                variant="outlined"
                startIcon={<RefreshIcon fontSize="small" />}
                onClick={() => {
                  setConflict(null);
                  refetch({ silent: true });
                }}
                data-testid="conflict-reload"
              >
                Reload
              </Button>
            }
          >
            <AlertTitle sx={{ mb: 0.25 }}>Your change was not saved</AlertTitle>
            {sentence(conflict)}
          </Alert>
        )}
        {error && (
          <Box sx={{ mb: 2 }}>
            <ErrorState error={error} onRetry={() => refetch()} title="Could not refresh this case" />
          </Box>
        )}
        {summary.state === 'AWAITING_APPROVAL' && (
          <ApprovalBanner summary={summary} viewerId={session.user.id} canDecide={allowed.includes('approval-decide')} run={run} />
        )}
        {closed && <OutcomeBanner summary={summary} decision={closingDecision(data, opening)} />}
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 1fr) 380px' }, gap: 2, alignItems: 'start' }}>
          <Box sx={{ display: 'grid', gap: 2, minWidth: 0 }}>
            {linked.length > 1 && assessment && (
              <LinkedPaymentsCard
                assessments={linked}
                selectedId={assessment.id}
                openingReference={summary.transactionReference}
                totalKes={summary.totalAmountKes}
                onSelect={setSelectedPayment}
              />
            )}
            {assessment ? (
              <>
                <RiskFactorsCard assessment={assessment} />
                <PaymentCard assessment={assessment} />
              </>
            ) : (
              <Alert severity="warning">The assessment behind this case is not available.</Alert>
            )}
            <TimelineCard
              entries={data.timeline}
              comments={data.comments}
              canComment={allowed.includes('comment')}
              onAddComment={async (body) => {
                await addComment(summary.id, body);
                refetch({ silent: true });
              }}
            />
          </Box>
          <Box sx={{ display: 'grid', gap: 2, minWidth: 0, alignContent: 'start' }}>
            {!closed && (
              <DecisionPanel
                summary={summary}
                allowed={allowed}
                session={session}
                canSupervise={can(session, 'case:supervise')}
                run={run}
                onChanged={(updated, openNext) => onChanged(updated, undefined, openNext)}
                onConflict={onConflict}
                dialog={dialog}
                onDialog={setDialog}
                nextAvailable={!!queue.next}
              />
            )}
            <CustomerCard
              customer={data.customer}
              customerRef={summary.customerRef}
              risk={data.customerRisk}
              onOpen360={
                gcid && can(session, 'customer:read')
                  ? () => {
                      setMounted360(true);
                      setShow360(true);
                    }
                  : undefined
              }
            />
            <AttachmentsCard
              caseId={summary.id}
              attachments={data.attachments}
              canAttach={allowed.includes('attach')}
              onUploaded={(attachment) => {
                setNotice({ severity: 'success', text: `${attachment.fileName} attached.` });
                refetch({ silent: true });
              }}
            />
          </Box>
        </Box>
      </Box>
      {gcid && mounted360 && (
        <Suspense fallback={null}>
          <Customer360Panel gcid={gcid} open={show360} onClose={() => setShow360(false)} currentCaseId={summary.id} />
        </Suspense>
      )}
      <ShortcutsDialog
        open={helpOpen}
        onClose={() => setHelpOpen(false)}
        available={{ select: false, claimNext: false, decide: true }}
        shortcuts={CASE_SHORTCUTS.filter((s) => !s.handler || !!keyHandlers[s.handler])}
        testId="case-shortcuts-dialog"
      />
      <Snackbar open={!!notice} autoHideDuration={6000} onClose={() => setNotice(null)} anchorOrigin={{ vertical: 'top', horizontal: 'center' }}>
        {notice ? (
          <Alert severity={notice.severity} variant="filled" onClose={() => setNotice(null)} data-testid={notice.testId ?? 'case-notice'} sx={{ boxShadow: 3 }}>
            {notice.text}
          </Alert>
        ) : undefined}
      </Snackbar>
    </Page>
  );
}
