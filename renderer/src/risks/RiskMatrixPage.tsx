// The risk matrix editor (issue 13): admins with risk:configure edit level names, colours and
// review cadences, the scale names and the cells, and publish the result as a new version with a
// note. Past assessments keep the version they froze. Everyone who reads risks sees the matrix
// and its history.
import { useCallback, useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import Snackbar from '@mui/material/Snackbar';
import TextField from '@mui/material/TextField';
import type { RiskMatrixVersion } from '../../../shared/src/risk-register.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { useCan } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { formatEatMinutes } from '../lib/format.ts';
import { CardSkeleton, ErrorState, Page, PageHeader, RefreshButton, SectionCard } from '../ui/layout.tsx';
import { otherErrors, serverErrors } from './formErrors.ts';
import { CellsEditor, LevelsEditor } from './MatrixEditor.tsx';
import { draftChanged, draftProblems, fromDraft, toDraft, type MatrixDraft } from './matrixDraft.ts';
import { fetchMatrix, fetchMatrixVersions, saveMatrix } from './risksApi.ts';
import { noteText } from './riskText.ts';

export function RiskMatrixPage() {
  const canConfigure = useCan('risk:configure');
  const [revision, setRevision] = useState(0);
  const currentFetcher = useCallback((signal: AbortSignal) => fetchMatrix(signal), []);
  const current = useApiQuery(`risk-matrix:${revision}`, currentFetcher);
  const versionsFetcher = useCallback((signal: AbortSignal) => fetchMatrixVersions(signal), []);
  const versions = useApiQuery(`risk-matrix-versions:${revision}`, versionsFetcher);
  const [draft, setDraft] = useState<MatrixDraft | null>(null);
  const [viewing, setViewing] = useState<RiskMatrixVersion | null>(null);
  const [brush, setBrush] = useState(0);
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // A fresh draft from each newly loaded current version (after a save or a reload).
  useEffect(() => {
    if (current.data) setDraft(toDraft(current.data.definition));
  }, [current.data]);

  const shown = viewing && viewing.id !== current.data?.id ? viewing : null;
  const editable = canConfigure && !shown;
  const problems = draft ? draftProblems(draft) : {};
  const changed = !!(draft && current.data && draftChanged(draft, current.data.definition));
  const noteProblem = note.trim().length < 3 ? 'Say what changed (at least 3 characters)' : null;
  const server = serverErrors(error);

  const save = async () => {
    setTried(true);
    if (!draft || !current.data || Object.keys(problems).length || noteProblem) return;
    setSaving(true);
    setError(null);
    try {
      const saved = await saveMatrix({ definition: fromDraft(draft), note: note.trim(), expectedVersionNumber: current.data.versionNumber });
      setNotice(`Matrix v${saved.versionNumber} published; new assessments use it`);
      setNote('');
      setTried(false);
      setRevision((r) => r + 1);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setSaving(false);
    }
  };
  const other = otherErrors(error, ['note']);
  const view = shown ? toDraft(shown.definition) : draft;

  return (
    <Page maxWidth={1440}>
      <PageHeader
        title="Risk matrix"
        subtitle="Likelihood × impact, with the level of each cell. Each save is a new version; every assessment keeps the version it was scored on."
        actions={<RefreshButton onClick={() => setRevision((r) => r + 1)} label="Reload the matrix" />}
      />
      {current.error && <ErrorState error={current.error} onRetry={() => current.refetch()} title="Could not load the risk matrix" />}
      {!canConfigure && (
        <Alert severity="info" variant="outlined" sx={{ mb: 1.5 }}>
          Read-only: administrators with the right to configure the register edit the matrix.
        </Alert>
      )}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'minmax(0, 1fr) 320px' }, gap: 2, alignItems: 'start' }}>
        {!view || !current.data ? (
          <CardSkeleton height={420} />
        ) : (
          <Box sx={{ display: 'grid', gap: 2, minWidth: 0 }}>
            {shown && (
              <Alert
                severity="info"
                action={
                  <Button color="inherit" size="small" onClick={() => setViewing(null)}>
                    Back to current
                  </Button>
                }
              >
                Viewing v{shown.versionNumber} ({formatEatMinutes(shown.createdAt)}, {shown.createdBy}): “{shown.note}”
              </Alert>
            )}
            <SectionCard
              title="Cells"
              subtitle={editable ? 'Pick a level, then click cells to paint them' : `Version ${shown?.versionNumber ?? current.data.versionNumber}`}
              testId="matrix-cells-card"
            >
              <CellsEditor draft={view} problems={problems} brush={brush} onBrush={setBrush} onChange={setDraft} disabled={!editable} />
            </SectionCard>
            <SectionCard title="Levels" subtitle="Lowest first. The review cadence sets each risk's next review date." testId="matrix-levels-card">
              <LevelsEditor draft={view} problems={editable ? problems : {}} onChange={setDraft} disabled={!editable} />
            </SectionCard>
            {editable && (
              <SectionCard title="Publish" subtitle={`A new version after v${current.data.versionNumber}`}>
                <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'flex-start', flexWrap: 'wrap' }}>
                  <TextField
                    label="What changed"
                    required
                    size="small"
                    value={note}
                    onChange={(e) => setNote(noteText(e.target.value))}
                    error={!!((tried ? noteProblem : null) ?? server.note)}
                    helperText={(tried ? noteProblem : null) ?? server.note ?? 'Shown in the version history'}
                    slotProps={{ htmlInput: { maxLength: 500, 'data-testid': 'matrix-note' } }}
                    sx={{ flex: 1, minWidth: 260 }}
                  />
                  <Button
                    variant="contained"
                    onClick={() => void save()}
                    disabled={saving || !changed}
                    startIcon={saving ? <CircularProgress size={16} /> : null}
                    data-testid="matrix-save"
                  >
                    Save as new version
                  </Button>
                  <Button onClick={() => setDraft(toDraft(current.data!.definition))} disabled={saving || !changed}>
                    Discard changes
                  </Button>
                </Box>
                {tried && Object.keys(problems).length > 0 && (
                  <Alert severity="warning" sx={{ mt: 1 }}>
                    Fix the fields marked in red first.
                  </Alert>
                )}
                {other && (
                  <Alert severity="error" sx={{ mt: 1 }} data-testid="matrix-error">
                    {other}
                  </Alert>
                )}
              </SectionCard>
            )}
          </Box>
        )}
        <SectionCard title="Versions" subtitle="Newest first" testId="matrix-versions" padded={false}>
          {versions.error && (
            <Box sx={{ px: 2 }}>
              <ErrorState error={versions.error} onRetry={() => versions.refetch()} title="Could not load the versions" />
            </Box>
          )}
          <List dense sx={{ pt: 0 }}>
            {(versions.data ?? []).map((v) => (
              <ListItemButton
                key={v.id}
                selected={(shown?.id ?? current.data?.id) === v.id}
                onClick={() => setViewing(v.current ? null : v)}
                data-testid={`matrix-version-${v.versionNumber}`}
              >
                <ListItemText
                  primary={`v${v.versionNumber}${v.current ? ' · current' : ''} — ${v.note}`}
                  secondary={`${formatEatMinutes(v.createdAt)} · ${v.createdBy}`}
                  slotProps={{ primary: { noWrap: true, title: v.note, sx: { fontWeight: v.current ? 650 : 500, fontSize: 13 } } }}
                />
              </ListItemButton>
            ))}
          </List>
        </SectionCard>
      </Box>
      <Snackbar open={!!notice} autoHideDuration={5000} onClose={() => setNotice(null)} message={notice} />
    </Page>
  );
}
