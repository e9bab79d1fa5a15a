// Issue 15: a queue's SLA notices and auto-escalation rule, in the queue dialog. The warning goes
// to the assignee (the supervisors when nobody holds the case) once this share of the SLA has
// elapsed; at the deadline a breach notice, and with "Escalate" the case moves to an escalation
// queue (service/src/notifications/sla-watch.ts). The value is the shared QueueSlaEscalation.
import Typography from '@mui/material/Typography';
import type { CaseQueue, QueueSlaEscalation } from '../../../shared/src/queues.ts';
import { FieldGrid, NumberInput, SelectInput, SubHeading } from '../decision-engine/configurations/fields.tsx';

const FIRST_ESCALATION_QUEUE = 'first';
type BreachAction = QueueSlaEscalation['onBreach'];

const BREACH_OPTIONS: { value: BreachAction; label: string }[] = [
  { value: 'NOTIFY', label: 'Notify only' },
  { value: 'ESCALATE', label: 'Notify and move to an escalation queue' },
];

export function SlaEscalationFields({
  value,
  onChange,
  queues,
  ownKind,
}: {
  value: QueueSlaEscalation;
  onChange: (path: string, next: QueueSlaEscalation) => void;
  queues: readonly CaseQueue[];
  ownKind: CaseQueue['kind'];
}) {
  const targets = queues.filter((q) => q.kind === 'ESCALATION' && q.active);
  const targetOptions = [
    { value: FIRST_ESCALATION_QUEUE, label: 'The first active escalation queue' },
    ...targets.map((q) => ({ value: q.id, label: q.name })),
  ];
  // A target that has been deactivated or deleted since still shows, so the form does not silently change it.
  if (value.escalateToQueueId && !targets.some((q) => q.id === value.escalateToQueueId)) {
    targetOptions.push({ value: value.escalateToQueueId, label: 'A queue that is no longer an active escalation queue' });
  }
  return (
    <>
      <SubHeading>SLA notices and auto-escalation</SubHeading>
      <FieldGrid columns={3}>
        <NumberInput
          path="slaEscalation.warnAtPercent"
          label="Warn when elapsed"
          value={value.warnAtPercent}
          onChange={(n) => onChange('slaEscalation.warnAtPercent', { ...value, warnAtPercent: n })}
          unit="%"
          min={50}
          max={99}
          step={5}
          testId="queue-sla-warn-percent"
          helper="50–99 % of the case's SLA"
        />
        <SelectInput<BreachAction>
          path="slaEscalation.onBreach"
          label="When the SLA is breached"
          value={value.onBreach}
          options={BREACH_OPTIONS}
          onChange={(onBreach) => onChange('slaEscalation.onBreach', { ...value, onBreach })}
          testId="queue-sla-on-breach"
          helper={ownKind === 'ESCALATION' ? 'Cases here are escalated already: a breach only notifies' : undefined}
        />
        {value.onBreach === 'ESCALATE' && (
          <SelectInput<string>
            path="slaEscalation.escalateToQueueId"
            label="Escalate to"
            value={value.escalateToQueueId ?? FIRST_ESCALATION_QUEUE}
            options={targetOptions}
            onChange={(id) => onChange('slaEscalation.escalateToQueueId', { ...value, escalateToQueueId: id === FIRST_ESCALATION_QUEUE ? null : id })}
            testId="queue-sla-escalate-to"
            helper={targets.length === 0 ? 'There is no active escalation queue: breached cases stay here' : undefined}
          />
        )}
      </FieldGrid>
      <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mt: 0.75 }}>
        The case's assignee is notified — the queue's supervisors when nobody holds it. An escalated case loses its assignee and takes the escalation queue's
        SLA.
      </Typography>
    </>
  );
}
