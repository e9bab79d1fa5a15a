// Treatment plans of a risk with their actions: plan one, add actions, complete an action, move a
// plan's status. Overdue plans and actions are flagged.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import { TreatmentStatus, type Risk, type Treatment, type TreatmentAction } from '../../../shared/src/risk-register.ts';
import { toApiError } from '../api/client.ts';
import { SectionCard } from '../ui/layout.tsx';
import type { Person } from './OwnerField.tsx';
import { humanise, ToneChip } from './riskChips.tsx';
import { createTreatment, createTreatmentAction, updateTreatment, updateTreatmentAction } from './risksApi.ts';
import { formatDay, STRATEGY_LABELS } from './riskText.ts';
import { TreatmentDialog } from './TreatmentDialogs.tsx';

function ActionRow({ action, canManage, busy, onToggle }: { action: TreatmentAction; canManage: boolean; busy: boolean; onToggle: () => void }) {
  const done = action.status === 'DONE';
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75 }} data-testid={`treatment-action-${action.id}`} data-status={action.status}>
      <Checkbox
        size="small"
        checked={done}
        disabled={!canManage || busy}
        onChange={onToggle}
        slotProps={{ input: { 'aria-label': done ? `Reopen “${action.title}”` : `Complete “${action.title}”` } }}
        sx={{ p: 0.5 }}
      />
      <Typography
        variant="body2"
        sx={{ flex: 1, minWidth: 0, textDecoration: done ? 'line-through' : 'none', color: done ? 'text.secondary' : 'text.primary' }}
        noWrap
        title={action.title}
      >
        {action.title}
      </Typography>
      <Typography variant="caption" sx={{ color: 'text.secondary' }} noWrap>
        {action.ownerName} · due {formatDay(action.dueDate)}
      </Typography>
      {action.overdue && !done && <ToneChip label="Overdue" tone="danger" />}
    </Box>
  );
}

export function TreatmentsCard({
  risk,
  treatments,
  people,
  canManage,
  onChanged,
}: {
  risk: Risk;
  treatments: readonly Treatment[];
  people: readonly Person[];
  canManage: boolean;
  onChanged: (message: string) => void;
}) {
  const [dialog, setDialog] = useState<{ kind: 'treatment' } | { kind: 'action'; treatment: Treatment } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (id: string, work: () => Promise<unknown>, message: string) => {
    setBusy(id);
    setError(null);
    try {
      await work();
      onChanged(message);
    } catch (caught) {
      setError(toApiError(caught).message);
    } finally {
      setBusy(null);
    }
  };
  const toggleAction = (t: Treatment, a: TreatmentAction) =>
    run(
      a.id,
      () =>
        updateTreatmentAction(risk.id, t.id, a.id, {
          title: a.title,
          ownerId: a.ownerId,
          dueDate: a.dueDate,
          status: a.status === 'DONE' ? 'OPEN' : 'DONE',
          expectedVersion: a.version,
        }),
      a.status === 'DONE' ? `“${a.title}” reopened` : `“${a.title}” done`,
    );
  const setStatus = (t: Treatment, status: Treatment['status']) =>
    run(
      t.id,
      () =>
        updateTreatment(risk.id, t.id, {
          strategy: t.strategy,
          title: t.title,
          description: t.description,
          ownerId: t.ownerId,
          dueDate: t.dueDate,
          status,
          expectedVersion: t.version,
        }),
      `Treatment “${t.title}” is ${humanise(status).toLowerCase()}`,
    );

  return (
    <SectionCard
      title="Treatments"
      subtitle="Plans with actions, owners and due dates"
      testId="treatments"
      action={
        canManage && (
          <Button size="small" startIcon={<AddIcon fontSize="small" />} onClick={() => setDialog({ kind: 'treatment' })} data-testid="treatment-new">
            Plan
          </Button>
        )
      }
    >
      {error && (
        <Alert severity="error" sx={{ mb: 1 }}>
          {error}
        </Alert>
      )}
      {treatments.length === 0 && (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          No treatment planned.
        </Typography>
      )}
      <Box sx={{ display: 'grid', gap: 1.5 }}>
        {treatments.map((t) => (
          <Box key={t.id} sx={{ border: 1, borderColor: 'divider', borderRadius: 1.5, p: 1.25 }} data-testid={`treatment-${t.id}`}>
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
              <ToneChip label={STRATEGY_LABELS[t.strategy]} tone="info" />
              <Typography variant="body2" sx={{ fontWeight: 650, flex: 1, minWidth: 120 }} noWrap title={t.title}>
                {t.title}
              </Typography>
              {t.overdue && t.status !== 'DONE' && t.status !== 'CANCELLED' && <ToneChip label="Overdue" tone="danger" />}
              <TextField
                select
                size="small"
                value={t.status}
                disabled={!canManage || busy === t.id}
                onChange={(e) => void setStatus(t, e.target.value as Treatment['status'])}
                slotProps={{ htmlInput: { 'aria-label': `Status of ${t.title}` } }}
                sx={{ minWidth: 130, '& .MuiSelect-select': { py: 0.5, fontSize: 13 } }}
              >
                {TreatmentStatus.options.map((s) => (
                  <MenuItem key={s} value={s}>
                    {humanise(s)}
                  </MenuItem>
                ))}
              </TextField>
            </Box>
            <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mt: 0.25 }}>
              {t.ownerName} · due {formatDay(t.dueDate)}
            </Typography>
            {t.description && (
              <Typography variant="body2" sx={{ mt: 0.5, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {t.description}
              </Typography>
            )}
            <Box sx={{ mt: 0.75, display: 'grid', gap: 0.25 }}>
              {t.actions.map((a) => (
                <ActionRow key={a.id} action={a} canManage={canManage} busy={busy === a.id} onToggle={() => void toggleAction(t, a)} />
              ))}
            </Box>
            {canManage && (
              <Button
                size="small"
                sx={{ mt: 0.5 }}
                startIcon={<AddIcon fontSize="small" />}
                onClick={() => setDialog({ kind: 'action', treatment: t })}
                data-testid={`action-new-${t.id}`}
              >
                Action
              </Button>
            )}
          </Box>
        ))}
      </Box>
      {dialog && (
        <TreatmentDialog
          kind={dialog.kind}
          people={people}
          onClose={() => setDialog(null)}
          onSave={async (body) => {
            if (dialog.kind === 'treatment') {
              await createTreatment(risk.id, body);
              onChanged(`Treatment “${body.title}” planned`);
            } else {
              await createTreatmentAction(risk.id, dialog.treatment.id, { title: body.title, ownerId: body.ownerId, dueDate: body.dueDate });
              onChanged(`Action “${body.title}” added`);
            }
            setDialog(null);
          }}
        />
      )}
    </SectionCard>
  );
}
