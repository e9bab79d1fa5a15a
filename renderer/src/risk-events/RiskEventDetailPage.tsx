// One risk event: what happened, severity, source (a person, a KRI breach, a bank system), the
// financial impact with its currency, the linked risk and KRI, the machine's details, and its
// close. Risk officers edit an open event or close it with a note.
import { useCallback, useState, type ReactNode } from 'react';
import { Link as RouterLink, useParams } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Link from '@mui/material/Link';
import Snackbar from '@mui/material/Snackbar';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import ArrowBack from '@mui/icons-material/ArrowBack';
import EditOutlined from '@mui/icons-material/EditOutlined';
import TaskAltOutlined from '@mui/icons-material/TaskAltOutlined';
import type { RiskEvent } from '../../../shared/src/risk-events.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { useCan } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { FONT_MONO } from '../app/theme.ts';
import { formatEat, formatMoney } from '../lib/format.ts';
import { EVENT_SOURCE_LABELS, EVENT_TYPE_LABELS, EventStatusChip, SeverityChip } from '../kris/kriChips.tsx';
import { CardSkeleton, ErrorState, Page, PageHeader, RefreshButton, SectionCard } from '../ui/layout.tsx';
import { RiskEventDialog } from './RiskEventDialog.tsx';
import { closeRiskEvent, fetchRiskEvent } from './riskEventsApi.ts';
import { useRegisterLookups } from './useRegisterLookups.ts';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        {label}
      </Typography>
      <Typography variant="body2" component="div" sx={{ minWidth: 0, overflowWrap: 'anywhere' }}>
        {children}
      </Typography>
    </>
  );
}

function CloseDialog({ event, onClose, onClosed }: { event: RiskEvent; onClose: () => void; onClosed: (event: RiskEvent) => void }) {
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const close = async () => {
    setSaving(true);
    setError(null);
    try {
      onClosed(await closeRiskEvent(event.id, { expectedVersion: event.version, ...(note.trim() ? { note: note.trim() } : {}) }));
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Dialog open onClose={saving ? undefined : onClose} maxWidth="sm" fullWidth data-testid="risk-event-close-dialog">
      <DialogTitle>Close {event.reference}</DialogTitle>
      <DialogContent sx={{ pt: '8px !important' }}>
        <TextField
          label="Closing note"
          fullWidth
          multiline
          minRows={3}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          error={!!error?.fields.find((f) => f.path === 'body.note')}
          helperText={error?.fields.find((f) => f.path === 'body.note')?.message ?? 'What was done; kept with the event'}
          slotProps={{ htmlInput: { maxLength: 1000, 'data-testid': 'risk-event-close-note' } }}
        />
        {event.type === 'KRI_BREACH' && (
          <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block', mt: 1 }}>
            A later breach of the KRI opens a new event.
          </Typography>
        )}
        {error && !error.fields.some((f) => f.path === 'body.note') && (
          <Alert severity="error" sx={{ mt: 1.5 }}>
            {error.message}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={saving}>
          Cancel
        </Button>
        <Button
          variant="contained"
          onClick={() => void close()}
          disabled={saving}
          data-testid="risk-event-close-confirm"
          startIcon={saving ? <CircularProgress size={16} /> : null}
        >
          Close event
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export function RiskEventDetailPage() {
  const { id = '' } = useParams();
  const canManage = useCan('risk:manage');
  const query = useApiQuery(
    `risk-event:${id}`,
    useCallback((signal: AbortSignal) => fetchRiskEvent(id, signal), [id]),
  );
  const lookups = useRegisterLookups();
  const [editing, setEditing] = useState(false);
  const [closing, setClosing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const event = query.data;

  if (query.error && !event)
    return (
      <Page>
        <ErrorState error={query.error} onRetry={() => query.refetch()} title="Could not load the risk event" />
      </Page>
    );
  if (!event)
    return (
      <Page>
        <CardSkeleton lines={6} />
      </Page>
    );

  const risk = event.riskId ? lookups.risks.get(event.riskId) : undefined;
  const kri = event.kriId ? lookups.kris.get(event.kriId) : undefined;
  const details = event.details ? Object.entries(event.details) : [];

  return (
    <Page maxWidth={1200}>
      <Button component={RouterLink} to="/risk-events" size="small" startIcon={<ArrowBack fontSize="small" />} sx={{ mb: 1 }}>
        Risk events
      </Button>
      <PageHeader
        title={
          <Box component="span" sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
            <Box component="span" sx={{ fontFamily: FONT_MONO, color: 'text.secondary', fontSize: '0.8em' }}>
              {event.reference}
            </Box>
            <span data-testid="risk-event-title">{event.title}</span>
            <SeverityChip severity={event.severity} testId="risk-event-severity" />
            <EventStatusChip status={event.status} />
          </Box>
        }
        subtitle={`${EVENT_TYPE_LABELS[event.type] ?? event.type} · ${EVENT_SOURCE_LABELS[event.source] ?? event.source} · occurred ${formatEat(event.occurredAt)}`}
        actions={
          <>
            <RefreshButton onClick={() => query.refetch({ silent: true })} label="Refresh the event" />
            {canManage && event.status === 'OPEN' && (
              <>
                <Button variant="outlined" startIcon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="risk-event-edit">
                  Edit
                </Button>
                <Button variant="contained" startIcon={<TaskAltOutlined />} onClick={() => setClosing(true)} data-testid="risk-event-close">
                  Close
                </Button>
              </>
            )}
          </>
        }
      />
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '3fr 2fr' }, gap: 2 }}>
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, minWidth: 0 }}>
          <SectionCard title="What happened" testId="risk-event-description">
            <Typography variant="body2" sx={{ whiteSpace: 'pre-line', color: event.description ? 'text.primary' : 'text.secondary' }}>
              {event.description || 'No description.'}
            </Typography>
          </SectionCard>
          {details.length > 0 && (
            <SectionCard title="Details from the source" subtitle="As the bank's system or the KRI reported them" testId="risk-event-details">
              <Box sx={{ display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 2, rowGap: 0.5 }}>
                {details.map(([key, value]) => (
                  <Fact key={key} label={key}>
                    <Box component="span" sx={{ fontFamily: FONT_MONO, fontSize: 12.5 }}>
                      {typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value)}
                    </Box>
                  </Fact>
                ))}
              </Box>
            </SectionCard>
          )}
          {event.status === 'CLOSED' && (
            <SectionCard title="Closed" testId="risk-event-closed">
              <Typography variant="body2">
                {event.closedAt ? formatEat(event.closedAt) : ''}
                {event.closedBy ? ` by ${event.closedBy}` : ''}
              </Typography>
              {event.closeNote && (
                <Typography variant="body2" sx={{ whiteSpace: 'pre-line', mt: 0.5, color: 'text.secondary' }}>
                  {event.closeNote}
                </Typography>
              )}
            </SectionCard>
          )}
        </Box>
        <SectionCard title="Facts" testId="risk-event-facts">
          <Box sx={{ display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 2, rowGap: 0.75 }}>
            <Fact label="Financial impact">
              <span data-testid="risk-event-impact">
                {event.financialImpact != null ? (
                  <Box component="span" sx={{ fontFamily: FONT_MONO, fontWeight: 650 }}>
                    {formatMoney(event.financialImpact, event.currency ?? 'KES')}
                  </Box>
                ) : (
                  'None recorded'
                )}
              </span>
            </Fact>
            <Fact label="Risk">
              {event.riskId ? (
                <Link component={RouterLink} to={`/risks/${event.riskId}`} underline="hover">
                  {risk ? `${risk.reference} ${risk.title}` : 'Open the risk'}
                </Link>
              ) : (
                '—'
              )}
            </Fact>
            <Fact label="KRI">
              {event.kriId ? (
                <Link component={RouterLink} to={`/kris/${event.kriId}`} underline="hover" data-testid="risk-event-kri-link">
                  {kri ? `${kri.reference} ${kri.title}` : 'Open the KRI'}
                </Link>
              ) : (
                '—'
              )}
            </Fact>
            <Fact label="Source">{EVENT_SOURCE_LABELS[event.source] ?? event.source}</Fact>
            {event.externalId && (
              <Fact label="External id">
                <Box component="span" sx={{ fontFamily: FONT_MONO, fontSize: 12.5 }}>
                  {event.externalId}
                </Box>
              </Fact>
            )}
            <Fact label="Tenant">{event.tenantId}</Fact>
            <Fact label="Recorded">
              {formatEat(event.createdAt)} by {event.createdBy}
            </Fact>
            {event.updatedAt !== event.createdAt && (
              <Fact label="Updated">
                {formatEat(event.updatedAt)} by {event.updatedBy}
              </Fact>
            )}
          </Box>
        </SectionCard>
      </Box>
      {editing && (
        <RiskEventDialog
          event={event}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            setNotice('Event saved');
            query.refetch({ silent: true });
          }}
        />
      )}
      {closing && (
        <CloseDialog
          event={event}
          onClose={() => setClosing(false)}
          onClosed={() => {
            setClosing(false);
            setNotice(`${event.reference} closed`);
            query.refetch({ silent: true });
          }}
        />
      )}
      <Snackbar open={!!notice} autoHideDuration={5000} onClose={() => setNotice(null)} message={notice} />
    </Page>
  );
}
