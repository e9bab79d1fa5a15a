// One assessment in full: outcome, the configuration chosen and why, every rule's outcome,
// contribution and evaluation time, what the bank engine contributed, processing times and
// history — with Retry / Cancel (assessment:manage) and a manual decision (case:decide).
import { formatProcessingMs } from './assessmentColumns.tsx';
import { useCallback, useState, type HTMLAttributes, type ReactNode } from 'react';
import { Link as RouterLink } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import Collapse from '@mui/material/Collapse';
import Divider from '@mui/material/Divider';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import CloseIcon from '@mui/icons-material/Close';
import GavelOutlined from '@mui/icons-material/GavelOutlined';
import OpenInNew from '@mui/icons-material/OpenInNew';
import ReplayOutlined from '@mui/icons-material/ReplayOutlined';
import BlockOutlined from '@mui/icons-material/BlockOutlined';
import { Decision, type Assessment, type EngineContribution, type RiskFactor } from '../../../../shared/src/assessments.ts';
import { toApiError, type ApiError } from '../../api/client.ts';
import { useCan } from '../../api/session.ts';
import { useLiveEvent } from '../../api/socket.ts';
import { useApiQuery } from '../../api/useApiQuery.ts';
import { countryName, formatEat, humanise, scorePoints } from '../../lib/format.ts';
import { explainRiskScore } from '../../../../shared/src/risk-score.ts';
import { DECISION_LABELS, RiskChip, RuleOutcomeChip, softChipSx, TagChip } from '../../ui/chips.tsx';
import { Field, Mono, Money, ScoreBar } from '../../ui/values.tsx';
import { ConfirmDialog } from '../ConfirmDialog.tsx';
import { JsonBlock } from '../configurations/BankApiTestPanel.tsx';
import { cancelAssessment, fetchAssessment, retryAssessment } from '../decisionEngineApi.ts';
import { decidePayment, PaymentDecisionHint, usePaymentDecisionRules } from '../../cases/PaymentDecision.tsx';
import { AssessmentStatusChip } from '../engineChips.tsx';
import { DecisionTrail } from './assessmentColumns.tsx';

const RETRYABLE = new Set(['FAILED', 'ERROR', 'TIMEOUT']);
const CANCELLABLE = new Set(['PENDING', 'IN_PROGRESS', 'FAILED', 'ERROR', 'TIMEOUT']);

function Block({ title, action, children, testId }: { title: string; action?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Box component="section" data-testid={testId} sx={{ px: 2.5, py: 2, borderTop: 1, borderColor: 'divider' }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1.25 }}>
        <Typography variant="overline" sx={{ color: 'text.secondary', flex: 1, lineHeight: 1.4 }}>
          {title}
        </Typography>
        {action}
      </Box>
      {children}
    </Box>
  );
}

/** Whole points, as the case page shows them (shared/src/risk-score.ts: one explanation of the score). */
function points(pointsOfRule: number | undefined): string {
  return `+${pointsOfRule ?? 0}`;
}

function micros(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(value >= 10_000 ? 0 : 1)} ms` : `${Math.round(value)} µs`;
}

/** Every rule in evaluation order: outcome, share of the score, explanation and time taken. */
function RuleLog({ assessment }: { assessment: Assessment }) {
  const theme = useTheme();
  const factors: readonly RiskFactor[] = assessment.riskFactors;
  const explained = explainRiskScore(assessment);
  const pointsOf = new Map(explained.rules.map((r) => [r.ruleId, r.points]));
  const total = factors.reduce((sum, f) => sum + Math.max(0, f.contribution), 0);
  const totalMicros = factors.reduce((sum, f) => sum + f.evaluationMicros, 0);
  if (factors.length === 0) {
    return (
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        No rules were evaluated.
      </Typography>
    );
  }
  return (
    <Box>
      <Box
        sx={{
          display: 'grid',
          gridTemplateColumns: 'minmax(0, 1fr) 64px 120px 64px',
          gap: 1,
          px: 0.5,
          pb: 0.5,
          color: 'text.secondary',
          fontSize: 11,
          fontWeight: 600,
        }}
      >
        <span>Rule</span>
        <span>Outcome</span>
        <span>Contribution</span>
        <Box component="span" sx={{ textAlign: 'right' }}>
          Time
        </Box>
      </Box>
      {factors.map((factor) => {
        const colour = factor.outcome === 'ERROR' ? theme.palette.status.warning : theme.palette.risk.HIGH;
        const share = total > 0 ? Math.min(100, (factor.contribution / total) * 100) : 0;
        const quiet = factor.outcome === 'NO_HIT' || factor.outcome === 'SKIPPED' || factor.outcome === 'NOT_EVALUATED';
        return (
          <Box
            key={factor.ruleId}
            data-testid="rule-log-row"
            data-rule-id={factor.ruleId}
            data-outcome={factor.outcome}
            sx={{
              display: 'grid',
              gridTemplateColumns: 'minmax(0, 1fr) 64px 120px 64px',
              gap: 1,
              alignItems: 'start',
              px: 0.5,
              py: 0.875,
              borderTop: 1,
              borderColor: 'divider',
            }}
          >
            <Box sx={{ minWidth: 0 }}>
              <Typography variant="body2" sx={{ fontWeight: quiet ? 500 : 650, color: quiet ? 'text.secondary' : 'text.primary' }} noWrap title={factor.ruleId}>
                {factor.name}{' '}
                <Typography component="span" variant="caption" sx={{ color: 'text.disabled' }}>
                  · {humanise(factor.family)}
                </Typography>
              </Typography>
              <Typography variant="caption" component="div" sx={{ color: 'text.secondary', lineHeight: 1.35 }}>
                {factor.explanation}
              </Typography>
            </Box>
            <Box sx={{ pt: 0.25 }}>
              <RuleOutcomeChip outcome={factor.outcome} />
            </Box>
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, pt: 0.5 }}>
              <Box sx={{ flex: 1, height: 6, borderRadius: 3, bgcolor: quiet ? 'action.hover' : alpha(colour, 0.14), overflow: 'hidden' }}>
                <Box sx={{ width: `${Math.max(share, factor.contribution > 0 ? 2 : 0)}%`, height: '100%', bgcolor: colour }} />
              </Box>
              <Mono sx={{ fontSize: 11.5, width: 34, textAlign: 'right', color: factor.contribution > 0 ? 'text.primary' : 'text.disabled' }}>
                {factor.contribution > 0 ? points(pointsOf.get(factor.ruleId)) : '+0'}
              </Mono>
            </Box>
            <Mono sx={{ fontSize: 11.5, textAlign: 'right', color: 'text.secondary', pt: 0.25 }}>
              {factor.outcome === 'SKIPPED' ? '—' : micros(factor.evaluationMicros)}
            </Mono>
          </Box>
        );
      })}
      {assessment.riskScore !== null && (
        <Typography variant="caption" component="p" sx={{ px: 0.5, pt: 1, borderTop: 2, borderColor: 'divider' }} data-testid="score-summary">
          {explained.summary}
        </Typography>
      )}
      <Box sx={{ display: 'flex', justifyContent: 'space-between', px: 0.5, pt: 1, borderTop: 2, borderColor: 'divider' }}>
        <Typography variant="caption" sx={{ color: 'text.secondary' }}>
          {factors.filter((f) => f.outcome === 'HIT').length} {factors.filter((f) => f.outcome === 'HIT').length === 1 ? 'hit' : 'hits'} ·{' '}
          {factors.filter((f) => f.outcome === 'SKIPPED').length} skipped ·{' '}
          {factors.filter((f) => f.outcome === 'NOT_EVALUATED').length > 0
            ? `${factors.filter((f) => f.outcome === 'NOT_EVALUATED').length} not evaluated · `
            : ''}
          {factors.filter((f) => f.outcome === 'ERROR').length} errors
        </Typography>
        <Mono sx={{ fontSize: 11.5, color: 'text.secondary' }}>Σ {micros(totalMicros)}</Mono>
      </Box>
    </Box>
  );
}

function EngineOutcomeChip({ outcome }: { outcome: EngineContribution['outcome'] }) {
  const theme = useTheme();
  const colour =
    outcome === 'ANSWERED'
      ? theme.palette.status.success
      : outcome === 'NOT_CALLED'
        ? theme.palette.status.neutral
        : outcome === 'BREAKER_OPEN'
          ? theme.palette.status.warning
          : theme.palette.status.danger;
  return <Chip label={humanise(outcome)} data-engine-outcome={outcome} sx={softChipSx(colour, theme)} />;
}

function EngineBlock({ assessment }: { assessment: Assessment }) {
  const engine = assessment.assessmentDetails?.engine ?? null;
  const [showExchange, setShowExchange] = useState(false);
  const hasExchange = assessment.externalApiRequest !== null || assessment.externalApiResponse !== null;
  if (!engine) {
    return (
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        No bank fraud engine is configured for the configuration that scored this payment.
      </Typography>
    );
  }
  return (
    <Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
        <Typography variant="body2" sx={{ fontWeight: 600 }}>
          {engine.name}
        </Typography>
        <EngineOutcomeChip outcome={engine.outcome} />
        {engine.fallback && <Chip size="small" label={`Fallback: ${humanise(engine.fallback)}`} variant="outlined" />}
      </Box>
      <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1.25 }}>
        {engine.detail}
      </Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: 1.5 }}>
        <Field label="Engine score" mono>
          {engine.score === null ? null : engine.score.toFixed(3)}
        </Field>
        <Field label="Engine decision">{engine.decision ? DECISION_LABELS[engine.decision] : null}</Field>
        <Field label="Combination">{engine.combination ? humanise(engine.combination) : null}</Field>
        <Field label="Attempts" mono>
          {String(engine.attempts)}
        </Field>
        <Field label="Response time" mono>
          {engine.responseTimeMs === null ? null : `${Math.round(engine.responseTimeMs)} ms`}
        </Field>
        <Field label="Reason">{engine.reason}</Field>
      </Box>
      {hasExchange && (
        <>
          <Button size="small" onClick={() => setShowExchange((v) => !v)} sx={{ mt: 1, ml: -1 }}>
            {showExchange ? 'Hide' : 'Show'} request and response
          </Button>
          <Collapse in={showExchange} unmountOnExit>
            <Box sx={{ display: 'grid', gap: 1 }}>
              <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                Request
              </Typography>
              <JsonBlock value={assessment.externalApiRequest} />
              <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                Response
              </Typography>
              <JsonBlock value={assessment.externalApiResponse} />
            </Box>
          </Collapse>
        </>
      )}
    </Box>
  );
}

export function AssessmentDrawer({ initial, onClose, onChanged }: { initial: Assessment; onClose: () => void; onChanged: (assessment: Assessment) => void }) {
  const canManage = useCan('assessment:manage');
  const canDecide = useCan('case:decide');
  const canReadCases = useCan('case:read');
  const canReadConfigs = useCan('configuration:read');
  const fetcher = useCallback((signal: AbortSignal) => fetchAssessment(initial.id, signal), [initial.id]);
  const { data, error, fetching, refetch } = useApiQuery(`assessment:${initial.id}`, fetcher);
  const assessment = data ?? initial;
  const [dialog, setDialog] = useState<'cancel' | 'decide' | null>(null);
  const [decision, setDecision] = useState<Decision>('APPROVE');
  const [retrying, setRetrying] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Issue 10 item 5: an open case decides the payment; otherwise the same four-eyes limits apply.
  const decisionRules = usePaymentDecisionRules(assessment, canDecide && assessment.status === 'COMPLETED');

  useLiveEvent('assessment.updated', (event) => {
    if (event.id === initial.id) refetch({ silent: true });
  });

  const changed = (updated: Assessment, text: string) => {
    setNotice(text);
    setActionError(null);
    onChanged(updated);
    refetch({ silent: true });
  };

  const retry = async () => {
    setRetrying(true);
    setActionError(null);
    try {
      changed(await retryAssessment(assessment.id), 'Assessment retried.');
    } catch (caught) {
      setActionError(toApiError(caught));
    } finally {
      setRetrying(false);
    }
  };

  const details = assessment.assessmentDetails;
  const choice = details?.configuration ?? null;
  const payment = assessment.payment;

  return (
    <Drawer
      anchor="right"
      open
      onClose={onClose}
      slotProps={{ paper: { sx: { width: { xs: '100%', sm: 640 }, borderLeft: 1, borderColor: 'divider' } } }}
      data-testid="assessment-drawer"
    >
      <Box sx={{ px: 2.5, pt: 2, pb: 1.5, position: 'sticky', top: 0, bgcolor: 'background.paper', zIndex: 1 }}>
        <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1 }}>
          <Box sx={{ flex: 1, minWidth: 0 }}>
            <Typography variant="caption" sx={{ color: 'text.secondary' }}>
              Assessment <Mono sx={{ fontSize: 12 }}>{assessment.assessmentId}</Mono>
            </Typography>
            <Typography variant="h5" component="h2" sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
              <Mono sx={{ fontSize: 16, fontWeight: 650 }}>{assessment.transactionReference}</Mono>
              <AssessmentStatusChip status={assessment.status} />
              {fetching && <CircularProgress size={14} />}
            </Typography>
            <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.25 }}>
              <Money amount={payment.amountKes} sx={{ fontWeight: 600, color: 'text.primary' }} />
              {payment.currency !== 'KES' && (
                <>
                  {' '}
                  ({payment.currency} {payment.amount.toLocaleString('en-KE')})
                </>
              )}{' '}
              · {payment.channel} · {countryName(payment.country)} · {formatEat(assessment.createdAt)}
            </Typography>
          </Box>
          <IconButton onClick={onClose} aria-label="Close" size="small">
            <CloseIcon fontSize="small" />
          </IconButton>
        </Box>
        {(canManage || canDecide || (assessment.caseId && canReadCases)) && (
          <Box sx={{ display: 'flex', gap: 1, mt: 1.5, flexWrap: 'wrap' }}>
            {canManage && RETRYABLE.has(assessment.status) && (
              <Button
                size="small"
                variant="contained"
                onClick={retry}
                disabled={retrying}
                startIcon={retrying ? <CircularProgress size={14} color="inherit" /> : <ReplayOutlined fontSize="small" />}
                data-testid="assessment-retry"
              >
                Retry
              </Button>
            )}
            {canManage && CANCELLABLE.has(assessment.status) && (
              <Button
                size="small"
                variant="outlined"
                color="error"
                onClick={() => setDialog('cancel')}
                startIcon={<BlockOutlined fontSize="small" />}
                data-testid="assessment-cancel"
              >
                Cancel
              </Button>
            )}
            {canDecide && assessment.status === 'COMPLETED' && !decisionRules.openCase && (
              <Button
                size="small"
                variant="outlined"
                onClick={() => setDialog('decide')}
                startIcon={<GavelOutlined fontSize="small" />}
                data-testid="assessment-decide"
              >
                Manual decision
              </Button>
            )}
            {assessment.caseId && canReadCases && (
              <Button
                size="small"
                component={RouterLink}
                to={`/cases/${assessment.caseId}`}
                endIcon={<OpenInNew fontSize="small" />}
                data-testid="assessment-open-case"
              >
                Open case
              </Button>
            )}
          </Box>
        )}
        {canDecide && decisionRules.openCase && (
          <Typography variant="caption" component="p" sx={{ color: 'text.secondary', mt: 1 }} data-testid="assessment-decided-in-case">
            Decided in case {decisionRules.openCase.reference} ({humanise(decisionRules.openCase.state)}): open the case to decide it.
          </Typography>
        )}
        {(actionError || error) && (
          <Alert severity="error" sx={{ mt: 1.5 }}>
            {(actionError ?? error)?.message}
          </Alert>
        )}
        {notice && (
          <Alert severity="success" sx={{ mt: 1.5 }} onClose={() => setNotice(null)}>
            {notice}
          </Alert>
        )}
      </Box>

      <Block title="Outcome" testId="assessment-outcome">
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap', mb: 1 }}>
          {assessment.riskScore !== null && <ScoreBar points={scorePoints(assessment.riskScore)} width={80} />}
          {assessment.riskLevel && <RiskChip level={assessment.riskLevel} />}
          <DecisionTrail assessment={assessment} />
        </Box>
        <Typography variant="body2">{assessment.engineDecisionReason || assessment.decisionReason}</Typography>
        {details && (
          <Typography variant="caption" component="p" sx={{ color: 'text.secondary', mt: 0.5 }}>
            Decided by: {details.decisionSource}
          </Typography>
        )}
        {assessment.manualDecision && (
          <Alert severity="info" variant="outlined" sx={{ mt: 1.25 }}>
            Analyst decision <strong>{DECISION_LABELS[assessment.manualDecision.decision]}</strong> by {assessment.manualDecision.decidedBy},{' '}
            {formatEat(assessment.manualDecision.decidedAt)} — {assessment.manualDecision.reason}
          </Alert>
        )}
        {assessment.errorMessage && (
          <Alert severity="error" variant="outlined" sx={{ mt: 1.25 }}>
            {assessment.errorMessage}
          </Alert>
        )}
      </Block>

      <Block
        title="Configuration"
        testId="assessment-configuration"
        action={
          choice?.configurationId &&
          canReadConfigs && (
            <Button
              size="small"
              component={RouterLink}
              to={`/decision-engine/configurations/${choice.configurationId}${choice.versionNumber ? `?version=${choice.versionNumber}` : ''}`}
            >
              View version
            </Button>
          )
        }
      >
        {choice ? (
          <>
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 0.5 }}>
              <Typography variant="body2" sx={{ fontWeight: 650 }}>
                {choice.configurationName}
              </Typography>
              {choice.version && <Mono sx={{ fontSize: 12, color: 'text.secondary' }}>v{choice.version}</Mono>}
              <Tooltip title="How many scope fields matched (tenant, payment type, instrument, clearing system, source)">
                <Chip size="small" variant="outlined" label={`Specificity ${choice.specificity}`} />
              </Tooltip>
              {choice.priority !== null && <Chip size="small" variant="outlined" label={`Priority ${choice.priority}`} />}
            </Box>
            <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="configuration-reason">
              {choice.reason}
            </Typography>
            {choice.alsoMatched.length > 0 && (
              <Box sx={{ mt: 1 }}>
                <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                  Also matched, in the order they lost:
                </Typography>
                {choice.alsoMatched.map((other) => (
                  <Typography key={other.configurationId} variant="body2" sx={{ pl: 1 }}>
                    · {other.configurationName}{' '}
                    <Typography component="span" variant="caption" sx={{ color: 'text.secondary' }}>
                      (specificity {other.specificity}, priority {other.priority})
                    </Typography>
                  </Typography>
                ))}
              </Box>
            )}
          </>
        ) : (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {assessment.configurationVersion ? `Version ${assessment.configurationVersion}` : 'Not recorded for this assessment.'}
          </Typography>
        )}
      </Block>

      <Block
        title={`Rules (${assessment.riskFactors.length})`}
        testId="assessment-rule-log"
        action={details?.shortCircuited ? <TagChip label="Short-circuited" /> : undefined}
      >
        <RuleLog assessment={assessment} />
      </Block>

      <Block title="Bank fraud engine" testId="assessment-engine">
        <EngineBlock assessment={assessment} />
      </Block>

      <Block title="Processing" testId="assessment-processing">
        <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: 1.5 }}>
          <Field label="Total processing" mono>
            {assessment.processingTimeMs === null ? null : formatProcessingMs(assessment.processingTimeMs)}
          </Field>
          <Field label="Engine response" mono>
            {assessment.externalApiResponseTimeMs === null ? null : `${Math.round(assessment.externalApiResponseTimeMs)} ms`}
          </Field>
          <Field label="Retries" mono>
            {String(assessment.retryCount)}
          </Field>
          <Field label="Local rules score" mono>
            {details ? `${details.localScore.toFixed(3)} (${humanise(details.localRiskLevel)})` : null}
          </Field>
          <Field label="Anomaly score" mono>
            {details?.anomalyScore === null || details?.anomalyScore === undefined ? null : details.anomalyScore.toFixed(3)}
          </Field>
          <Field label="Thresholds" mono>
            {details ? `${details.thresholds.medium} / ${details.thresholds.high} / ${details.thresholds.critical}` : null}
          </Field>
          <Field label="Assessed">{assessment.assessedAt ? formatEat(assessment.assessedAt) : null}</Field>
          <Field label="Type">{humanise(assessment.riskAssessmentType)}</Field>
          <Field label="Tenant" mono>
            {assessment.tenantId}
          </Field>
          <Field label="Payment type" mono>
            {[assessment.paymentType, assessment.localInstrumentationCode, assessment.clearingSystemCode].filter(Boolean).join(' · ')}
          </Field>
          <Field label="Customer" mono>
            {payment.customerId}
          </Field>
          <Field label="Source">{humanise(assessment.paymentSource)}</Field>
        </Box>
      </Block>

      <Block title="History" testId="assessment-history">
        {details && details.history.length > 0 ? (
          <Box component="ol" sx={{ m: 0, p: 0, listStyle: 'none' }}>
            {[...details.history].reverse().map((entry, i) => (
              <Box
                component="li"
                key={`${entry.at}-${i}`}
                sx={{ display: 'grid', gridTemplateColumns: '150px minmax(0, 1fr)', gap: 1.5, py: 0.75, borderTop: i ? 1 : 0, borderColor: 'divider' }}
              >
                <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                  {formatEat(entry.at)}
                </Typography>
                <Box>
                  <Typography variant="body2" sx={{ fontWeight: 600 }}>
                    {humanise(entry.action)}{' '}
                    <Typography component="span" variant="caption" sx={{ color: 'text.secondary' }}>
                      by {entry.by}
                    </Typography>
                  </Typography>
                  {entry.note && (
                    <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                      {entry.note}
                    </Typography>
                  )}
                </Box>
              </Box>
            ))}
          </Box>
        ) : (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            Scored {formatEat(assessment.createdAt)}; no later changes.
          </Typography>
        )}
      </Block>
      <Divider />

      <ConfirmDialog
        open={dialog === 'cancel'}
        title={`Cancel assessment ${assessment.assessmentId}?`}
        body="A cancelled assessment is not scored or retried. The payment engine is told the assessment was cancelled."
        confirmLabel="Cancel assessment"
        confirmColor="error"
        reason={{ label: 'Reason', minLength: 3, maxLength: 500, testId: 'cancel-reason' }}
        confirmTestId="cancel-confirm"
        onClose={() => setDialog(null)}
        onConfirm={async (reason) => changed(await cancelAssessment(assessment.id, reason), 'Assessment cancelled.')}
      />
      <ConfirmDialog
        open={dialog === 'decide'}
        title="Manual decision"
        body={`Overrides the engine’s decision on ${assessment.transactionReference}. The engine’s own decision stays on record.`}
        confirmLabel="Record decision"
        reason={{ label: 'Reason', minLength: 3, maxLength: 500, placeholder: 'What did you check, and what did you find?', testId: 'manual-decision-reason' }}
        confirmTestId="manual-decision-confirm"
        onClose={() => setDialog(null)}
        onConfirm={async (reason) => {
          try {
            const answer = await decidePayment(assessment.id, { decision, reason, expectedVersion: assessment.version });
            changed(
              await fetchAssessment(assessment.id),
              answer.approvalRequired
                ? `Approval requested (${answer.approvalWhy ?? 'four-eyes'}): waits for a second approver in ${answer.case?.reference ?? 'its case'}.`
                : `Decision recorded: ${DECISION_LABELS[decision]}.`,
            );
          } catch (caught) {
            const apiError = toApiError(caught);
            if (apiError.status === 409) {
              refetch({ silent: true });
              throw new Error('Someone else changed this assessment meanwhile — it has been reloaded. Check it and decide again.');
            }
            throw apiError;
          }
        }}
      >
        <TextField
          select
          fullWidth
          label="Decision"
          value={decision}
          onChange={(e) => setDecision(e.target.value as Decision)}
          slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'manual-decision-select' } as HTMLAttributes<HTMLDivElement> } }}
        >
          {Decision.options.map((d) => (
            <MenuItem key={d} value={d} data-value={d}>
              {DECISION_LABELS[d]}
            </MenuItem>
          ))}
        </TextField>
        <PaymentDecisionHint plan={decisionRules.plan(decision)} />
      </ConfirmDialog>
    </Drawer>
  );
}
