import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Divider from '@mui/material/Divider';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import ListSubheader from '@mui/material/ListSubheader';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import AssignmentIndOutlined from '@mui/icons-material/AssignmentIndOutlined';
import CloseIcon from '@mui/icons-material/Close';
import DoneAllOutlined from '@mui/icons-material/DoneAllOutlined';
import PersonOutlined from '@mui/icons-material/PersonOutlined';
import VerifiedUserOutlined from '@mui/icons-material/VerifiedUserOutlined';
import { bulkStake, type BulkResult, type CaseSummary } from '../../../../shared/src/cases.ts';
import { toApiError, type ApiError } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { formatCount, formatMoneyCompact } from '../../lib/format.ts';
import { roleLabel } from '../../lib/roles.ts';
import { PersonAvatar } from '../../ui/values.tsx';
import { bulkAssign, fetchAssignees, type Assignee } from '../casesApi.ts';
import { CloseFalsePositiveDialog } from './CloseFalsePositiveDialog.tsx';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** What a bulk close did, in one sentence for the snackbar. */
export function closeResultMessage(result: BulkResult): string {
  const waiting = new Set(result.awaitingApproval);
  const closed = result.updated.filter((c) => !waiting.has(c.reference) && c.state === 'CLOSED').length;
  const parts = [`Closed ${plural(closed, 'case')} as false positive`];
  if (waiting.size > 0)
    parts.push(`${plural(waiting.size, 'case')} now ${waiting.size === 1 ? 'awaits' : 'await'} a second approver (${[...waiting].join(', ')})`);
  return parts.join(' · ');
}

/**
 * Actions on the selected rows: assign (to yourself, or — for supervisors — to a colleague, with
 * their open-case load) and close as false positive. Shown in place of the result count while
 * rows are selected.
 */
export function BulkBar({
  cases,
  canSupervise,
  canDecide,
  onClear,
  onDone,
}: {
  /** The selected cases, for their ids and what is at stake in them. */
  cases: CaseSummary[];
  canSupervise: boolean;
  canDecide: boolean;
  onClear: () => void;
  onDone: (message: string, result: BulkResult) => void;
}) {
  const me = useSession()?.user;
  const caseIds = cases.map((c) => c.id);
  const payments = cases.reduce((n, c) => n + Math.max(1, c.paymentCount), 0);
  const totalKes = cases.reduce((n, c) => n + c.totalAmountKes, 0);
  const [menuAnchor, setMenuAnchor] = useState<HTMLElement | null>(null);
  const [assignees, setAssignees] = useState<Assignee[] | null>(null);
  const [assigneesError, setAssigneesError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [closing, setClosing] = useState(false);

  const openMenu = (anchor: HTMLElement) => {
    setMenuAnchor(anchor);
    setAssigneesError(null);
    // Loads are fetched each time: they change as colleagues work.
    fetchAssignees().then(setAssignees, (caught: unknown) => setAssigneesError(toApiError(caught)));
  };

  async function assign(assignee: { id?: string; name: string }) {
    setMenuAnchor(null);
    setBusy(true);
    setError(null);
    try {
      const result = await bulkAssign(caseIds, assignee.id);
      onDone(`Assigned ${plural(result.updated.length, 'case')} to ${assignee.name}`, result);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  const others = (assignees ?? []).filter((a) => a.id !== me?.id);
  return (
    <Box>
      <Box
        data-testid="bulk-bar"
        data-count={caseIds.length}
        sx={(theme) => ({
          display: 'flex',
          alignItems: 'center',
          gap: 1,
          height: 40,
          px: 1.5,
          borderRadius: 2,
          bgcolor: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.16 : 0.07),
          border: `1px solid ${alpha(theme.palette.primary.main, 0.28)}`,
        })}
      >
        <Typography variant="body2" sx={{ fontWeight: 650, color: 'primary.main', mr: 1 }} data-testid="bulk-count">
          {plural(caseIds.length, 'case')} selected
        </Typography>
        <Typography variant="body2" sx={{ color: 'text.secondary', mr: 1 }} data-testid="bulk-stake" title={bulkStake(cases, 'APPROVE')}>
          {plural(payments, 'payment')} · {formatMoneyCompact(totalKes)}
        </Typography>
        <Divider orientation="vertical" flexItem sx={{ my: 1 }} />
        {canSupervise ? (
          <Button
            size="small"
            startIcon={busy ? <CircularProgress size={14} color="inherit" /> : <AssignmentIndOutlined fontSize="small" />}
            onClick={(e) => openMenu(e.currentTarget)}
            disabled={busy}
            data-testid="bulk-assign"
            aria-haspopup="menu"
          >
            Assign to…
          </Button>
        ) : (
          <Button
            size="small"
            startIcon={busy ? <CircularProgress size={14} color="inherit" /> : <AssignmentIndOutlined fontSize="small" />}
            onClick={() => assign({ name: 'you' })}
            disabled={busy}
            data-testid="bulk-assign"
          >
            Assign to me
          </Button>
        )}
        {canDecide && (
          <Button
            size="small"
            color="success"
            startIcon={<DoneAllOutlined fontSize="small" />}
            onClick={() => setClosing(true)}
            disabled={busy}
            data-testid="bulk-close-fp"
          >
            Close as false positive
          </Button>
        )}
        <Box sx={{ flex: 1 }} />
        <Typography variant="caption" sx={{ color: 'text.secondary', display: { xs: 'none', lg: 'block' } }}>
          x toggles the current row
        </Typography>
        <Button size="small" color="inherit" startIcon={<CloseIcon fontSize="small" />} onClick={onClear} data-testid="bulk-clear">
          Clear
        </Button>
      </Box>
      {error && (
        <Alert severity="error" onClose={() => setError(null)} sx={{ mt: 1, whiteSpace: 'pre-line' }} data-testid="bulk-error">
          {error.status === 403 ? `You may not assign these cases — ${error.message}` : error.message}
        </Alert>
      )}
      <Menu
        anchorEl={menuAnchor}
        open={!!menuAnchor}
        onClose={() => setMenuAnchor(null)}
        slotProps={{ paper: { sx: { minWidth: 280, maxHeight: 420 } } }}
        data-testid="bulk-assign-menu"
      >
        <MenuItem onClick={() => assign({ name: 'you' })} data-testid="bulk-assign-me">
          <ListItemIcon>
            <PersonOutlined fontSize="small" />
          </ListItemIcon>
          <ListItemText primary="Me" secondary={me?.displayName} />
        </MenuItem>
        <Divider />
        <ListSubheader sx={{ lineHeight: '32px' }}>Colleagues · open cases</ListSubheader>
        {assigneesError && (
          <MenuItem disabled>
            <ListItemText primary="Could not load colleagues" secondary={assigneesError.message} />
          </MenuItem>
        )}
        {!assignees && !assigneesError && (
          <MenuItem disabled>
            <CircularProgress size={14} sx={{ mr: 1.5 }} /> Loading…
          </MenuItem>
        )}
        {assignees && others.length === 0 && <MenuItem disabled>No one else works cases</MenuItem>}
        {others.map((a) => (
          <MenuItem key={a.id} onClick={() => assign({ id: a.id, name: a.displayName })} data-testid={`bulk-assign-${a.id}`} sx={{ gap: 1.25 }}>
            <PersonAvatar name={a.displayName} size={26} />
            <ListItemText
              primary={a.displayName}
              secondary={roleLabel(a.role, { short: true })}
              slotProps={{ primary: { sx: { fontSize: 13.5, fontWeight: 550 } }, secondary: { sx: { fontSize: 12 } } }}
            />
            {a.canApprove && <VerifiedUserOutlined fontSize="small" sx={{ color: 'text.disabled' }} titleAccess="Can approve (four-eyes)" />}
            <Typography variant="caption" sx={{ color: 'text.secondary', fontVariantNumeric: 'tabular-nums', minWidth: 28, textAlign: 'right' }}>
              {formatCount(a.openCases)}
            </Typography>
          </MenuItem>
        ))}
      </Menu>
      <CloseFalsePositiveDialog
        open={closing}
        caseIds={caseIds}
        stake={bulkStake(cases, 'APPROVE')}
        onClose={() => setClosing(false)}
        onDone={(result) => {
          setClosing(false);
          onDone(closeResultMessage(result), result);
        }}
      />
    </Box>
  );
}
