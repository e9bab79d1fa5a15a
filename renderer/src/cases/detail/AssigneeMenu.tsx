import { useCallback } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { useApiQuery } from '../../api/useApiQuery.ts';
import { roleLabel } from '../../lib/roles.ts';
import { PersonAvatar } from '../../ui/values.tsx';
import { fetchAssignees, type Assignee } from '../casesApi.ts';

/** People who can work cases, least loaded first, for a supervisor to hand a case to. */
export function AssigneeMenu({
  anchor,
  currentAssigneeId,
  onClose,
  onPick,
}: {
  anchor: HTMLElement | null;
  currentAssigneeId: string | null;
  onClose: () => void;
  onPick: (assignee: Assignee) => void;
}) {
  const open = !!anchor;
  // Fetched each time the menu opens, so the open-case counts are current.
  const fetcher = useCallback((signal: AbortSignal) => (open ? fetchAssignees(signal) : Promise.resolve<Assignee[]>([])), [open]);
  const { data, error, loading } = useApiQuery(`assignees:${open}`, fetcher);
  const people = [...(data ?? [])].sort((a, b) => a.openCases - b.openCases || a.displayName.localeCompare(b.displayName));

  return (
    <Menu
      anchorEl={anchor}
      open={open}
      onClose={onClose}
      anchorOrigin={{ vertical: 'bottom', horizontal: 'left' }}
      slotProps={{ paper: { sx: { width: 300, maxHeight: 420 } }, list: { dense: true, 'aria-label': 'Assign to' } as Record<string, unknown> }}
      data-testid="assignee-menu"
    >
      <Typography variant="overline" sx={{ px: 2, color: 'text.secondary', display: 'block' }}>
        Assign to
      </Typography>
      {error && (
        <Alert severity="error" sx={{ mx: 1.5, my: 0.5 }}>
          {error.message}
        </Alert>
      )}
      {loading &&
        Array.from({ length: 3 }, (_, i) => (
          <Box key={i} sx={{ px: 2, py: 0.75 }}>
            <Skeleton width="70%" />
          </Box>
        ))}
      {!loading && !error && people.length === 0 && (
        <Typography variant="body2" sx={{ px: 2, py: 1, color: 'text.secondary' }}>
          Nobody else can work cases.
        </Typography>
      )}
      {!loading &&
        people.map((person) => (
          <MenuItem key={person.id} disabled={person.id === currentAssigneeId} onClick={() => onPick(person)} data-testid={`assignee-option-${person.id}`}>
            <ListItemIcon>
              <PersonAvatar name={person.displayName} size={26} />
            </ListItemIcon>
            <ListItemText
              primary={person.displayName + (person.id === currentAssigneeId ? ' (current)' : '')}
              secondary={`${roleLabel(person.role, { short: true })} · ${person.openCases} open`}
            />
          </MenuItem>
        ))}
    </Menu>
  );
}
