import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Typography from '@mui/material/Typography';
import BlockOutlined from '@mui/icons-material/BlockOutlined';
import PersonAddAlt1Outlined from '@mui/icons-material/PersonAddAlt1Outlined';
import PriorityHighOutlined from '@mui/icons-material/PriorityHighOutlined';
import TaskAltOutlined from '@mui/icons-material/TaskAltOutlined';
import type { CaseAction, CaseSummary } from '../../../shared/src/cases.ts';
import { toApiError } from '../api/client.ts';
import type { Session } from '../api/session.ts';
import { claimCase } from './casesApi.ts';
import { DecisionDialog } from './DecisionDialog.tsx';

/**
 * What the signed-in user may do with an open case: claim it, then approve, block or escalate.
 * Roles without case:decide (auditors, risk officers) never see this panel.
 */
export function DecisionPanel({
  summary,
  session,
  onChanged,
  onConflict,
}: {
  summary: CaseSummary;
  session: Session;
  onChanged: (updated: CaseSummary) => void;
  onConflict: () => void;
}) {
  const [action, setAction] = useState<CaseAction | null>(null);
  const [claiming, setClaiming] = useState(false);
  const [claimError, setClaimError] = useState<string | null>(null);
  const canWork = session.user.permissions.includes('case:work');
  const canDecide = session.user.permissions.includes('case:decide');
  const mine = summary.assigneeId === session.user.id;

  async function claim() {
    setClaiming(true);
    setClaimError(null);
    try {
      onChanged(await claimCase(summary.id, summary.version));
    } catch (caught) {
      const error = toApiError(caught);
      if (error.status === 409) onConflict();
      else setClaimError(error.message);
    } finally {
      setClaiming(false);
    }
  }

  return (
    <Card sx={{ p: 2.25 }} data-testid="decision-panel">
      <Typography variant="h6" component="h2">
        Decision
      </Typography>
      <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.25, mb: 2 }}>
        {summary.assigneeId === null
          ? 'Nobody is working this case yet.'
          : mine
            ? 'You are working this case.'
            : `${summary.assigneeName ?? 'Another analyst'} is working this case.`}
      </Typography>
      {claimError && (
        <Alert severity="error" sx={{ mb: 1.5 }}>
          {claimError}
        </Alert>
      )}
      {canWork && summary.assigneeId === null && (
        <Button
          fullWidth
          variant="outlined"
          startIcon={<PersonAddAlt1Outlined />}
          onClick={claim}
          disabled={claiming}
          data-testid="claim-case"
          sx={{ mb: 1.5 }}
        >
          Claim case
        </Button>
      )}
      {canDecide && (
        <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 1 }}>
          <Button variant="contained" color="success" startIcon={<TaskAltOutlined />} onClick={() => setAction('APPROVE')} data-testid="decide-approve">
            Approve
          </Button>
          <Button variant="contained" color="error" startIcon={<BlockOutlined />} onClick={() => setAction('BLOCK')} data-testid="decide-block">
            Block
          </Button>
          <Button
            variant="outlined"
            color="warning"
            startIcon={<PriorityHighOutlined />}
            onClick={() => setAction('ESCALATE')}
            data-testid="decide-escalate"
            sx={{ gridColumn: '1 / -1' }}
          >
            Escalate
          </Button>
        </Box>
      )}
      <DecisionDialog
        action={action}
        summary={summary}
        onClose={() => setAction(null)}
        onDecided={(updated) => {
          setAction(null);
          onChanged(updated);
        }}
        onConflict={() => {
          setAction(null);
          onConflict();
        }}
      />
    </Card>
  );
}
