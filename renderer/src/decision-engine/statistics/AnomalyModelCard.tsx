// The isolation-forest model behind the anomaly rule: when and on what it was trained, and
// "Retrain" for those who manage configurations.
import { useCallback, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Skeleton from '@mui/material/Skeleton';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import ModelTrainingOutlined from '@mui/icons-material/ModelTrainingOutlined';
import { useCan } from '../../api/session.ts';
import { useApiQuery } from '../../api/useApiQuery.ts';
import { formatCount, formatEat } from '../../lib/format.ts';
import { ErrorState, SectionCard } from '../../ui/layout.tsx';
import { Field } from '../../ui/values.tsx';
import { ConfirmDialog } from '../ConfirmDialog.tsx';
import { fetchAnomalyModel, trainAnomalyModel } from '../decisionEngineApi.ts';

const LIMITS = {
  days: { min: 1, max: 365, label: 'Days of payments', helper: '1–365' },
  trees: { min: 10, max: 500, label: 'Trees', helper: '10–500' },
  subsampleSize: { min: 32, max: 4096, label: 'Sample per tree', helper: '32–4,096' },
} as const;
type TrainField = keyof typeof LIMITS;

export function AnomalyModelCard() {
  const canManage = useCan('configuration:manage');
  const fetcher = useCallback((signal: AbortSignal) => fetchAnomalyModel(signal), []);
  const { data: model, error, loading, refetch } = useApiQuery('anomaly-model', fetcher);
  const [open, setOpen] = useState(false);
  const [params, setParams] = useState<Record<TrainField, number>>({ days: 30, trees: 100, subsampleSize: 256 });
  const valid = (Object.keys(LIMITS) as TrainField[]).every((k) => Number.isInteger(params[k]) && params[k] >= LIMITS[k].min && params[k] <= LIMITS[k].max);

  return (
    <SectionCard
      title="Anomaly model"
      subtitle="Isolation forest behind the “unusual for this bank” rule"
      testId="anomaly-model-card"
      action={
        canManage && (
          <Button
            size="small"
            variant="outlined"
            startIcon={<ModelTrainingOutlined fontSize="small" />}
            onClick={() => setOpen(true)}
            data-testid="retrain-model"
          >
            {model ? 'Retrain' : 'Train'}
          </Button>
        )
      }
    >
      {error && <ErrorState error={error} onRetry={() => refetch()} title="Could not load the model" />}
      {loading && model === undefined && <Skeleton height={120} variant="rounded" />}
      {model === null && (
        <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="anomaly-model-none">
          No model trained yet: the anomaly rule records no hit until one is.{canManage ? ' Train it on recent payments.' : ''}
        </Typography>
      )}
      {model && (
        <Box data-testid="anomaly-model-info" data-model-id={model.id}>
          <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: 1.5 }}>
            <Field label="Trained">{`${formatEat(model.trainedAt)}`}</Field>
            <Field label="By">{model.trainedBy}</Field>
            <Field label="Sample size" mono>
              {`${formatCount(model.sampleSize)} payments`}
            </Field>
            <Field label="Trees" mono>
              {`${formatCount(model.trees)} × ${formatCount(model.subsampleSize)}`}
            </Field>
            <Field label="Scoring ≥ 0.6" mono>
              {`${(model.shareAboveDefaultThreshold * 100).toFixed(2)}% of the sample`}
            </Field>
          </Box>
          <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mt: 1.5, mb: 0.5 }}>
            Features
          </Typography>
          <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5 }}>
            {model.features.map((f) => (
              <Chip key={f} label={f} size="small" variant="outlined" sx={{ height: 20, fontSize: 11 }} />
            ))}
          </Box>
        </Box>
      )}
      <ConfirmDialog
        open={open}
        title={model ? 'Retrain the anomaly model' : 'Train the anomaly model'}
        body="Builds a new isolation forest from recent payments. The new model scores payments as soon as it is ready; the anomaly rule's threshold stays as configured."
        confirmLabel={model ? 'Retrain' : 'Train'}
        canConfirm={valid}
        confirmTestId="retrain-confirm"
        onClose={() => setOpen(false)}
        onConfirm={async () => {
          await trainAnomalyModel(params);
          refetch({ silent: true });
        }}
      >
        <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: 1.5 }}>
          {(Object.keys(LIMITS) as TrainField[]).map((key) => {
            const limit = LIMITS[key];
            const value = params[key];
            const ok = Number.isInteger(value) && value >= limit.min && value <= limit.max;
            return (
              <TextField
                key={key}
                size="small"
                type="number"
                label={limit.label}
                value={Number.isFinite(value) ? value : ''}
                onChange={(e) => setParams((p) => ({ ...p, [key]: e.target.value === '' ? Number.NaN : Number(e.target.value) }))}
                error={!ok}
                helperText={limit.helper}
                slotProps={{ htmlInput: { min: limit.min, max: limit.max, step: 1, 'data-testid': `train-${key}` } }}
              />
            );
          })}
        </Box>
      </ConfirmDialog>
    </SectionCard>
  );
}
