// Record an assessment: likelihood and impact picked from the current matrix by name, inherent
// and (optionally) current. The residual is not asked for: the service derives it from the
// controls. The level each pick lands on is previewed from the matrix the service will freeze.
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
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { Risk, RiskAssessment, RiskMatrixVersion } from '../../../shared/src/risk-register.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { otherErrors, serverErrors } from './formErrors.ts';
import { levelAt } from './matrix.ts';
import { LevelChip } from './riskChips.tsx';
import { assessRisk } from './risksApi.ts';
import { noteText } from './riskText.ts';

function Pick({
  label,
  scale,
  value,
  onChange,
  testId,
  error,
}: {
  label: string;
  scale: RiskMatrixVersion['definition']['likelihood'];
  value: number | '';
  onChange: (v: number) => void;
  testId: string;
  error?: string | null;
}) {
  return (
    <TextField
      select
      size="small"
      label={label}
      required
      value={value}
      onChange={(e) => onChange(Number(e.target.value))}
      error={!!error}
      helperText={error ?? (value !== '' ? scale.find((s) => s.value === value)?.description || ' ' : ' ')}
      slotProps={{ select: { SelectDisplayProps: { 'data-testid': testId } as object } }}
      fullWidth
    >
      {scale.map((s) => (
        <MenuItem key={s.value} value={s.value} data-testid={`${testId}-${s.value}`}>
          {s.value} · {s.name}
        </MenuItem>
      ))}
    </TextField>
  );
}

export function AssessDialog({
  risk,
  matrix,
  onClose,
  onSaved,
}: {
  risk: Risk;
  matrix: RiskMatrixVersion;
  onClose: () => void;
  onSaved: (assessment: RiskAssessment) => void;
}) {
  const m = matrix.definition;
  const fits = (v: number | undefined, max: number) => (v !== undefined && v >= 1 && v <= max ? v : '');
  const [inherentL, setInherentL] = useState<number | ''>(fits(risk.inherent?.likelihood, m.likelihood.length));
  const [inherentI, setInherentI] = useState<number | ''>(fits(risk.inherent?.impact, m.impact.length));
  const [withCurrent, setWithCurrent] = useState(!!risk.current);
  const [currentL, setCurrentL] = useState<number | ''>(fits(risk.current?.likelihood, m.likelihood.length));
  const [currentI, setCurrentI] = useState<number | ''>(fits(risk.current?.impact, m.impact.length));
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const server = serverErrors(error);
  const need = (v: number | '', what: string) => (v === '' ? `Choose the ${what}` : null);
  const local = {
    inherentLikelihood: need(inherentL, 'likelihood'),
    inherentImpact: need(inherentI, 'impact'),
    currentLikelihood: withCurrent ? need(currentL, 'likelihood') : null,
    currentImpact: withCurrent ? need(currentI, 'impact') : null,
  };
  const shown = (f: keyof typeof local) => (tried ? local[f] : null) ?? server[f] ?? null;
  const inherentLevel = inherentL !== '' && inherentI !== '' ? levelAt(m, inherentL, inherentI) : null;
  const currentLevel = withCurrent && currentL !== '' && currentI !== '' ? levelAt(m, currentL, currentI) : null;

  const save = async () => {
    setTried(true);
    if (Object.values(local).some(Boolean) || inherentL === '' || inherentI === '') return;
    setSaving(true);
    setError(null);
    try {
      const saved = await assessRisk(risk.id, {
        inherentLikelihood: inherentL,
        inherentImpact: inherentI,
        ...(withCurrent && currentL !== '' && currentI !== '' ? { currentLikelihood: currentL, currentImpact: currentI } : {}),
        note: note.trim(),
        expectedVersion: risk.version,
      });
      onSaved(saved);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setSaving(false);
    }
  };
  const other = otherErrors(error, ['inherentLikelihood', 'inherentImpact', 'currentLikelihood', 'currentImpact', 'note']);

  return (
    <Dialog open onClose={saving ? undefined : onClose} maxWidth="sm" fullWidth data-testid="assess-dialog">
      <DialogTitle>
        Assess {risk.reference}
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          On matrix v{matrix.versionNumber}, frozen into the assessment. The residual follows from the linked controls.
        </Typography>
      </DialogTitle>
      <DialogContent sx={{ display: 'grid', gap: 1, pt: '8px !important' }}>
        <Typography variant="subtitle2">Inherent (before controls)</Typography>
        <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 1.5 }}>
          <Pick
            label="Likelihood"
            scale={m.likelihood}
            value={inherentL}
            onChange={setInherentL}
            testId="assess-inherent-likelihood"
            error={shown('inherentLikelihood')}
          />
          <Pick label="Impact" scale={m.impact} value={inherentI} onChange={setInherentI} testId="assess-inherent-impact" error={shown('inherentImpact')} />
        </Box>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, minHeight: 28 }}>
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            Inherent level:
          </Typography>
          {inherentLevel ? <LevelChip level={inherentLevel} score={(inherentL as number) * (inherentI as number)} testId="assess-inherent-preview" /> : '—'}
        </Box>
        <FormControlLabel
          control={<Checkbox size="small" checked={withCurrent} onChange={(e) => setWithCurrent(e.target.checked)} data-testid="assess-with-current" />}
          label="Also record the current view (today, as the assessor sees it)"
        />
        {withCurrent && (
          <>
            <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 1.5 }}>
              <Pick
                label="Current likelihood"
                scale={m.likelihood}
                value={currentL}
                onChange={setCurrentL}
                testId="assess-current-likelihood"
                error={shown('currentLikelihood')}
              />
              <Pick
                label="Current impact"
                scale={m.impact}
                value={currentI}
                onChange={setCurrentI}
                testId="assess-current-impact"
                error={shown('currentImpact')}
              />
            </Box>
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, minHeight: 28 }}>
              <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                Current level:
              </Typography>
              {currentLevel ? <LevelChip level={currentLevel} score={(currentL as number) * (currentI as number)} /> : '—'}
            </Box>
          </>
        )}
        <TextField
          label="Note"
          size="small"
          multiline
          minRows={2}
          maxRows={8}
          value={note}
          onChange={(e) => setNote(noteText(e.target.value))}
          error={!!server.note}
          helperText={server.note ?? 'What the assessment is based on'}
          slotProps={{ htmlInput: { maxLength: 2000, 'data-testid': 'assess-note' } }}
        />
        {other && (
          <Alert severity="error" data-testid="assess-error">
            {other}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={saving}>
          Cancel
        </Button>
        <Button
          variant="contained"
          onClick={() => void save()}
          disabled={saving}
          startIcon={saving ? <CircularProgress size={16} /> : null}
          data-testid="assess-save"
        >
          Record assessment
        </Button>
      </DialogActions>
    </Dialog>
  );
}
