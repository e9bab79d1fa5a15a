import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import ArrowForward from '@mui/icons-material/ArrowForward';
import MemoryOutlined from '@mui/icons-material/MemoryOutlined';
import SendOutlined from '@mui/icons-material/SendOutlined';
import SwapVert from '@mui/icons-material/SwapVert';
import { CaseState, type CaseComment, type TimelineEntry } from '../../../shared/src/cases.ts';
import { toApiError } from '../api/client.ts';
import { formatAge, formatEat, humanise } from '../lib/format.ts';
import { roleLabel } from '../lib/roles.ts';
import { useNow } from '../lib/useNow.ts';
import { CaseStateChip } from '../ui/chips.tsx';
import { SectionCard } from '../ui/layout.tsx';
import { PersonAvatar } from '../ui/values.tsx';
import { entryState, mergeActivity, type ActivityItem } from './caseDetailModel.ts';

const COMMENT_MAX = 4000;
type Show = 'all' | 'comments' | 'events';
type Order = 'newest' | 'oldest';

function StateChange({ before, after }: { before: string | null; after: string | null }) {
  const b = CaseState.safeParse(before);
  const a = CaseState.safeParse(after);
  if (!a.success || before === after) return null;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5, mt: 0.75 }}>
      {b.success && <CaseStateChip state={b.data} />}
      {b.success && <ArrowForward sx={{ fontSize: 14, color: 'text.disabled' }} />}
      <CaseStateChip state={a.data} />
    </Box>
  );
}

function When({ at, now }: { at: string; now: number }) {
  return (
    <Tooltip title={formatEat(at)}>
      <Box component="time" dateTime={at} sx={{ cursor: 'default' }}>
        {formatEat(at).replace(/:\d\d EAT$/, ' EAT')} ({formatAge(at, now)})
      </Box>
    </Tooltip>
  );
}

function Composer({ onAdd }: { onAdd: (body: string) => Promise<void> }) {
  const [body, setBody] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const trimmed = body.trim();

  async function send() {
    if (!trimmed || sending) return;
    setSending(true);
    setError(null);
    try {
      await onAdd(trimmed);
      setBody('');
    } catch (caught) {
      const apiError = toApiError(caught);
      setError(apiError.fields[0]?.message ?? apiError.message);
    } finally {
      setSending(false);
    }
  }

  return (
    <Box sx={{ mb: 2 }}>
      <TextField
        fullWidth
        multiline
        minRows={2}
        maxRows={10}
        placeholder="Add a comment for the case file — what you checked, who you called, what you found"
        value={body}
        onChange={(e) => setBody(e.target.value.slice(0, COMMENT_MAX))}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void send();
          }
        }}
        disabled={sending}
        error={!!error}
        helperText={
          error ??
          (body.length > COMMENT_MAX * 0.9 ? `${body.length}/${COMMENT_MAX}` : 'Comments are permanent: they cannot be edited or deleted. Ctrl+Enter to post.')
        }
        slotProps={{ htmlInput: { 'data-testid': 'comment-input', 'aria-label': 'New comment', maxLength: COMMENT_MAX } as Record<string, unknown> }}
      />
      <Box sx={{ display: 'flex', justifyContent: 'flex-end', mt: 0.5 }}>
        <Button
          variant="contained"
          size="small"
          onClick={send}
          disabled={!trimmed || sending}
          startIcon={sending ? <CircularProgress size={14} color="inherit" /> : <SendOutlined fontSize="small" />}
          data-testid="comment-submit"
        >
          Post comment
        </Button>
      </Box>
    </Box>
  );
}

function Row({ item, last, now }: { item: ActivityItem; last: boolean; now: number }) {
  const theme = useTheme();
  const line = !last && <Box sx={{ position: 'absolute', left: 13, top: 30, bottom: 2, width: 2, bgcolor: 'divider', borderRadius: 1 }} />;
  if (item.kind === 'comment') {
    const c = item.comment;
    return (
      <Box component="li" data-testid="comment-item" data-comment-id={c.id} sx={{ display: 'flex', gap: 1.5, position: 'relative', pb: last ? 0 : 2 }}>
        {line}
        <Box sx={{ flexShrink: 0 }}>
          <PersonAvatar name={c.authorName} size={28} />
        </Box>
        <Box sx={{ minWidth: 0, flex: 1 }}>
          <Typography variant="caption" sx={{ color: 'text.secondary' }}>
            <Box component="span" sx={{ color: 'text.primary', fontWeight: 600 }}>
              {c.authorName}
            </Box>{' '}
            commented · <When at={c.createdAt} now={now} />
          </Typography>
          <Box
            sx={{
              mt: 0.5,
              px: 1.5,
              py: 1,
              borderRadius: 2,
              borderTopLeftRadius: 4,
              bgcolor: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.1 : 0.05),
              border: `1px solid ${alpha(theme.palette.primary.main, 0.15)}`,
            }}
          >
            <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid="comment-body">
              {c.body}
            </Typography>
          </Box>
        </Box>
      </Box>
    );
  }
  const entry = item.entry;
  const { before, after } = entryState(entry);
  const machine = /^(SYSTEM|PAYMENT_ENGINE)$/i.test(entry.actorRole);
  return (
    <Box component="li" data-testid="timeline-entry" data-command={entry.command} sx={{ display: 'flex', gap: 1.5, position: 'relative', pb: last ? 0 : 2 }}>
      {line}
      <Box sx={{ flexShrink: 0 }}>
        {machine ? (
          <Box
            aria-label="System"
            sx={{ width: 28, height: 28, borderRadius: '50%', bgcolor: 'action.selected', color: 'primary.main', display: 'grid', placeItems: 'center' }}
          >
            <MemoryOutlined sx={{ fontSize: 16 }} />
          </Box>
        ) : (
          <PersonAvatar name={entry.actorName} size={28} />
        )}
      </Box>
      <Box sx={{ minWidth: 0, flex: 1 }}>
        <Typography variant="body2" sx={{ fontWeight: 550 }}>
          {entry.summary || humanise(entry.command)}
        </Typography>
        <Typography variant="caption" sx={{ color: 'text.secondary' }}>
          {entry.actorName} · {roleLabel(entry.actorRole, { short: true })} · <When at={entry.occurredAt} now={now} />
        </Typography>
        <StateChange before={before} after={after} />
      </Box>
    </Box>
  );
}

/** The case's history (from the audit log) and its comments in one stream, with the comment box on top. */
export function TimelineCard({
  entries,
  comments = [],
  canComment = false,
  onAddComment,
}: {
  entries: TimelineEntry[];
  comments?: CaseComment[];
  canComment?: boolean;
  onAddComment?: (body: string) => Promise<void>;
}) {
  const now = useNow();
  const [order, setOrder] = useState<Order>('newest');
  const [show, setShow] = useState<Show>('all');
  const all = mergeActivity(entries, comments, order);
  const items = all.filter((i) => show === 'all' || (show === 'comments' ? i.kind === 'comment' : i.kind === 'event'));
  const commentCount = comments.length;

  return (
    <SectionCard
      title="Activity"
      subtitle={`${entries.length} ${entries.length === 1 ? 'event' : 'events'} · ${commentCount} ${commentCount === 1 ? 'comment' : 'comments'}`}
      testId="timeline-card"
      action={
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
          <ToggleButtonGroup
            size="small"
            exclusive
            value={show}
            onChange={(_e, v: Show | null) => v && setShow(v)}
            aria-label="Show"
            sx={{ '& .MuiToggleButton-root': { py: 0.25, px: 1.25, fontSize: 12 } }}
          >
            <ToggleButton value="all" data-testid="activity-show-all">
              All
            </ToggleButton>
            <ToggleButton value="comments" data-testid="activity-show-comments">
              Comments
            </ToggleButton>
            <ToggleButton value="events" data-testid="activity-show-events">
              History
            </ToggleButton>
          </ToggleButtonGroup>
          <Tooltip title={order === 'newest' ? 'Newest first — click for oldest first' : 'Oldest first — click for newest first'}>
            <Button
              size="small"
              color="inherit"
              startIcon={<SwapVert fontSize="small" />}
              onClick={() => setOrder((o) => (o === 'newest' ? 'oldest' : 'newest'))}
              data-testid="timeline-order"
              data-order={order}
              sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}
            >
              {order === 'newest' ? 'Newest first' : 'Oldest first'}
            </Button>
          </Tooltip>
        </Box>
      }
    >
      {canComment && onAddComment && <Composer onAdd={onAddComment} />}
      {items.length === 0 && (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {show === 'comments' ? 'No comments yet.' : 'No activity recorded yet.'}
        </Typography>
      )}
      <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }} data-testid="activity-list">
        {items.map((item, index) => (
          <Row key={item.kind === 'comment' ? `c-${item.comment.id}` : `e-${item.entry.id}`} item={item} last={index === items.length - 1} now={now} />
        ))}
      </Box>
    </SectionCard>
  );
}
