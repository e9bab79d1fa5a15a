import { useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CircularProgress from '@mui/material/CircularProgress';
import Divider from '@mui/material/Divider';
import Typography from '@mui/material/Typography';
import BlockOutlined from '@mui/icons-material/BlockOutlined';
import ContactSupportOutlined from '@mui/icons-material/ContactSupportOutlined';
import LogoutOutlined from '@mui/icons-material/LogoutOutlined';
import PersonAddAlt1Outlined from '@mui/icons-material/PersonAddAlt1Outlined';
import PlayArrowRounded from '@mui/icons-material/PlayArrowRounded';
import PriorityHighOutlined from '@mui/icons-material/PriorityHighOutlined';
import SwapHorizOutlined from '@mui/icons-material/SwapHorizOutlined';
import TaskAltOutlined from '@mui/icons-material/TaskAltOutlined';
import type { CaseAction, CaseCommandName, CaseSummary } from '../../../shared/src/cases.ts';
import { formatCount, formatMoney } from '../lib/format.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import type { Session } from '../api/session.ts';
import { claimCase, releaseCase, requestInfo, resumeCase, startCase } from './casesApi.ts';
import { AssigneeMenu } from './detail/AssigneeMenu.tsx';
import type { CaseCommandRunner } from './detail/caseCommands.ts';
import { NoteDialog } from './detail/NoteDialog.tsx';
import { Mono } from '../ui/values.tsx';
import { DecisionDialog } from './DecisionDialog.tsx';

/** The dialog the case page has open: a decision, or "request information" (hold). */
export type CaseDialog = CaseAction | 'request-info' | null;

/** The key that does the same, shown on the button (the case page's shortcuts, `?` lists them). */
export function KeyHint({ children }: { children: string }) {
  return (
    <Box
      component="kbd"
      aria-hidden
      sx={{
        ml: 1,
        px: 0.6,
        fontSize: 11,
        lineHeight: '16px',
        fontFamily: 'inherit',
        fontWeight: 600,
        opacity: 0.8,
        border: '1px solid currentColor',
        borderRadius: 0.75,
      }}
    >
      {children}
    </Box>
  );
}

type Busy = 'assign' | 'reassign' | 'release' | 'start' | 'resume' | null;

function statusLine(summary: CaseSummary, session: Session): string {
  const mine = summary.assigneeId === session.user.id;
  const who = summary.assigneeName ?? 'Another analyst';
  switch (summary.state) {
    case 'NEW':
      return 'Nobody is working this case yet.';
    case 'ASSIGNED':
      return mine ? 'Assigned to you. Start work when you pick it up.' : `Assigned to ${who}.`;
    case 'IN_PROGRESS':
      return mine ? 'You are working this case.' : `${who} is working this case.`;
    case 'PENDING_INFO':
      return 'Waiting for information; the SLA clock is paused.';
    case 'ESCALATED':
      return summary.assigneeId ? `Escalated · ${mine ? 'you are reviewing it' : `${who} is reviewing it`}.` : 'Escalated and waiting for a reviewer.';
    case 'AWAITING_APPROVAL':
      return 'A decision is waiting for a second approver.';
    case 'CLOSED':
      return 'This case is closed.';
  }
}

/**
 * Everything the viewer may do with the case now. The service works out `allowed` for this user
 * (state, assignee, role), so the panel shows exactly those commands and nothing else.
 */
export function DecisionPanel({
  summary,
  allowed,
  session,
  canSupervise,
  run,
  onChanged,
  onConflict,
  dialog,
  onDialog,
  nextAvailable,
}: {
  summary: CaseSummary;
  allowed: readonly CaseCommandName[];
  session: Session;
  canSupervise: boolean;
  run: CaseCommandRunner;
  /** `openNext`: the analyst decided and asked to move on to the next case of the queue. */
  onChanged: (updated: CaseSummary, openNext?: boolean) => void;
  onConflict: (error: ApiError) => void;
  /** Open dialogs are the page's, so keyboard shortcuts can open them too. */
  dialog: CaseDialog;
  onDialog: (dialog: CaseDialog) => void;
  nextAvailable: boolean;
}) {
  const action = dialog === 'request-info' ? null : dialog;
  const setAction = (a: CaseAction | null) => onDialog(a);
  const requestingInfo = dialog === 'request-info';
  const setRequestingInfo = (open: boolean) => onDialog(open ? 'request-info' : null);
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<string | null>(null);
  const [menu, setMenu] = useState<{ anchor: HTMLElement; testId: string } | null>(null);
  const may = (command: CaseCommandName) => allowed.includes(command);

  async function step(kind: Exclude<Busy, null>, work: () => Promise<CaseSummary>, success: string) {
    setBusy(kind);
    setError(null);
    try {
      await run(work, success);
    } catch (caught) {
      setError(toApiError(caught).message);
    } finally {
      setBusy(null);
    }
  }

  const v = summary.version;
  const workflow: ReactNode[] = [];
  const button = (
    key: Exclude<Busy, null> | 'request-info',
    testId: string,
    label: ReactNode,
    icon: ReactNode,
    onClick: (el: HTMLElement) => void,
    primary = false,
  ) => (
    <Button
      key={key}
      variant={primary ? 'contained' : 'outlined'}
      color={primary ? 'primary' : 'inherit'}
      startIcon={busy === key ? <CircularProgress size={16} color="inherit" /> : icon}
      onClick={(e) => onClick(e.currentTarget)}
      disabled={busy !== null}
      data-testid={testId}
      sx={primary ? undefined : { borderColor: 'divider', color: 'text.primary' }}
    >
      {label}
    </Button>
  );
  if (may('assign'))
    workflow.push(
      button(
        'assign',
        'action-assign',
        'Claim for me',
        <PersonAddAlt1Outlined />,
        () => void step('assign', () => claimCase(summary.id, v), `${summary.reference} is yours.`),
        true,
      ),
    );
  if (may('start'))
    workflow.push(
      button('start', 'action-start', 'Start work', <PlayArrowRounded />, () => void step('start', () => startCase(summary.id, v), 'Work started.'), true),
    );
  if (may('resume'))
    workflow.push(
      button(
        'resume',
        'action-resume',
        'Resume',
        <PlayArrowRounded />,
        () => void step('resume', () => resumeCase(summary.id, v), 'Resumed; the SLA clock is running again.'),
        true,
      ),
    );
  if (may('request-info'))
    workflow.push(
      button(
        'request-info',
        'action-request-info',
        <>
          Request info<KeyHint>H</KeyHint>
        </>,
        <ContactSupportOutlined />,
        () => setRequestingInfo(true),
      ),
    );
  if (canSupervise && may('reassign'))
    workflow.push(button('reassign', 'action-reassign', 'Reassign…', <SwapHorizOutlined />, (anchor) => setMenu({ anchor, testId: 'reassign' })));
  else if (canSupervise && may('assign'))
    workflow.push(button('reassign', 'action-assign-to', 'Assign to…', <SwapHorizOutlined />, (anchor) => setMenu({ anchor, testId: 'assign-to' })));
  if (may('release'))
    workflow.push(
      button(
        'release',
        'action-release',
        'Release',
        <LogoutOutlined />,
        () => void step('release', () => releaseCase(summary.id, v), 'Released back to the queue.'),
      ),
    );

  const decisions = (['approve', 'block', 'escalate'] as const).filter((d) => may(d));
  const nothing = workflow.length === 0 && decisions.length === 0;

  return (
    <Card sx={{ p: 2.25 }} data-testid="decision-panel">
      <Typography variant="h6" component="h2">
        Actions
      </Typography>
      <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.25, mb: nothing ? 0 : 2 }} data-testid="case-status-line">
        {statusLine(summary, session)}
        {nothing && summary.state !== 'AWAITING_APPROVAL' && summary.assigneeId !== session.user.id && ' Nothing for you to do here right now.'}
      </Typography>
      {error && (
        <Alert severity="error" sx={{ mb: 1.5 }} onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      {workflow.length > 0 && <Box sx={{ display: 'grid', gridTemplateColumns: workflow.length === 1 ? '1fr' : '1fr 1fr', gap: 1 }}>{workflow}</Box>}
      {workflow.length > 0 && decisions.length > 0 && <Divider sx={{ my: 2 }} />}
      {decisions.length > 0 && (
        <>
          <Typography variant="overline" sx={{ color: 'text.secondary', display: 'block', mb: 0.25 }}>
            Decision
          </Typography>
          <Typography variant="body2" sx={{ mb: 1 }} data-testid="decision-panel-stake">
            Applies to{' '}
            <Box component="span" sx={{ fontWeight: 650 }}>
              {summary.paymentCount === 1 ? 'the one payment' : `all ${formatCount(summary.paymentCount)} payments`}
            </Box>{' '}
            on this case, totalling{' '}
            <Box component="span" sx={{ fontWeight: 650, whiteSpace: 'nowrap' }}>
              {formatMoney(summary.totalAmountKes)}
            </Box>
            .
          </Typography>
          <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 1 }}>
            {may('approve') && (
              <Button
                variant="contained"
                color="success"
                startIcon={<TaskAltOutlined />}
                onClick={() => setAction('APPROVE')}
                data-testid="decide-approve"
                disabled={busy !== null}
              >
                Approve
                <KeyHint>A</KeyHint>
              </Button>
            )}
            {may('block') && (
              <Button
                variant="contained"
                color="error"
                startIcon={<BlockOutlined />}
                onClick={() => setAction('BLOCK')}
                data-testid="decide-block"
                disabled={busy !== null}
              >
                Block
                <KeyHint>B</KeyHint>
              </Button>
            )}
            {may('escalate') && (
              <Button
                variant="outlined"
                color="warning"
                startIcon={<PriorityHighOutlined />}
                onClick={() => setAction('ESCALATE')}
                data-testid="decide-escalate"
                disabled={busy !== null}
                sx={{ gridColumn: '1 / -1' }}
              >
                Escalate
                <KeyHint>E</KeyHint>
              </Button>
            )}
          </Box>
        </>
      )}
      <DecisionDialog
        action={action}
        summary={summary}
        onClose={() => setAction(null)}
        nextAvailable={nextAvailable}
        onDecided={(updated, openNext) => {
          setAction(null);
          onChanged(updated, openNext);
        }}
        onConflict={(conflict) => {
          setAction(null);
          onConflict(conflict);
        }}
      />
      <NoteDialog
        open={requestingInfo}
        title={
          <>
            Request information · <Mono sx={{ fontSize: 15, fontWeight: 600 }}>{summary.reference}</Mono>
          </>
        }
        intro="The case waits in Pending info and its SLA clock stops until you resume it. Say what you asked for and from whom."
        label="What information, from whom"
        placeholder="e.g. Called the customer to confirm the beneficiary; waiting for a call-back."
        confirmLabel="Request info"
        testId="request-info-dialog"
        noteTestId="request-info-note"
        submitTestId="request-info-submit"
        onClose={() => setRequestingInfo(false)}
        submit={(note) => run(() => requestInfo(summary.id, v, note), 'Waiting for information; SLA paused.')}
      />
      <AssigneeMenu
        anchor={menu?.anchor ?? null}
        currentAssigneeId={summary.assigneeId}
        onClose={() => setMenu(null)}
        onPick={(person) => {
          setMenu(null);
          void step('reassign', () => claimCase(summary.id, v, person.id), `${summary.reference} assigned to ${person.displayName}.`);
        }}
      />
    </Card>
  );
}
