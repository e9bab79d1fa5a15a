// One risk (issue 13 "Screens"): its scores and levels (inherent, current, residual) with the
// residual explained by its controls, the status actions the machine allows, assessments with
// their frozen matrix levels, controls, KRIs with trends, events, treatments and acceptance.
import { useCallback, useState } from 'react';
import { Link as RouterLink, useNavigate, useParams } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Skeleton from '@mui/material/Skeleton';
import Snackbar from '@mui/material/Snackbar';
import Typography from '@mui/material/Typography';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import AssessmentOutlined from '@mui/icons-material/AssessmentOutlined';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import EditOutlined from '@mui/icons-material/EditOutlined';
import type { RiskStatus } from '../../../shared/src/risk-register.ts';
import { useCan, useSession } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { NotFoundPage } from '../app/guards.tsx';
import { ConfirmDialog } from '../decision-engine/ConfirmDialog.tsx';
import { formatEatMinutes } from '../lib/format.ts';
import { CardSkeleton, ErrorState, Page, SectionCard } from '../ui/layout.tsx';
import { Mono } from '../ui/values.tsx';
import { AcceptanceCard } from './AcceptanceCard.tsx';
import { AssessDialog } from './AssessDialog.tsx';
import { AssessmentHistoryCard } from './AssessmentHistoryCard.tsx';
import { LinkedControlsCard } from './LinkedControlsCard.tsx';
import { NoteActionDialog } from './NoteActionDialog.tsx';
import { usePeople } from './OwnerField.tsx';
import { ReviewDue } from './riskColumns.tsx';
import { RISK_STATUS_TONE, ToneChip } from './riskChips.tsx';
import { RiskEventsCard } from './RiskEventsCard.tsx';
import { RiskKrisCard } from './RiskKrisCard.tsx';
import { ResidualExplanationView, RiskScores } from './RiskScores.tsx';
import { editError } from './formErrors.ts';
import { NewRiskDialog } from './NewRiskDialog.tsx';
import { changeRiskStatus, deleteRisk, fetchAssessments, fetchMatrix, fetchRisk } from './risksApi.ts';
import { CATEGORY_LABELS, STATUS_ACTIONS, STATUS_LABELS } from './riskText.ts';
import { TreatmentsCard } from './TreatmentsCard.tsx';

function TextBlock({ label, text }: { label: string; text: string }) {
  if (!text) return null;
  return (
    <Box>
      <Typography variant="overline" sx={{ color: 'text.secondary' }}>
        {label}
      </Typography>
      <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {text}
      </Typography>
    </Box>
  );
}

export function RiskDetailPage() {
  const { id = '' } = useParams();
  const canManage = useCan('risk:manage');
  const [revision, setRevision] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [assessing, setAssessing] = useState(false);
  const [moving, setMoving] = useState<RiskStatus | null>(null);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const navigate = useNavigate();
  const session = useSession();
  const detailFetcher = useCallback((signal: AbortSignal) => fetchRisk(id, signal), [id]);
  const detail = useApiQuery(`risk:${id}:${revision}`, detailFetcher);
  const assessmentsFetcher = useCallback((signal: AbortSignal) => fetchAssessments(id, signal), [id]);
  const assessments = useApiQuery(`risk-assessments:${id}:${revision}`, assessmentsFetcher);
  const matrixFetcher = useCallback((signal: AbortSignal) => fetchMatrix(signal), []);
  const matrix = useApiQuery('risk-matrix', matrixFetcher);
  const data = detail.data;
  const [liveTick, setLiveTick] = useState(0);
  // A control test, a KRI breach or a colleague's edit changes what this page shows: refetch quietly.
  useLiveRefresh(
    ['register.changed', 'kri.changed', 'risk-event.changed'],
    () => {
      detail.refetch({ silent: true });
      assessments.refetch({ silent: true });
      setLiveTick((t) => t + 1);
    },
    { debounceMs: 300, minIntervalMs: 1500 },
  );
  const people = usePeople(data ? [{ id: data.risk.ownerId, name: data.risk.ownerName }] : [], data?.risk.tenantId);

  const changed = (message: string) => {
    setNotice(message);
    setRevision((r) => r + 1);
  };

  // A malformed id is a 400 from the contract: as far as the user is concerned, no such risk.
  if (!data && (detail.error?.status === 404 || detail.error?.status === 400)) return <NotFoundPage />;
  if (!data) {
    return (
      <Page maxWidth={1440}>
        {detail.error ? (
          <ErrorState error={detail.error} onRetry={() => detail.refetch()} title="Could not load the risk" />
        ) : (
          <>
            <Skeleton width={320} height={40} />
            <Skeleton variant="rounded" height={110} sx={{ my: 2 }} />
            <CardSkeleton lines={6} />
          </>
        )}
      </Page>
    );
  }
  const { risk } = data;
  // The scores read on the matrix they were scored on: the latest assessment's frozen copy.
  const scoredOn = assessments.data?.[0]?.matrix ?? matrix.data?.definition ?? null;

  return (
    <Page maxWidth={1440}>
      <Link component={RouterLink} to="/risks" underline="hover" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, fontSize: 13, mb: 1 }}>
        <ArrowBackIcon sx={{ fontSize: 16 }} /> Risk register
      </Link>
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 2, flexWrap: 'wrap', mb: 2 }} data-testid="risk-header">
        <Box sx={{ flex: 1, minWidth: 280 }}>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
            <Mono sx={{ fontWeight: 700, fontSize: 15 }}>{risk.reference}</Mono>
            <ToneChip label={STATUS_LABELS[risk.status]} tone={RISK_STATUS_TONE[risk.status] ?? 'neutral'} testId="risk-status" />
          </Box>
          <Typography variant="h3" component="h1" sx={{ mt: 0.5, overflowWrap: 'anywhere' }}>
            {risk.title}
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.5 }}>
            {CATEGORY_LABELS[risk.category]} · {risk.businessUnit} · {risk.tenantId} · owner {risk.ownerName}
            {risk.lastAssessedAt ? ` · assessed ${formatEatMinutes(risk.lastAssessedAt)}` : ''}
          </Typography>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 0.75 }}>
            <Typography variant="body2" sx={{ color: 'text.secondary' }}>
              Next review
            </Typography>
            <ReviewDue risk={risk} />
          </Box>
        </Box>
        {canManage && (
          <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', justifyContent: 'flex-end' }}>
            <Button size="small" variant="outlined" startIcon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="risk-edit">
              Edit
            </Button>
            <Button size="small" variant="outlined" color="error" startIcon={<DeleteOutlined />} onClick={() => setDeleting(true)} data-testid="risk-delete">
              Delete
            </Button>
            {risk.allowedTransitions
              .filter((s) => s !== 'ASSESSED' || risk.inherent)
              .map((s) => (
                <Button
                  key={s}
                  size="small"
                  variant="outlined"
                  color={s === 'CLOSED' ? 'error' : 'primary'}
                  onClick={() => setMoving(s)}
                  data-testid={`risk-move-${s}`}
                >
                  {STATUS_ACTIONS[s]}
                </Button>
              ))}
            {risk.status !== 'CLOSED' && (
              <Button
                variant="contained"
                startIcon={<AssessmentOutlined />}
                disabled={!matrix.data}
                onClick={() => setAssessing(true)}
                data-testid="risk-assess"
              >
                Record assessment
              </Button>
            )}
          </Box>
        )}
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'minmax(0, 1fr) 400px' }, gap: 2, alignItems: 'start' }}>
        <Box sx={{ display: 'grid', gap: 2, minWidth: 0 }}>
          <SectionCard title="Scores" subtitle={risk.matrixVersionNumber ? `Matrix v${risk.matrixVersionNumber}` : 'Not assessed yet'} testId="risk-scores">
            <RiskScores inherent={risk.inherent} current={risk.current} residual={risk.residual} matrix={scoredOn} />
            <Box sx={{ mt: 2 }}>
              <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
                Why the residual is what it is
              </Typography>
              <ResidualExplanationView explanation={risk.residualExplanation} />
            </Box>
          </SectionCard>
          <RiskKrisCard riskId={risk.id} revision={`${revision}.${liveTick}`} />
          <TreatmentsCard risk={risk} treatments={data.treatments} people={people} canManage={canManage} onChanged={changed} />
          <AssessmentHistoryCard assessments={assessments.data} error={assessments.error} onRetry={() => assessments.refetch()} />
        </Box>
        <Box sx={{ display: 'grid', gap: 2, minWidth: 0 }}>
          <LinkedControlsCard risk={risk} controls={data.controls} canManage={canManage} onChanged={changed} />
          <AcceptanceCard risk={risk} acceptances={data.acceptances} onChanged={changed} />
          <RiskEventsCard riskId={risk.id} revision={`${revision}.${liveTick}`} />
          {(risk.description || risk.causes || risk.consequences) && (
            <SectionCard title="About this risk">
              <Box sx={{ display: 'grid', gap: 1 }}>
                <TextBlock label="Description" text={risk.description} />
                <TextBlock label="Causes" text={risk.causes} />
                <TextBlock label="Consequences" text={risk.consequences} />
              </Box>
            </SectionCard>
          )}
        </Box>
      </Box>
      {assessing && matrix.data && (
        <AssessDialog
          risk={risk}
          matrix={matrix.data}
          onClose={() => setAssessing(false)}
          onSaved={(a) => {
            setAssessing(false);
            changed(`Assessed: inherent ${a.inherent.level.name} (${a.inherent.score}), residual ${a.residual.level.name} (${a.residual.score})`);
          }}
        />
      )}
      {moving && (
        <NoteActionDialog
          testId="risk-status-dialog"
          title={`${STATUS_ACTIONS[moving]}: ${risk.reference}`}
          confirm={STATUS_ACTIONS[moving]}
          danger={moving === 'CLOSED'}
          minNote={moving === 'CLOSED' ? 5 : 0}
          noteLabel={moving === 'CLOSED' ? 'Why the risk is closed' : 'Note'}
          onClose={() => setMoving(null)}
          onConfirm={async (note) => {
            await changeRiskStatus(risk.id, { status: moving, note, expectedVersion: risk.version });
            setMoving(null);
            changed(`${risk.reference} is ${STATUS_LABELS[moving].toLowerCase()}`);
          }}
        />
      )}
      {editing && (
        <NewRiskDialog
          risk={risk}
          tenants={session?.user.tenantIds ?? [risk.tenantId]}
          onClose={() => setEditing(false)}
          onCreated={(saved) => {
            setEditing(false);
            changed(`${saved.reference} saved`);
          }}
        />
      )}
      {/* Deleting is never the default: no autofocus, Enter does nothing, Cancel comes first. */}
      <ConfirmDialog
        open={deleting}
        testId="risk-delete-dialog"
        confirmTestId="risk-delete-confirm"
        title={`Delete ${risk.reference}?`}
        body={
          <>
            “{risk.title}” leaves the register, the heat map and every list. Its controls stay in the library; its assessments and history stay in the audit
            trail.
          </>
        }
        confirmLabel="Delete risk"
        confirmColor="error"
        onClose={() => setDeleting(false)}
        onConfirm={async () => {
          try {
            await deleteRisk(risk.id, risk.version);
          } catch (caught) {
            throw editError(caught);
          }
          navigate('/risks', { replace: true });
        }}
      />
      <Snackbar open={!!notice} autoHideDuration={5000} onClose={() => setNotice(null)} message={notice} />
    </Page>
  );
}
