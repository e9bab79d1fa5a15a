import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Divider from '@mui/material/Divider';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import ListSubheader from '@mui/material/ListSubheader';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import BookmarkAddOutlined from '@mui/icons-material/BookmarkAddOutlined';
import BookmarksOutlined from '@mui/icons-material/BookmarksOutlined';
import Check from '@mui/icons-material/Check';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import GroupsOutlined from '@mui/icons-material/GroupsOutlined';
import type { CaseFilter, SavedFilter } from '../../../../shared/src/cases.ts';
import { toApiError, type ApiError } from '../../api/client.ts';
import { useCan, useSession } from '../../api/session.ts';
import { deleteSavedFilter, fetchSavedFilters, saveFilter } from '../casesApi.ts';

/** Two filters are the same view when they ask the same question (empty values do not count). */
function sameFilter(a: CaseFilter, b: CaseFilter): boolean {
  const norm = (f: CaseFilter) =>
    JSON.stringify(
      Object.entries(f)
        .filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0))
        .sort(([x], [y]) => x.localeCompare(y)),
    );
  return norm(a) === norm(b);
}

/**
 * "Saved views": the user's own and colleagues' shared filters. Picking one replaces the URL's
 * filters; the current view can be saved (optionally shared) by those who work cases; one's own
 * views (and, for supervisors, colleagues' shared ones) can be deleted — as the service allows.
 */
export function SavedViewsMenu({ current, onApply }: { current: CaseFilter; onApply: (filter: CaseFilter) => void }) {
  const me = useSession()?.user;
  const canSave = useCan('case:work');
  const canSupervise = useCan('case:supervise');
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [views, setViews] = useState<SavedFilter[] | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [deleteError, setDeleteError] = useState<ApiError | null>(null);

  const load = () => {
    setLoadError(null);
    fetchSavedFilters().then(setViews, (caught: unknown) => setLoadError(toApiError(caught)));
  };

  const remove = async (view: SavedFilter) => {
    setDeleteError(null);
    try {
      await deleteSavedFilter(view.id);
      setViews((list) => list?.filter((v) => v.id !== view.id) ?? null);
    } catch (caught) {
      setDeleteError(toApiError(caught));
    }
  };

  const mine = (views ?? []).filter((v) => v.ownerId === me?.id);
  const shared = (views ?? []).filter((v) => v.ownerId !== me?.id);
  const active = (views ?? []).find((v) => sameFilter(v.filter, current));

  const item = (view: SavedFilter) => (
    <MenuItem
      key={view.id}
      onClick={() => {
        setAnchor(null);
        onApply(view.filter);
      }}
      data-testid={`saved-filter-${view.id}`}
      selected={view === active}
      sx={{ pr: 1, gap: 0.5 }}
    >
      <ListItemIcon>
        {view === active ? <Check fontSize="small" /> : view.shared ? <GroupsOutlined fontSize="small" sx={{ color: 'text.disabled' }} /> : null}
      </ListItemIcon>
      <ListItemText
        primary={view.name}
        secondary={view.ownerId === me?.id ? (view.shared ? 'Shared with everyone' : 'Only you') : `by ${view.ownerName}`}
        slotProps={{ primary: { noWrap: true, sx: { fontSize: 13.5, fontWeight: 550 } }, secondary: { sx: { fontSize: 12 } } }}
      />
      {canSave && (view.ownerId === me?.id || (view.shared && canSupervise)) && (
        <Tooltip title="Delete this view">
          <IconButton
            size="small"
            edge="end"
            aria-label={`Delete view ${view.name}`}
            data-testid={`saved-filter-delete-${view.id}`}
            onClick={(e) => {
              e.stopPropagation();
              void remove(view);
            }}
          >
            <DeleteOutlined fontSize="small" />
          </IconButton>
        </Tooltip>
      )}
    </MenuItem>
  );

  return (
    <>
      <Button
        size="small"
        variant="outlined"
        color="inherit"
        startIcon={<BookmarksOutlined fontSize="small" />}
        onClick={(e) => {
          setAnchor(e.currentTarget);
          load();
        }}
        data-testid="saved-filters"
        aria-haspopup="menu"
        sx={{ borderColor: 'divider', color: 'text.primary', maxWidth: 220 }}
      >
        <Box component="span" sx={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
          {active ? active.name : 'Saved views'}
        </Box>
      </Button>
      <Menu
        anchorEl={anchor}
        open={!!anchor}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
        slotProps={{ paper: { sx: { width: 300, maxHeight: 460 } } }}
        data-testid="saved-filters-menu"
      >
        {canSave && (
          <MenuItem
            onClick={() => {
              setAnchor(null);
              setSaving(true);
            }}
            data-testid="save-view"
          >
            <ListItemIcon>
              <BookmarkAddOutlined fontSize="small" />
            </ListItemIcon>
            <ListItemText primary="Save current view…" slotProps={{ primary: { sx: { fontSize: 13.5, fontWeight: 550 } } }} />
          </MenuItem>
        )}
        {canSave && <Divider />}
        {loadError && (
          <MenuItem disabled>
            <ListItemText primary="Could not load saved views" secondary={loadError.message} />
          </MenuItem>
        )}
        {deleteError && (
          <Box sx={{ px: 1.5, py: 0.5 }}>
            <Alert severity="error" onClose={() => setDeleteError(null)}>
              {deleteError.message}
            </Alert>
          </Box>
        )}
        {!views && !loadError && (
          <MenuItem disabled>
            <CircularProgress size={14} sx={{ mr: 1.5 }} /> Loading…
          </MenuItem>
        )}
        {views && views.length === 0 && (
          <MenuItem disabled sx={{ whiteSpace: 'normal' }}>
            <ListItemText
              primary="No saved views yet"
              secondary={canSave ? 'Filter the queue, then save the view to come back to it in one click.' : 'Views your colleagues share appear here.'}
            />
          </MenuItem>
        )}
        {mine.length > 0 && <ListSubheader sx={{ lineHeight: '30px' }}>My views</ListSubheader>}
        {mine.map(item)}
        {shared.length > 0 && <ListSubheader sx={{ lineHeight: '30px' }}>Shared by colleagues</ListSubheader>}
        {shared.map(item)}
      </Menu>
      <SaveViewDialog
        open={saving}
        filter={current}
        onClose={() => setSaving(false)}
        onSaved={(view) => {
          setSaving(false);
          setViews((list) => (list ? [...list, view] : list));
        }}
      />
    </>
  );
}

function SaveViewDialog({ open, filter, onClose, onSaved }: { open: boolean; filter: CaseFilter; onClose: () => void; onSaved: (view: SavedFilter) => void }) {
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const trimmed = name.trim();

  async function save() {
    if (!trimmed || submitting) return;
    setSubmitting(true);
    setError(null);
    try {
      const view = await saveFilter({ name: trimmed, filter, shared });
      setName('');
      setShared(false);
      onSaved(view);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <Dialog open={open} onClose={submitting ? undefined : onClose} maxWidth="xs" fullWidth aria-labelledby="save-view-title" data-testid="save-view-dialog">
      <DialogTitle id="save-view-title">Save this view</DialogTitle>
      <DialogContent>
        {error && (
          <Alert severity="error" sx={{ mb: 2 }}>
            {error.message}
          </Alert>
        )}
        <TextField
          autoFocus
          fullWidth
          label="Name"
          placeholder="e.g. Critical M-PESA, unassigned"
          value={name}
          onChange={(e) => setName(e.target.value.slice(0, 80))}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void save();
          }}
          disabled={submitting}
          sx={{ mt: 1 }}
          slotProps={{ htmlInput: { 'data-testid': 'save-view-name', maxLength: 80 } as Record<string, unknown> }}
        />
        <FormControlLabel
          sx={{ mt: 1 }}
          control={
            <Checkbox
              checked={shared}
              onChange={(e) => setShared(e.target.checked)}
              slotProps={{ input: { 'data-testid': 'save-view-shared' } as Record<string, unknown> }}
            />
          }
          label="Share with everyone who works cases"
          disabled={submitting}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} color="inherit" disabled={submitting}>
          Cancel
        </Button>
        <Button variant="contained" onClick={save} disabled={!trimmed || submitting} data-testid="save-view-confirm">
          Save view
        </Button>
      </DialogActions>
    </Dialog>
  );
}
