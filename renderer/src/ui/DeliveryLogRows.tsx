// One message of a delivery log (Open Banking webhooks, alert channels): its summary row with an
// expand toggle, and under it the message id and every attempt (when, answer, how long it took).
// Both logs read the same outbox shape; only the wording of an answer differs.
import { Fragment, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import Collapse from '@mui/material/Collapse';
import IconButton from '@mui/material/IconButton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import KeyboardArrowDown from '@mui/icons-material/KeyboardArrowDown';
import KeyboardArrowRight from '@mui/icons-material/KeyboardArrowRight';
import type { WebhookDeliveryView } from '../../../shared/src/open-banking.ts';
import { formatEat } from '../lib/format.ts';
import { Mono } from './values.tsx';

/** What the attempts table needs; alert-channel deliveries have the same fields. */
export type LoggedDelivery = Pick<WebhookDeliveryView, 'id' | 'messageId' | 'nextAttemptAt' | 'attemptLog'>;
type Attempt = WebhookDeliveryView['attemptLog'][number];

function Attempts({ delivery, testId, answer }: { delivery: LoggedDelivery; testId: string; answer: (a: Attempt) => string }) {
  if (delivery.attemptLog.length === 0)
    return (
      <Typography variant="body2" sx={{ color: 'text.secondary', py: 1 }}>
        Not attempted yet{delivery.nextAttemptAt ? ` — first attempt ${formatEat(delivery.nextAttemptAt)}` : ''}.
      </Typography>
    );
  return (
    <Table size="small" aria-label="Attempts" data-testid={testId}>
      <TableHead>
        <TableRow>
          <TableCell>#</TableCell>
          <TableCell>When (EAT)</TableCell>
          <TableCell>Answer</TableCell>
          <TableCell align="right">Took</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {delivery.attemptLog.map((a) => (
          <TableRow key={a.attempt}>
            <TableCell>{a.attempt}</TableCell>
            <TableCell>
              <Mono>{formatEat(a.at)}</Mono>
            </TableCell>
            <TableCell sx={{ overflowWrap: 'anywhere' }}>{answer(a)}</TableCell>
            <TableCell align="right">
              <Mono>{a.durationMs} ms</Mono>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The summary row (toggle + the caller's cells) and the collapsible attempts row under it. */
export function DeliveryLogRows({
  delivery,
  open,
  onToggle,
  colSpan,
  rowTestId,
  rowStatus,
  idLabel,
  attemptsTestId,
  answer,
  children,
}: {
  delivery: LoggedDelivery;
  open: boolean;
  onToggle: () => void;
  /** Every column of the table, the toggle's included. */
  colSpan: number;
  rowTestId: string;
  rowStatus?: string;
  /** How the message id is named to the reader (e.g. "webhook-id"). */
  idLabel: string;
  attemptsTestId: string;
  answer: (a: Attempt) => string;
  children: ReactNode;
}) {
  return (
    <Fragment>
      <TableRow hover data-testid={rowTestId} data-status={rowStatus}>
        <TableCell padding="checkbox">
          <IconButton size="small" aria-label={open ? 'Hide attempts' : 'Show attempts'} onClick={onToggle}>
            {open ? <KeyboardArrowDown fontSize="small" /> : <KeyboardArrowRight fontSize="small" />}
          </IconButton>
        </TableCell>
        {children}
      </TableRow>
      <TableRow>
        <TableCell colSpan={colSpan} sx={{ py: 0, borderBottom: open ? undefined : 0 }}>
          <Collapse in={open} unmountOnExit>
            <Box sx={{ py: 1 }}>
              <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                {idLabel} <Mono variant="caption">{delivery.messageId}</Mono>
              </Typography>
              <Attempts delivery={delivery} testId={attemptsTestId} answer={answer} />
            </Box>
          </Collapse>
        </TableCell>
      </TableRow>
    </Fragment>
  );
}
