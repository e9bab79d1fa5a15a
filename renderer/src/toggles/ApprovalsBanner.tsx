// Four-eyes: tenant-wide disables waiting for a second admin. Everyone sees what is waiting; people
// who manage toggles approve or reject with a note. The service refuses a self-approval (403) and
// an already decided request (409); the dialog shows its message.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import type { ToggleApproval } from '../../../shared/src/toggles.ts';
import { ConfirmDialog } from '../decision-engine/ConfirmDialog.tsx';
import { formatEat } from '../lib/format.ts';
import { TimeAgo } from '../ui/values.tsx';
import { BEHAVIOUR_LABELS, contextText } from './toggleChips.tsx';
import { decideApproval } from './togglesApi.ts';

function describe(approval: ToggleApproval): string {
  const r = approval.request;
  const verb = r.isEnabled ? 'enable' : 'disable';
  const scope = contextText({
    tenantId: r.tenantId,
    paymentType: r.paymentType ?? null,
    localInstrumentationCode: r.localInstrumentationCode ?? null,
    clearingSystemCode: r.clearingSystemCode ?? null,
  });
  return `${verb} the fraud engine for ${scope}${r.paymentType || r.localInstrumentationCode || r.clearingSystemCode ? '' : ' (whole tenant)'}`;
}

export function ApprovalsBanner({
  approvals,
  canManage,
  onDecided,
}: {
  approvals: ToggleApproval[];
  canManage: boolean;
  onDecided: (message: string) => void;
}) {
  const [deciding, setDeciding] = useState<{ approval: ToggleApproval; approve: boolean } | null>(null);
  if (approvals.length === 0) return null;
  return (
    <>
      <Alert severity="warning" variant="outlined" data-testid="approvals-banner" sx={{ mb: 1.5, '& .MuiAlert-message': { flex: 1, minWidth: 0 } }}>
        <AlertTitle sx={{ mb: 0.5 }}>
          {approvals.length === 1
            ? 'One change is waiting for a second admin’s approval'
            : `${approvals.length} changes are waiting for a second admin’s approval`}
        </AlertTitle>
        {approvals.map((a) => {
          const r = a.request;
          const reason = r.isEnabled ? r.enabledReason : r.disabledReason;
          return (
            <Box
              key={a.id}
              data-testid="approval-item"
              data-approval-id={a.id}
              sx={{ display: 'flex', alignItems: 'center', gap: 1.5, py: 0.5, flexWrap: 'wrap' }}
            >
              <Box sx={{ flex: 1, minWidth: 260 }}>
                <Typography variant="body2">
                  <strong>{a.requestedBy}</strong> asked to {describe(a)}
                  {!r.isEnabled && r.disabledBehaviour ? ` — while off: ${BEHAVIOUR_LABELS[r.disabledBehaviour].toLowerCase()}` : ''}
                </Typography>
                <Typography variant="caption" sx={{ color: 'text.secondary', display: 'flex', gap: 0.5, alignItems: 'baseline', flexWrap: 'wrap' }}>
                  {reason ? `“${reason}” · ` : ''}
                  <TimeAgo value={a.requestedAt} variant="caption" color="inherit" />
                </Typography>
              </Box>
              {canManage && (
                <Box sx={{ display: 'flex', gap: 1 }}>
                  <Button
                    size="small"
                    variant="contained"
                    color="success"
                    data-testid="approval-approve"
                    onClick={() => setDeciding({ approval: a, approve: true })}
                  >
                    Approve
                  </Button>
                  <Button
                    size="small"
                    variant="outlined"
                    color="error"
                    data-testid="approval-reject"
                    onClick={() => setDeciding({ approval: a, approve: false })}
                  >
                    Reject
                  </Button>
                </Box>
              )}
            </Box>
          );
        })}
      </Alert>
      <ConfirmDialog
        open={!!deciding}
        title={deciding?.approve ? 'Approve this change' : 'Reject this change'}
        body={
          deciding ? (
            <>
              {deciding.approval.requestedBy} asked on {formatEat(deciding.approval.requestedAt)} to {describe(deciding.approval)}.{' '}
              {deciding.approve ? 'Approving applies it at once.' : 'Rejecting leaves the configurations as they are.'} The person who asked cannot decide it.
            </>
          ) : (
            ''
          )
        }
        confirmLabel={deciding?.approve ? 'Approve' : 'Reject'}
        confirmColor={deciding?.approve ? 'success' : 'error'}
        reason={{ label: 'Note', minLength: 3, maxLength: 500, placeholder: 'Why you approve or reject it', testId: 'approval-note' }}
        confirmTestId="approval-confirm"
        testId="approval-dialog"
        onClose={() => setDeciding(null)}
        onConfirm={async (note) => {
          if (!deciding) return;
          const decided = await decideApproval(deciding.approval.id, deciding.approve, note);
          onDecided(decided.status === 'APPROVED' ? 'Approved: the change is applied' : 'Rejected: nothing was changed');
        }}
      />
    </>
  );
}
