// One alert (issue 15): what was found about whom, the detector's evidence, where it was routed and
// delivered, and the analyst's actions. It follows live changes ('alert.changed'), e.g. another
// analyst acknowledging it or the detector finding it again.
import { useCallback, useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import ArrowBack from '@mui/icons-material/ArrowBack';
import AssignmentIndOutlined from '@mui/icons-material/AssignmentIndOutlined';
import CheckCircleOutlined from '@mui/icons-material/CheckCircleOutlined';
import DoneAllOutlined from '@mui/icons-material/DoneAllOutlined';
import FolderOpenOutlined from '@mui/icons-material/FolderOpenOutlined';
import { PATTERN_FAMILY } from '../../../shared/src/alerts.ts';
import { type ApiError, toApiError } from '../api/client.ts';
import { useCan } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { NotFoundPage } from '../app/guards.tsx';
import { formatEat } from '../lib/format.ts';
import { CardSkeleton, ErrorState, Page, PageHeader, RefreshButton, SectionCard } from '../ui/layout.tsx';
import { Fact } from '../ui/Fact.tsx';
import { Assignee, Mono } from '../ui/values.tsx';
import { ENTITY_LABELS } from './alertColumns.tsx';
import { AlertEvidenceCard } from './AlertEvidenceCard.tsx';
import { AlertRoutesCard } from './AlertRoutesCard.tsx';
import { fetchAlert } from './alertsApi.ts';
import { AlertStatusChip, PATTERN_LABELS, RESOLUTION_LABELS, SeverityChip } from './alertWords.tsx';
import { useAlertActions } from './useAlertActions.tsx';

export function AlertDetailPage() {
  const { id = '' } = useParams();
  const canWork = useCan('alert:work');
  const canCases = useCan('case:read');
  const query = useApiQuery(
    `alert:${id}`,
    useCallback((signal: AbortSignal) => fetchAlert(id, signal), [id]),
  );
  useLiveRefresh(['alert.changed'], () => query.refetch({ silent: true }), { debounceMs: 200 });
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [acking, setAcking] = useState(false);
  const alert = query.data;
  const actions = useAlertActions(alert, () => query.refetch({ silent: true }));

  if (query.error && !alert) {
    if (query.error.status === 404) return <NotFoundPage />;
    return (
      <Page>
        <ErrorState error={query.error} onRetry={() => query.refetch()} title="Could not load the alert" />
      </Page>
    );
  }
  if (!alert)
    return (
      <Page>
        <CardSkeleton lines={6} />
      </Page>
    );

  const resolved = alert.status === 'RESOLVED';
  return (
    <Page maxWidth={1400}>
      <Box data-testid="alert-detail" data-alert-status={alert.status} data-alert-version={alert.version}>
        <Button component={RouterLink} to="/alerts" size="small" startIcon={<ArrowBack fontSize="small" />} sx={{ mb: 1 }}>
          Alerts
        </Button>
        <PageHeader
          title={
            <Box component="span" sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
              <SeverityChip severity={alert.severity} testId="alert-detail-severity" />
              <span data-testid="alert-title">{alert.title}</span>
              <AlertStatusChip status={alert.status} testId="alert-detail-status" />
            </Box>
          }
          subtitle={
            <>
              <Mono variant="body2" component="span" data-testid="alert-reference">
                {alert.reference}
              </Mono>{' '}
              · {PATTERN_LABELS[alert.pattern]} ({PATTERN_FAMILY[alert.pattern]}) · tenant {alert.tenantId}
            </>
          }
          actions={
            <>
              <RefreshButton onClick={() => query.refetch({ silent: true })} label="Refresh the alert" />
              {alert.caseId && canCases && (
                <Button
                  component={RouterLink}
                  to={`/cases/${alert.caseId}`}
                  variant="outlined"
                  startIcon={<FolderOpenOutlined />}
                  data-testid="alert-go-to-case"
                >
                  Case {alert.caseReference}
                </Button>
              )}
              {canWork && !resolved && (
                <>
                  {alert.status === 'OPEN' && (
                    <Button
                      variant="contained"
                      startIcon={<CheckCircleOutlined />}
                      disabled={acking}
                      data-testid="alert-acknowledge"
                      onClick={async () => {
                        setActionError(null);
                        setAcking(true);
                        try {
                          await actions.acknowledge();
                        } catch (caught) {
                          setActionError(toApiError(caught));
                        } finally {
                          setAcking(false);
                        }
                      }}
                    >
                      Acknowledge
                    </Button>
                  )}
                  <Button variant="outlined" startIcon={<AssignmentIndOutlined />} onClick={actions.assign} data-testid="alert-assign">
                    Assign
                  </Button>
                  {!alert.caseId && canCases && (
                    <Button variant="outlined" startIcon={<FolderOpenOutlined />} onClick={actions.openCase} data-testid="alert-open-case">
                      {actions.hasCase ? 'Open case' : 'Create case'}
                    </Button>
                  )}
                  <Button variant="outlined" color="success" startIcon={<DoneAllOutlined />} onClick={actions.resolve} data-testid="alert-resolve">
                    Resolve
                  </Button>
                </>
              )}
            </>
          }
        />
        {actionError && (
          <Alert severity="error" sx={{ mb: 2 }} onClose={() => setActionError(null)} data-testid="alert-action-error">
            {actionError.message}
          </Alert>
        )}
        {resolved && (
          <Alert severity="success" sx={{ mb: 2 }} data-testid="alert-resolved">
            Resolved {alert.resolvedAt ? formatEat(alert.resolvedAt) : ''}
            {alert.resolvedBy ? ` by ${alert.resolvedBy}` : ''}
            {alert.resolution ? ` — ${RESOLUTION_LABELS[alert.resolution]}` : ''}
            {alert.resolutionNote ? `: ${alert.resolutionNote}` : ''}
          </Alert>
        )}
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', xl: '2fr 3fr' }, gap: 2, mb: 2, alignItems: 'start' }}>
          <SectionCard title="The alert" testId="alert-facts">
            <Box sx={{ display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 2, rowGap: 0.75 }}>
              <Fact label="About">
                {ENTITY_LABELS[alert.entityType] ?? alert.entityType} <Mono variant="body2">{alert.entityId}</Mono>
              </Fact>
              <Fact label="Detected">{formatEat(alert.detectedAt)}</Fact>
              <Fact label="Seen" testId="alert-occurrences">
                {alert.occurrences === 1 ? 'once' : `${alert.occurrences} times`}, first {formatEat(alert.firstSeenAt)}
                {alert.occurrences > 1 ? `, last ${formatEat(alert.lastSeenAt)}` : ''}
              </Fact>
              <Fact label="Assignee" testId="alert-assignee">
                <Assignee name={alert.assigneeName} size={22} />
              </Fact>
              <Fact label="Acknowledged" testId="alert-acknowledged">
                {alert.acknowledgedAt ? `${formatEat(alert.acknowledgedAt)}${alert.acknowledgedBy ? ` by ${alert.acknowledgedBy}` : ''}` : 'Not yet'}
              </Fact>
              <Fact label="Escalation">
                {alert.escalationLevel === 0 ? 'First level' : `Level ${alert.escalationLevel}`}
                {alert.nextEscalationAt && alert.status === 'OPEN' ? ` · next ${formatEat(alert.nextEscalationAt)} unless acknowledged` : ''}
              </Fact>
              <Fact label="Case" testId="alert-case">
                {alert.caseId ? (
                  canCases ? (
                    <Link component={RouterLink} to={`/cases/${alert.caseId}`} underline="hover">
                      {alert.caseReference ?? 'Open the case'}
                    </Link>
                  ) : (
                    alert.caseReference
                  )
                ) : (
                  'None yet'
                )}
              </Fact>
              <Fact label="Raised">{formatEat(alert.createdAt)}</Fact>
            </Box>
          </SectionCard>
          <AlertRoutesCard routes={alert.routes} />
        </Box>
        <AlertEvidenceCard evidence={alert.evidence} />
      </Box>
      {actions.dialogs}
    </Page>
  );
}
