// The configuration form: the five sections as cards. Used for editing (the published body or
// the open draft) and, read-only, for viewing an old version.
import { useState, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import SettingsEthernetOutlined from '@mui/icons-material/SettingsEthernetOutlined';
import type { CredentialsSet } from '../../../../shared/src/decision-engine.ts';
import { SectionCard } from '../../ui/layout.tsx';
import { BankApiDialog, bankEngineSettingsOf, withBankEngineSettings } from './BankApiDialog.tsx';
import { BankEngineSummary, type EngineHealth } from './BankEngineSummary.tsx';
import { FormProvider } from './fields.tsx';
import { sectionErrorCount, SECTIONS, type FieldErrors, type FormValue, type SectionId } from './formModel.ts';
import { RuleEditor } from './RuleEditor.tsx';
import { BasicsSection, MonitoringSection, ThresholdsSection } from './sections.tsx';

export function sectionLabel(id: SectionId): string {
  return SECTIONS.find((s) => s.id === id)?.label ?? id;
}

function SectionTitle({ id, errors }: { id: SectionId; errors: FieldErrors }) {
  const count = sectionErrorCount(errors, id);
  return (
    <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 1 }}>
      {sectionLabel(id)}
      {count > 0 && (
        <Typography component="span" variant="caption" sx={{ color: 'error.main', fontWeight: 650 }} data-testid={`section-errors-${id}`}>
          {count} {count === 1 ? 'error' : 'errors'}
        </Typography>
      )}
    </Box>
  );
}

function Section({
  id,
  errors,
  subtitle,
  action,
  children,
}: {
  id: SectionId;
  errors: FieldErrors;
  subtitle?: ReactNode;
  action?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Box id={`section-${id}`} sx={{ scrollMarginTop: 16 }}>
      <SectionCard title={<SectionTitle id={id} errors={errors} />} subtitle={subtitle} action={action} testId={`config-section-${id}`}>
        {children}
      </SectionCard>
    </Box>
  );
}

export function ConfigurationForm({
  value,
  onChange,
  errors,
  serverErrors,
  readOnly,
  credentialsSet,
  engineHealth,
  bankTest,
}: {
  value: FormValue;
  onChange: (value: FormValue) => void;
  errors: FieldErrors;
  serverErrors: FieldErrors;
  readOnly: boolean;
  credentialsSet: CredentialsSet | null;
  engineHealth: EngineHealth | null;
  bankTest: { configurationId: string; hasDraft: boolean; formDirty: boolean } | null;
}) {
  const [bankOpen, setBankOpen] = useState(false);
  const patch = (p: Partial<FormValue>) => onChange({ ...value, ...p });
  const engine = bankEngineSettingsOf(value);

  return (
    <FormProvider value={{ errors, readOnly }}>
      <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: 2 }} data-testid="configuration-form" data-read-only={String(readOnly)}>
        <Section id="basics" errors={errors} subtitle="What the configuration is called and which payments it applies to">
          <BasicsSection value={value} onPatch={patch} />
        </Section>
        <Section id="rules" errors={errors} subtitle="Each rule that fires adds its weight to the 0–1 risk score">
          <RuleEditor
            rules={value.riskRules}
            overrides={value.decisionCriteria.ruleOverrides}
            onChange={(riskRules) => patch({ riskRules })}
            onRemove={(index) => {
              const removed = value.riskRules[index];
              patch({
                riskRules: value.riskRules.filter((_, i) => i !== index),
                decisionCriteria: {
                  ...value.decisionCriteria,
                  ruleOverrides: value.decisionCriteria.ruleOverrides.filter((o) => o.ruleId !== removed?.id),
                },
              });
            }}
          />
        </Section>
        <Section id="thresholds" errors={errors} subtitle="Score → risk level → decision, and rules that force a decision">
          <ThresholdsSection value={value} onPatch={patch} />
        </Section>
        <Section
          id="bank-engine"
          errors={errors}
          subtitle="The bank’s own fraud engine, its resilience and fallback"
          action={
            <Button
              size="small"
              variant="outlined"
              startIcon={<SettingsEthernetOutlined fontSize="small" />}
              onClick={() => setBankOpen(true)}
              data-testid="open-bank-api"
            >
              {readOnly ? 'View' : value.bankFraudApiConfig ? 'Configure' : 'Set up'}
            </Button>
          }
        >
          <BankEngineSummary settings={engine} credentialsSet={credentialsSet} health={engineHealth} />
        </Section>
        <Section id="monitoring" errors={errors} subtitle="What is kept with each assessment, and where alerts on risky payments are sent">
          <MonitoringSection value={value} onPatch={patch} />
        </Section>
      </Box>
      {bankOpen && (
        <BankApiDialog
          open
          initial={engine}
          credentialsSet={credentialsSet}
          readOnly={readOnly}
          serverErrors={serverErrors}
          formValue={value}
          test={bankTest}
          onClose={() => setBankOpen(false)}
          onApply={(settings) => {
            onChange(withBankEngineSettings(value, settings));
            setBankOpen(false);
          }}
        />
      )}
    </FormProvider>
  );
}
