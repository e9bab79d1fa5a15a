import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import GppMaybeOutlined from '@mui/icons-material/GppMaybeOutlined';
import HourglassTopOutlined from '@mui/icons-material/HourglassTopOutlined';
import TaskAltOutlined from '@mui/icons-material/TaskAltOutlined';
import UndoOutlined from '@mui/icons-material/UndoOutlined';
import type { ApprovalRequest, CaseSummary } from '../../../../shared/src/cases.ts';
import { formatEat, formatMoney } from '../../lib/format.ts';
import { CASE_STATE_LABELS } from '../../ui/chips.tsx';
import { Mono, PersonAvatar, TimeAgo } from '../../ui/values.tsx';
import { reasonLabel } from '../caseDetailModel.ts';
import { decideApproval } from '../casesApi.ts';
import type { CaseCommandRunner } from './caseCommands.ts';
import { NoteDialog } from './NoteDialog.tsx';

const ACTION_WORDS: Record<ApprovalRequest['action'], { noun: string; verb: string; effect: string }> = {
  BLOCK: { noun: 'Block payment', verb: 'block', effect: 'The payment will be rejected and the case closed as blocked.' },
  APPROVE: { noun: 'Approve payment', verb: 'approval', effect: 'The payment will be released and the case closed as approved.' },
};

/**
 * Four-eyes: a block above the limit or a CRITICAL close waits here until a second person with
 * approval rights confirms or rejects it. The requester sees that they cannot approve it themselves.
 */
export function ApprovalBanner({ summary, viewerId, canDecide, run }: { summary: CaseSummary; viewerId: string; canDecide: boolean; run: CaseCommandRunner }) {
  const theme = useTheme();
  // The choice outlives the dialog's closing animation, so its title does not flip while fading out.
  const [choice, setChoice] = useState<'confirm' | 'reject'>('confirm');
  const [open, setOpen] = useState(false);
  const request = summary.approvalRequest;
  const colour = theme.palette.mode === 'dark' ? '#c4b5fd' : '#6d28d9';
  if (!request) {
    return (
      <Box data-testid="approval-banner" sx={{ p: 2, mb: 2, borderRadius: 2.5, border: `1px solid ${alpha(colour, 0.4)}`, bgcolor: alpha(colour, 0.06) }}>
        <Typography variant="subtitle1" sx={{ color: colour }}>
          Waiting for four-eyes approval
        </Typography>
      </Box>
    );
  }
  const words = ACTION_WORDS[request.action];
  const requester = request.requestedById === viewerId;
  const actionColour = request.action === 'BLOCK' ? theme.palette.status.danger : theme.palette.status.success;

  return (
    <Box
      role="region"
      aria-label="Four-eyes approval"
      data-testid="approval-banner"
      data-requester={String(requester)}
      sx={{
        mb: 2,
        borderRadius: 2.5,
        border: `1px solid ${alpha(colour, 0.4)}`,
        bgcolor: alpha(colour, theme.palette.mode === 'dark' ? 0.12 : 0.05),
        overflow: 'hidden',
      }}
    >
      <Box sx={{ display: 'flex', gap: 1.75, alignItems: 'flex-start', p: 2, flexWrap: { xs: 'wrap', md: 'nowrap' } }}>
        <Box sx={{ width: 40, height: 40, borderRadius: 2, display: 'grid', placeItems: 'center', bgcolor: alpha(colour, 0.14), color: colour, flexShrink: 0 }}>
          <GppMaybeOutlined />
        </Box>
        <Box sx={{ minWidth: 0, flex: 1 }}>
          <Typography variant="overline" sx={{ color: colour, lineHeight: 1.3 }}>
            Four-eyes approval required
          </Typography>
          <Typography variant="h5" component="h2" sx={{ mt: 0.25 }}>
            <Box component="span" sx={{ color: actionColour }}>
              {words.noun}
            </Box>
            {' — '}
            {reasonLabel(request.reasonCode)}
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.5 }} data-testid="approval-why">
            Needs a second approver: {request.why}
          </Typography>
          {request.note && (
            <Box sx={{ mt: 1.25, pl: 1.5, borderLeft: 3, borderColor: alpha(colour, 0.45) }}>
              <Typography variant="body2" sx={{ fontStyle: 'italic', whiteSpace: 'pre-wrap' }} data-testid="approval-note-text">
                “{request.note}”
              </Typography>
            </Box>
          )}
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, mt: 1.25, color: 'text.secondary' }}>
            <PersonAvatar name={request.requestedByName} size={20} />
            <Typography variant="caption" sx={{ color: 'text.primary', fontWeight: 600 }}>
              {request.requestedByName}
            </Typography>
            <Typography variant="caption">asked</Typography>
            <TimeAgo value={request.requestedAt} variant="caption" color="inherit" />
            <Typography variant="caption">· {formatEat(request.requestedAt)}</Typography>
          </Box>
        </Box>
        {canDecide && !requester && (
          <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1, minWidth: 196, alignSelf: 'center' }}>
            <Button
              variant="contained"
              color={request.action === 'BLOCK' ? 'error' : 'success'}
              startIcon={<TaskAltOutlined />}
              onClick={() => {
                setChoice('confirm');
                setOpen(true);
              }}
              data-testid="approval-confirm"
            >
              Confirm {words.verb}
            </Button>
            <Button
              variant="outlined"
              color="inherit"
              startIcon={<UndoOutlined />}
              onClick={() => {
                setChoice('reject');
                setOpen(true);
              }}
              data-testid="approval-reject"
              sx={{ borderColor: 'divider' }}
            >
              Reject &amp; send back
            </Button>
          </Box>
        )}
      </Box>
      {(requester || !canDecide) && (
        <Box
          data-testid="approval-waiting"
          sx={{ display: 'flex', alignItems: 'center', gap: 1, px: 2, py: 1.1, borderTop: `1px solid ${alpha(colour, 0.25)}`, bgcolor: alpha(colour, 0.06) }}
        >
          <HourglassTopOutlined sx={{ fontSize: 18, color: colour }} />
          <Typography variant="body2" sx={{ fontWeight: 550 }}>
            {requester
              ? 'Waiting for a second approver — you cannot approve your own decision.'
              : 'Waiting for a second approver (a compliance officer or risk manager).'}
          </Typography>
        </Box>
      )}
      <NoteDialog
        open={open}
        title={
          <>
            {choice === 'confirm' ? `Confirm ${words.verb}` : 'Reject and send back'} · <Mono sx={{ fontSize: 15, fontWeight: 600 }}>{summary.reference}</Mono>
          </>
        }
        intro={
          choice === 'confirm' ? (
            <>
              {formatMoney(summary.totalAmountKes)} from {summary.customerName ?? summary.customerRef}. {words.effect} You are recorded as the second approver.
            </>
          ) : (
            <>
              The {words.verb} is not applied. The case returns to {request.requestedByName} ({CASE_STATE_LABELS[request.returnState]}) with your note.
            </>
          )
        }
        label={choice === 'confirm' ? 'Approver’s note' : 'Why you are sending it back'}
        placeholder={choice === 'confirm' ? 'What you checked before confirming.' : 'What is missing or wrong.'}
        confirmLabel={choice === 'confirm' ? `Confirm ${words.verb}` : 'Reject decision'}
        confirmColour={choice === 'confirm' ? (request.action === 'BLOCK' ? 'error' : 'success') : 'primary'}
        testId="approval-dialog"
        noteTestId="approval-note"
        submitTestId="approval-submit"
        onClose={() => setOpen(false)}
        submit={(note) =>
          run(
            () => decideApproval(summary.id, { approve: choice === 'confirm', note, expectedVersion: summary.version }),
            choice === 'confirm' ? `Four-eyes ${words.verb} confirmed.` : `Sent back to ${request.requestedByName}.`,
          )
        }
      />
    </Box>
  );
}
