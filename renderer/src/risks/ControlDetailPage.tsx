// One control: what it is, its effectiveness and test status, the risks it lowers, and its test
// history with evidence; "Record test", edit and delete for those who manage risks.
import { useCallback, useState } from 'react';
import { Link as RouterLink, useNavigate, useParams } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Skeleton from '@mui/material/Skeleton';
import Snackbar from '@mui/material/Snackbar';
import Typography from '@mui/material/Typography';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import EditOutlined from '@mui/icons-material/EditOutlined';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import { useCan, useSession } from '../api/session.ts';
import { toApiError } from '../api/client.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { NotFoundPage } from '../app/guards.tsx';
import { ConfirmDialog } from '../decision-engine/ConfirmDialog.tsx';
import { formatBytes } from '../cases/detail/attachmentFiles.ts';
import { formatEatMinutes } from '../lib/format.ts';
import { CardSkeleton, ErrorState, Page, SectionCard } from '../ui/layout.tsx';
import { Mono } from '../ui/values.tsx';
import { NextTest } from './controlBits.tsx';
import { editError } from './formErrors.ts';
import { NewControlDialog } from './NewControlDialog.tsx';
import { RecordTestDialog } from './RecordTestDialog.tsx';
import { EFFECTIVENESS_TONE, humanise, TEST_RESULT_TONE, ToneChip } from './riskChips.tsx';
import { deleteControl, downloadEvidence, fetchControl, fetchControlTests } from './risksApi.ts';
import { CONTROL_TYPE_LABELS, formatDay, FREQUENCY_LABELS } from './riskText.ts';

export function ControlDetailPage() {
  const { id = '' } = useParams();
  const canManage = useCan('risk:manage');
  const [revision, setRevision] = useState(0);
  const [recording, setRecording] = useState(false);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const navigate = useNavigate();
  const session = useSession();
  const [notice, setNotice] = useState<string | null>(null);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const controlFetcher = useCallback((signal: AbortSignal) => fetchControl(id, signal), [id]);
  const control = useApiQuery(`control:${id}:${revision}`, controlFetcher);
  const testsFetcher = useCallback((signal: AbortSignal) => fetchControlTests(id, signal), [id]);
  const tests = useApiQuery(`control-tests:${id}:${revision}`, testsFetcher);
  const c = control.data;
  useLiveRefresh(['register.changed'], () => {
    control.refetch({ silent: true });
    tests.refetch({ silent: true });
  });

  if (!c && (control.error?.status === 404 || control.error?.status === 400)) return <NotFoundPage />;
  if (!c) {
    return (
      <Page maxWidth={1200}>
        {control.error ? (
          <ErrorState error={control.error} onRetry={() => control.refetch()} title="Could not load the control" />
        ) : (
          <>
            <Skeleton width={320} height={40} />
            <CardSkeleton lines={6} />
          </>
        )}
      </Page>
    );
  }
  return (
    <Page maxWidth={1200}>
      <Link component={RouterLink} to="/controls" underline="hover" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, fontSize: 13, mb: 1 }}>
        <ArrowBackIcon sx={{ fontSize: 16 }} /> Controls
      </Link>
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 2, flexWrap: 'wrap', mb: 2 }}>
        <Box sx={{ flex: 1, minWidth: 280 }}>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
            <Mono sx={{ fontWeight: 700, fontSize: 15 }}>{c.reference}</Mono>
            <ToneChip label={humanise(c.effectiveness)} tone={EFFECTIVENESS_TONE[c.effectiveness] ?? 'neutral'} testId="control-effectiveness" />
          </Box>
          <Typography variant="h3" component="h1" sx={{ mt: 0.5, overflowWrap: 'anywhere' }}>
            {c.name}
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.5 }}>
            {CONTROL_TYPE_LABELS[c.type]} · tested {FREQUENCY_LABELS[c.frequency].toLowerCase()} · {c.tenantId} · owner {c.ownerName}
          </Typography>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 0.75 }}>
            <Typography variant="body2" sx={{ color: 'text.secondary' }}>
              Next test
            </Typography>
            <NextTest control={c} />
          </Box>
        </Box>
        {canManage && (
          <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', justifyContent: 'flex-end' }}>
            <Button size="small" variant="outlined" startIcon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="control-edit">
              Edit
            </Button>
            <Button size="small" variant="outlined" color="error" startIcon={<DeleteOutlined />} onClick={() => setDeleting(true)} data-testid="control-delete">
              Delete
            </Button>
            <Button variant="contained" startIcon={<FactCheckOutlined />} onClick={() => setRecording(true)} data-testid="control-record-test">
              Record test
            </Button>
          </Box>
        )}
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: 'minmax(0, 1fr)', md: 'minmax(0, 1fr) 360px' }, gap: 2, alignItems: 'start' }}>
        <SectionCard title="Tests" subtitle="Newest first; effectiveness follows the latest" testId="control-tests">
          {tests.error && <ErrorState error={tests.error} onRetry={() => tests.refetch()} title="Could not load the tests" />}
          {downloadError && (
            <Alert severity="error" sx={{ mb: 1 }} onClose={() => setDownloadError(null)}>
              {downloadError}
            </Alert>
          )}
          {tests.data && tests.data.length === 0 && (
            <Typography variant="body2" sx={{ color: 'text.secondary' }}>
              Never tested: the control counts as not tested and lowers no score.
            </Typography>
          )}
          <Box component="ol" sx={{ m: 0, p: 0, listStyle: 'none', display: 'grid', gap: 1.5 }}>
            {(tests.data ?? []).map((t) => (
              <Box component="li" key={t.id} sx={{ borderLeft: 3, borderColor: 'divider', pl: 1.25 }} data-testid="control-test-row" data-result={t.result}>
                <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
                  <ToneChip label={humanise(t.result)} tone={TEST_RESULT_TONE[t.result] ?? 'neutral'} />
                  <Typography variant="body2" sx={{ fontWeight: 600 }}>
                    {formatEatMinutes(t.testedAt)}
                  </Typography>
                  <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                    by {t.testerName} · next {formatDay(t.nextTestDate)}
                  </Typography>
                </Box>
                <Typography variant="body2" sx={{ mt: 0.5, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {t.notes}
                </Typography>
                {t.evidence && (
                  <Button
                    size="small"
                    sx={{ mt: 0.25, px: 0.5 }}
                    onClick={() => {
                      setDownloadError(null);
                      downloadEvidence(c.id, t.id, t.evidence?.fileName ?? 'evidence').catch((caught: unknown) => setDownloadError(toApiError(caught).message));
                    }}
                    title={`SHA-256 ${t.evidence.sha256}`}
                  >
                    {t.evidence.fileName} · {formatBytes(t.evidence.sizeBytes)}
                  </Button>
                )}
              </Box>
            ))}
          </Box>
        </SectionCard>
        <Box sx={{ display: 'grid', gap: 2 }}>
          <SectionCard title="Risks it lowers" subtitle={c.type === 'PREVENTIVE' ? 'Lowers their likelihood' : 'Lowers their impact'} testId="control-risks">
            {c.linkedRisks.length === 0 && (
              <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                Linked to no risk yet: link it from a risk's page.
              </Typography>
            )}
            <Box sx={{ display: 'grid', gap: 0.75 }}>
              {c.linkedRisks.map((r) => (
                <Link key={r.id} component={RouterLink} to={`/risks/${r.id}`} underline="hover" noWrap title={r.title}>
                  <Mono sx={{ fontWeight: 650, mr: 1 }}>{r.reference}</Mono>
                  {r.title}
                </Link>
              ))}
            </Box>
          </SectionCard>
          {c.description && (
            <SectionCard title="About this control">
              <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {c.description}
              </Typography>
            </SectionCard>
          )}
        </Box>
      </Box>
      {recording && (
        <RecordTestDialog
          control={c}
          onClose={() => setRecording(false)}
          onSaved={(recorded) => {
            setRecording(false);
            setNotice(`${humanise(recorded.test.result)} recorded: ${c.reference} is now ${humanise(recorded.control.effectiveness).toLowerCase()}`);
            setRevision((r) => r + 1);
          }}
        />
      )}
      {editing && (
        <NewControlDialog
          control={c}
          tenants={session?.user.tenantIds ?? [c.tenantId]}
          onClose={() => setEditing(false)}
          onCreated={(saved) => {
            setEditing(false);
            setNotice(`${saved.reference} saved`);
            setRevision((r) => r + 1);
          }}
        />
      )}
      {/* Deleting is never the default: no autofocus, Enter does nothing, Cancel comes first. */}
      <ConfirmDialog
        open={deleting}
        testId="control-delete-dialog"
        confirmTestId="control-delete-confirm"
        title={`Delete ${c.reference}?`}
        body={
          <>
            “{c.name}” leaves the library.{' '}
            {c.linkedRisks.length === 0
              ? 'It lowers no risk today.'
              : `The ${c.linkedRisks.length === 1 ? 'risk it lowers has its' : `${c.linkedRisks.length} risks it lowers have their`} residual score recomputed without it.`}{' '}
            Its tests stay in the audit trail.
          </>
        }
        confirmLabel="Delete control"
        confirmColor="error"
        onClose={() => setDeleting(false)}
        onConfirm={async () => {
          try {
            await deleteControl(c.id, c.version);
          } catch (caught) {
            throw editError(caught);
          }
          navigate('/controls', { replace: true });
        }}
      />
      <Snackbar open={!!notice} autoHideDuration={6000} onClose={() => setNotice(null)} message={notice} />
    </Page>
  );
}
