// Risk acceptance (issue 13): requested → approved / rejected by someone else → expired. Approve
// and reject show only to a person with risk:approve who did not ask (four-eyes; the service
// refuses the requester anyway). An approved acceptance expires on its date and the risk reopens.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { AcceptanceRequestInput, type Risk, type RiskAcceptance } from '../../../shared/src/risk-register.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import { formatEatMinutes } from '../lib/format.ts';
import { EatDateTimeField, INCOMPLETE, incompleteMessage } from '../ui/EatDateTimeField.tsx';
import { SectionCard } from '../ui/layout.tsx';
import { otherErrors, schemaErrors, serverErrors } from './formErrors.ts';
import { NoteActionDialog } from './NoteActionDialog.tsx';
import { ACCEPTANCE_TONE, humanise, ToneChip } from './riskChips.tsx';
import { approveAcceptance, rejectAcceptance, requestAcceptance, withdrawAcceptance } from './risksApi.ts';
import { noteText } from './riskText.ts';

function RequestDialog({ risk, onClose, onSaved }: { risk: Risk; onClose: () => void; onSaved: () => void }) {
  const [justification, setJustification] = useState('');
  const [expiresAt, setExpiresAt] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const local = schemaErrors(AcceptanceRequestInput, { justification, expiresAt: expiresAt ?? undefined });
  if (expiresAt === INCOMPLETE) local.expiresAt = incompleteMessage();
  else if (!expiresAt) local.expiresAt = 'Choose until when the acceptance holds';
  const server = serverErrors(error);
  const message = (f: string) => (tried ? local[f] : undefined) ?? server[f] ?? null;
  const save = async () => {
    setTried(true);
    if (Object.keys(local).length || !expiresAt) return;
    setSaving(true);
    setError(null);
    try {
      await requestAcceptance(risk.id, { justification: justification.trim(), expiresAt });
      onSaved();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setSaving(false);
    }
  };
  const other = otherErrors(error, ['justification', 'expiresAt']);
  return (
    <Dialog open onClose={saving ? undefined : onClose} maxWidth="sm" fullWidth data-testid="acceptance-request-dialog">
      <DialogTitle>Request acceptance of {risk.reference}</DialogTitle>
      <DialogContent sx={{ display: 'grid', gap: 1.5, pt: '8px !important' }}>
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          Someone else with the right to approve decides. Once approved, the acceptance holds until its expiry; then the risk reopens for assessment.
        </Typography>
        <TextField
          label="Justification"
          required
          multiline
          minRows={3}
          maxRows={10}
          size="small"
          value={justification}
          onChange={(e) => setJustification(noteText(e.target.value))}
          error={!!message('justification')}
          helperText={message('justification') ?? 'Why the residual risk is tolerable, and for how long'}
          slotProps={{ htmlInput: { maxLength: 4000, 'data-testid': 'acceptance-justification' } }}
        />
        <EatDateTimeField
          label="Expires at"
          value={expiresAt}
          onChange={setExpiresAt}
          disablePast
          error={message('expiresAt') ?? undefined}
          testId="acceptance-expires"
        />
        {other && <Alert severity="error">{other}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={saving}>
          Cancel
        </Button>
        <Button
          variant="contained"
          onClick={() => void save()}
          disabled={saving}
          startIcon={saving ? <CircularProgress size={16} /> : null}
          data-testid="acceptance-request-save"
        >
          Request acceptance
        </Button>
      </DialogActions>
    </Dialog>
  );
}

type Decision = { kind: 'approve' | 'reject' | 'withdraw'; acceptance: RiskAcceptance };

export function AcceptanceCard({ risk, acceptances, onChanged }: { risk: Risk; acceptances: readonly RiskAcceptance[]; onChanged: (message: string) => void }) {
  const session = useSession();
  const me = session?.user.id;
  const perms = session?.user.permissions ?? [];
  const canManage = perms.includes('risk:manage');
  const canApprove = perms.includes('risk:approve');
  const [requesting, setRequesting] = useState(false);
  const [decision, setDecision] = useState<Decision | null>(null);
  const live = acceptances.some((a) => a.status === 'REQUESTED' || a.status === 'APPROVED');
  const ordered = [...acceptances].sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));

  return (
    <SectionCard
      title="Acceptance"
      subtitle="Four-eyes, with an expiry date"
      testId="acceptances"
      action={
        canManage &&
        !live &&
        risk.status !== 'CLOSED' && (
          <Button size="small" onClick={() => setRequesting(true)} data-testid="acceptance-request">
            Request
          </Button>
        )
      }
    >
      {ordered.length === 0 && (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          Not accepted.
        </Typography>
      )}
      <Box sx={{ display: 'grid', gap: 1.25 }}>
        {ordered.map((a) => {
          const decidable = a.status === 'REQUESTED' && canApprove && a.requestedById !== me;
          const ownRequest = a.status === 'REQUESTED' && canApprove && a.requestedById === me;
          return (
            <Box key={a.id} sx={{ borderLeft: 3, borderColor: 'divider', pl: 1.25 }} data-testid={`acceptance-${a.status}`}>
              <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
                <ToneChip label={humanise(a.status)} tone={ACCEPTANCE_TONE[a.status] ?? 'neutral'} />
                <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                  {a.status === 'EXPIRED' ? 'expired' : 'expires'} {formatEatMinutes(a.expiredAt ?? a.expiresAt)}
                </Typography>
              </Box>
              <Typography variant="body2" sx={{ mt: 0.5, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {a.justification}
              </Typography>
              <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mt: 0.25 }}>
                Requested by {a.requestedByName} {formatEatMinutes(a.requestedAt)}
                {a.decidedByName && a.decidedAt
                  ? ` · ${a.status === 'REJECTED' ? 'rejected' : 'decided'} by ${a.decidedByName} ${formatEatMinutes(a.decidedAt)}`
                  : ''}
                {a.decisionNote ? ` — “${a.decisionNote}”` : ''}
              </Typography>
              {ownRequest && (
                <Typography variant="caption" component="div" sx={{ color: 'text.secondary', fontStyle: 'italic' }}>
                  You asked for this acceptance: someone else decides.
                </Typography>
              )}
              <Box sx={{ display: 'flex', gap: 1, mt: 0.75 }}>
                {decidable && (
                  <>
                    <Button size="small" variant="contained" onClick={() => setDecision({ kind: 'approve', acceptance: a })} data-testid="acceptance-approve">
                      Approve
                    </Button>
                    <Button size="small" color="error" onClick={() => setDecision({ kind: 'reject', acceptance: a })} data-testid="acceptance-reject">
                      Reject
                    </Button>
                  </>
                )}
                {canManage && (a.status === 'REQUESTED' || a.status === 'APPROVED') && (
                  <Button size="small" color="inherit" onClick={() => setDecision({ kind: 'withdraw', acceptance: a })} data-testid="acceptance-withdraw">
                    Withdraw
                  </Button>
                )}
              </Box>
            </Box>
          );
        })}
      </Box>
      {requesting && (
        <RequestDialog
          risk={risk}
          onClose={() => setRequesting(false)}
          onSaved={() => {
            setRequesting(false);
            onChanged('Acceptance requested');
          }}
        />
      )}
      {decision && (
        <NoteActionDialog
          testId={`acceptance-${decision.kind}-dialog`}
          title={decision.kind === 'approve' ? 'Approve the acceptance' : decision.kind === 'reject' ? 'Reject the acceptance' : 'Withdraw the acceptance'}
          body={
            decision.kind === 'approve'
              ? `The risk is treated as accepted until ${formatEatMinutes(decision.acceptance.expiresAt)}.`
              : decision.kind === 'withdraw' && decision.acceptance.status === 'APPROVED'
                ? 'The risk reopens for assessment.'
                : undefined
          }
          confirm={decision.kind === 'approve' ? 'Approve' : decision.kind === 'reject' ? 'Reject' : 'Withdraw'}
          danger={decision.kind !== 'approve'}
          minNote={decision.kind === 'reject' ? 5 : 0}
          onClose={() => setDecision(null)}
          onConfirm={async (note) => {
            const { acceptance } = decision;
            if (decision.kind === 'approve') await approveAcceptance(acceptance.id, acceptance.version, note);
            else if (decision.kind === 'reject') await rejectAcceptance(acceptance.id, acceptance.version, note);
            else await withdrawAcceptance(acceptance.id, acceptance.version, note);
            setDecision(null);
            onChanged(decision.kind === 'approve' ? 'Acceptance approved' : decision.kind === 'reject' ? 'Acceptance rejected' : 'Acceptance withdrawn');
          }}
        />
      )}
    </SectionCard>
  );
}
