// "Test connection": the service calls the bank engine with the saved settings (draft or
// published) and a sample payment, and reports status, latency, attempts, what the response
// mapping read and the request it sent (secrets masked).
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import CableOutlined from '@mui/icons-material/CableOutlined';
import type { BankApiTestResult } from '../../../../shared/src/decision-engine.ts';
import { toApiError, type ApiError } from '../../api/client.ts';
import { FONT_MONO } from '../../app/theme.ts';
import { DecisionChip } from '../../ui/chips.tsx';
import { Field } from '../../ui/values.tsx';
import { testBankApi } from '../decisionEngineApi.ts';
import { BreakerChip } from '../engineChips.tsx';
import { useForm } from './fields.tsx';

export function JsonBlock({ value, maxHeight = 220, testId }: { value: unknown; maxHeight?: number; testId?: string }) {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <Box
      component="pre"
      data-testid={testId}
      sx={{
        m: 0,
        p: 1.25,
        maxHeight,
        overflow: 'auto',
        borderRadius: 1.5,
        border: 1,
        borderColor: 'divider',
        bgcolor: (theme) => (theme.palette.mode === 'dark' ? '#0b1220' : '#f8fafc'),
        fontFamily: FONT_MONO,
        fontSize: 11.5,
        lineHeight: 1.5,
        whiteSpace: 'pre-wrap',
        wordBreak: 'break-all',
      }}
    >
      {text ?? '—'}
    </Box>
  );
}

function TestResult({ result }: { result: BankApiTestResult }) {
  return (
    <Box data-testid="bank-api-test-result" data-ok={String(result.ok)} sx={{ display: 'grid', gap: 1.5, mt: 1.5 }}>
      <Alert severity={result.ok ? 'success' : 'error'} variant="outlined">
        <strong>{result.ok ? 'Connection OK' : 'Connection failed'}</strong> — {result.message}
      </Alert>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(4, 1fr)' }, gap: 1.5 }}>
        <Field label="HTTP status" mono>
          {result.httpStatus ?? 'no answer'}
        </Field>
        <Field label="Latency" mono>
          {`${Math.round(result.latencyMs)} ms`}
        </Field>
        <Field label="Attempts" mono>
          {String(result.attempts)}
        </Field>
        <Field label="Circuit breaker">
          <BreakerChip state={result.breakerState} prefix="" />
        </Field>
      </Box>
      {result.mapped && (
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr 2fr' }, gap: 1.5 }}>
          <Field label="Mapped score (0–1)" mono>
            {result.mapped.score === null ? null : result.mapped.score.toFixed(3)}
          </Field>
          <Field label="Mapped decision">{result.mapped.decision ? <DecisionChip decision={result.mapped.decision} /> : null}</Field>
          <Field label="Mapped reason">{result.mapped.reason}</Field>
        </Box>
      )}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 1.5 }}>
        <Box sx={{ minWidth: 0 }}>
          <Typography variant="caption" sx={{ color: 'text.secondary' }}>
            Request sent (secrets masked)
          </Typography>
          <JsonBlock
            testId="bank-api-test-request"
            value={`${result.request.method} ${result.request.url}\n${Object.entries(result.request.headers)
              .map(([k, v]) => `${k}: ${v}`)
              .join('\n')}\n\n${typeof result.request.body === 'string' ? result.request.body : JSON.stringify(result.request.body, null, 2)}`}
          />
        </Box>
        <Box sx={{ minWidth: 0 }}>
          <Typography variant="caption" sx={{ color: 'text.secondary' }}>
            Response body
          </Typography>
          <JsonBlock value={result.responseBody ?? '(none)'} />
        </Box>
      </Box>
    </Box>
  );
}

export function BankApiTestPanel({
  test,
  dialogChanged,
}: {
  test: { configurationId: string; hasDraft: boolean; formDirty: boolean } | null;
  dialogChanged: boolean;
}) {
  const { readOnly } = useForm();
  const [useDraft, setUseDraft] = useState(!!test?.hasDraft);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<BankApiTestResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const run = async () => {
    if (!test) return;
    setRunning(true);
    setError(null);
    setResult(null);
    try {
      setResult(await testBankApi(test.configurationId, useDraft && test.hasDraft));
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setRunning(false);
    }
  };

  const unsaved = dialogChanged || !!test?.formDirty;
  return (
    <Box data-testid="bank-api-test-panel">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap' }}>
        <Box sx={{ flex: 1, minWidth: 240 }}>
          <Typography variant="subtitle2">Connection test</Typography>
          <Typography variant="caption" sx={{ color: 'text.secondary' }}>
            {test
              ? 'The service calls the engine with a sample payment, using the saved settings (retries and breaker included).'
              : 'Save the configuration first: the test runs on the service with the saved settings.'}
          </Typography>
        </Box>
        {test?.hasDraft && (
          <ToggleButtonGroup
            size="small"
            exclusive
            value={useDraft ? 'draft' : 'published'}
            onChange={(_, v: string | null) => v && setUseDraft(v === 'draft')}
          >
            <ToggleButton value="draft">Saved draft</ToggleButton>
            <ToggleButton value="published">Published</ToggleButton>
          </ToggleButtonGroup>
        )}
        <Button
          variant="outlined"
          onClick={run}
          disabled={!test || running || readOnly}
          startIcon={running ? <CircularProgress size={14} color="inherit" /> : <CableOutlined fontSize="small" />}
          data-testid="bank-api-test"
        >
          {running ? 'Testing…' : 'Test connection'}
        </Button>
      </Box>
      {test && unsaved && (
        <Typography variant="caption" component="p" sx={{ color: 'warning.main', mt: 0.75 }}>
          You have changes that are not saved yet: the test uses the {useDraft && test.hasDraft ? 'saved draft' : 'published'} settings. Apply, then save the
          draft, to test them.
        </Typography>
      )}
      {readOnly && test && (
        <Typography variant="caption" component="p" sx={{ color: 'text.secondary', mt: 0.75 }}>
          Testing the connection needs permission to manage configurations.
        </Typography>
      )}
      {error && (
        <Alert severity="error" sx={{ mt: 1.5 }} data-testid="bank-api-test-result" data-ok="false">
          {error.message}
        </Alert>
      )}
      {result && <TestResult result={result} />}
    </Box>
  );
}
