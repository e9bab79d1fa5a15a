import { useState, type KeyboardEvent } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import InputBase from '@mui/material/InputBase';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import AddIcon from '@mui/icons-material/Add';
import LocalOfferOutlined from '@mui/icons-material/LocalOfferOutlined';
import { toApiError } from '../../api/client.ts';
import { softChipSx } from '../../ui/chips.tsx';

const TAG_PATTERN = /^[\p{L}\p{N} _-]+$/u;
const MAX_TAGS = 20;
const MAX_TAG_LENGTH = 40;

function tagProblem(tag: string, existing: readonly string[]): string | null {
  if (!tag) return null;
  if (tag.length > MAX_TAG_LENGTH) return `At most ${MAX_TAG_LENGTH} characters`;
  if (!TAG_PATTERN.test(tag)) return 'Letters, digits, spaces, - and _ only';
  if (existing.some((t) => t.toLowerCase() === tag.toLowerCase())) return 'Already tagged';
  if (existing.length >= MAX_TAGS) return `At most ${MAX_TAGS} tags`;
  return null;
}

/** The case's tags as chips; with `editable`, remove with × and add by typing + Enter. */
export function TagsEditor({ tags, editable, onSave }: { tags: readonly string[]; editable: boolean; onSave: (tags: string[]) => Promise<void> }) {
  const theme = useTheme();
  const [adding, setAdding] = useState(false);
  const [draft, setDraft] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const trimmed = draft.trim();
  const problem = tagProblem(trimmed, tags);

  async function save(next: string[]) {
    setSaving(true);
    setError(null);
    try {
      await onSave(next);
      setDraft('');
    } catch (caught) {
      const apiError = toApiError(caught);
      setError(apiError.fields[0]?.message ?? apiError.message);
    } finally {
      setSaving(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      if (trimmed && !problem) void save([...tags, trimmed]);
    } else if (event.key === 'Escape') {
      setAdding(false);
      setDraft('');
    }
  }

  const chipSx = [softChipSx(theme.palette.status.info, theme), { fontWeight: 550 }];
  return (
    <Box data-testid="case-tags" sx={{ display: 'flex', alignItems: 'center', gap: 0.75, flexWrap: 'wrap', minHeight: 28 }}>
      <LocalOfferOutlined sx={{ fontSize: 16, color: 'text.secondary' }} aria-label="Tags" />
      {tags.length === 0 && !adding && (
        <Typography variant="body2" sx={{ color: 'text.disabled' }}>
          No tags
        </Typography>
      )}
      {tags.map((tag) => (
        <Chip
          key={tag}
          label={tag}
          data-testid="case-tag"
          onDelete={editable && !saving ? () => void save(tags.filter((t) => t !== tag)) : undefined}
          sx={chipSx}
        />
      ))}
      {editable &&
        (adding ? (
          <Box sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5 }}>
            <InputBase
              autoFocus
              value={draft}
              onChange={(e) => setDraft(e.target.value.slice(0, MAX_TAG_LENGTH + 1))}
              onKeyDown={onKeyDown}
              onBlur={() => {
                if (!trimmed) setAdding(false);
              }}
              placeholder="New tag, Enter to add"
              disabled={saving}
              inputProps={{ 'data-testid': 'tag-input', 'aria-label': 'New tag' }}
              sx={{ fontSize: 13, px: 1, height: 26, width: 180, border: 1, borderColor: problem ? 'error.main' : 'divider', borderRadius: 4 }}
            />
            <Button
              size="small"
              onClick={() => void save([...tags, trimmed])}
              disabled={!trimmed || !!problem || saving}
              data-testid="tag-add"
              sx={{ minWidth: 0 }}
            >
              {saving ? <CircularProgress size={14} /> : 'Add'}
            </Button>
          </Box>
        ) : (
          <Button
            size="small"
            startIcon={<AddIcon sx={{ fontSize: '16px !important' }} />}
            onClick={() => {
              setAdding(true);
              setError(null);
            }}
            data-testid="tag-new"
            sx={{ color: 'text.secondary', py: 0.125, minHeight: 0 }}
          >
            Tag
          </Button>
        ))}
      {(problem || error) && (
        <Typography variant="caption" sx={{ color: 'error.main' }} role="alert">
          {problem ?? error}
        </Typography>
      )}
    </Box>
  );
}
