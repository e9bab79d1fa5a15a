// Record a control test: result, when it was done (default now, never later than now), notes,
// the next test date (default: the test date plus the control's frequency) and an evidence file
// (the same file rules as case attachments; the service checks the content again).
import { useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import UploadFileOutlined from '@mui/icons-material/UploadFileOutlined';
import {
  CONTROL_FREQUENCY_DAYS,
  ControlTestInput,
  EFFECTIVENESS_OF_RESULT,
  type Control,
  type ControlTestRecorded,
  type ControlTestResult,
} from '../../../shared/src/risk-register.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { ACCEPT_ATTRIBUTE, ALLOWED_EXTENSIONS_TEXT, attachmentProblem, fileToUpload, formatBytes } from '../cases/detail/attachmentFiles.ts';
import { EatDateTimeField, INCOMPLETE, incompleteMessage } from '../ui/EatDateTimeField.tsx';
import { DayField, dayFieldProblem } from './DayField.tsx';
import { otherErrors, schemaErrors, serverErrors } from './formErrors.ts';
import { humanise } from './riskChips.tsx';
import { recordControlTest } from './risksApi.ts';
import { FREQUENCY_LABELS, noteText } from './riskText.ts';

const RESULTS: { value: ControlTestResult; label: string; hint: string }[] = [
  { value: 'PASS', label: 'Pass', hint: 'Worked as designed' },
  { value: 'PARTIAL', label: 'Partial', hint: 'Worked with exceptions' },
  { value: 'FAIL', label: 'Fail', hint: 'Did not work' },
];

export function RecordTestDialog({ control, onClose, onSaved }: { control: Control; onClose: () => void; onSaved: (recorded: ControlTestRecorded) => void }) {
  const [result, setResult] = useState<ControlTestResult | null>(null);
  const [testedAt, setTestedAt] = useState<string | null>(null);
  const [notes, setNotes] = useState('');
  const [nextTestDate, setNextTestDate] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const local = schemaErrors(ControlTestInput, { result: result ?? undefined, notes, ...(testedAt && testedAt !== INCOMPLETE ? { testedAt } : {}) });
  if (!result) local.result = 'Choose the result';
  if (testedAt === INCOMPLETE) local.testedAt = incompleteMessage();
  else if (testedAt && Date.parse(testedAt) > Date.now() + 60_000) local.testedAt = 'A test is recorded after it is done: not in the future';
  const dayProblem = dayFieldProblem(nextTestDate, false);
  if (dayProblem) local.nextTestDate = dayProblem;
  const fileProblem = file ? attachmentProblem(file) : null;
  if (fileProblem) local.evidence = fileProblem;
  const server = serverErrors(error);
  const message = (f: string) =>
    (tried ? local[f] : undefined) ?? server[f] ?? (f === 'evidence' ? (server['evidence.fileName'] ?? server['evidence.contentBase64'] ?? null) : null);

  const save = async () => {
    setTried(true);
    if (Object.keys(local).length || !result) return;
    setSaving(true);
    setError(null);
    try {
      const evidence = file ? await fileToUpload(file) : undefined;
      const recorded = await recordControlTest(control.id, {
        result,
        notes: notes.trim(),
        ...(testedAt ? { testedAt } : {}),
        ...(nextTestDate ? { nextTestDate } : {}),
        ...(evidence ? { evidence } : {}),
      });
      onSaved(recorded);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setSaving(false);
    }
  };
  const other = otherErrors(error, [
    'result',
    'notes',
    'testedAt',
    'nextTestDate',
    'evidence',
    'evidence.fileName',
    'evidence.contentBase64',
    'evidence.contentType',
  ]);

  return (
    <Dialog open onClose={saving ? undefined : onClose} maxWidth="sm" fullWidth data-testid="record-test-dialog">
      <DialogTitle>
        Record a test of {control.reference}
        <Typography variant="body2" sx={{ color: 'text.secondary' }} noWrap title={control.name}>
          {control.name}
        </Typography>
      </DialogTitle>
      <DialogContent sx={{ display: 'grid', gap: 1.25, pt: '8px !important' }}>
        <Box>
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            Result
          </Typography>
          <RadioGroup row value={result ?? ''} onChange={(e) => setResult(e.target.value as ControlTestResult)}>
            {RESULTS.map((r) => (
              <FormControlLabel
                key={r.value}
                value={r.value}
                control={<Radio size="small" />}
                label={r.label}
                title={r.hint}
                data-testid={`test-result-${r.value}`}
              />
            ))}
          </RadioGroup>
          <FormHelperText error={!!message('result')} sx={{ mx: 0 }}>
            {message('result') ??
              (result ? `The control becomes ${humanise(EFFECTIVENESS_OF_RESULT[result]).toLowerCase()}; its risks' residual scores are recomputed.` : ' ')}
          </FormHelperText>
        </Box>
        <EatDateTimeField
          label="Tested at (empty = now)"
          value={testedAt}
          onChange={setTestedAt}
          error={message('testedAt') ?? undefined}
          helper="When the test was done"
          testId="test-tested-at"
        />
        <TextField
          label="Notes"
          required
          multiline
          minRows={3}
          maxRows={10}
          size="small"
          value={notes}
          onChange={(e) => setNotes(noteText(e.target.value))}
          error={!!message('notes')}
          helperText={message('notes') ?? 'What was tested, the sample and what was found'}
          slotProps={{ htmlInput: { maxLength: 4000, 'data-testid': 'test-notes' } }}
        />
        <DayField
          label="Next test date (optional)"
          value={nextTestDate}
          onChange={setNextTestDate}
          error={message('nextTestDate')}
          helper={`Default: the test date + ${CONTROL_FREQUENCY_DAYS[control.frequency]} days (${FREQUENCY_LABELS[control.frequency].toLowerCase()})`}
          testId="test-next-date"
        />
        <Box>
          <input
            ref={input}
            type="file"
            hidden
            accept={ACCEPT_ATTRIBUTE}
            data-testid="test-evidence-input"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              e.target.value = '';
            }}
          />
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
            <Button
              size="small"
              variant="outlined"
              startIcon={<UploadFileOutlined fontSize="small" />}
              onClick={() => input.current?.click()}
              data-testid="test-evidence"
            >
              {file ? 'Replace evidence' : 'Attach evidence'}
            </Button>
            {file && (
              <>
                <Typography variant="body2" noWrap sx={{ minWidth: 0, maxWidth: 280 }} title={file.name}>
                  {file.name} · {formatBytes(file.size)}
                </Typography>
                <Button size="small" color="inherit" onClick={() => setFile(null)}>
                  Remove
                </Button>
              </>
            )}
          </Box>
          <FormHelperText error={!!(fileProblem ?? message('evidence'))} sx={{ mx: 0 }}>
            {fileProblem ?? message('evidence') ?? `Optional. ${ALLOWED_EXTENSIONS_TEXT}`}
          </FormHelperText>
        </Box>
        {other && <Alert severity="error">{other}</Alert>}
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
          data-testid="test-save"
        >
          Record test
        </Button>
      </DialogActions>
    </Dialog>
  );
}
