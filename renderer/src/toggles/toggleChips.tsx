// Chips of the fraud API toggles screen: the level a configuration applies at, where its window
// stands (effective / future / expired / inactive), whether it switches the engine on or off, and
// a candidate's verdict in a status check. Same shape and colour language as ui/chips.tsx.
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import { useTheme } from '@mui/material/styles';
import PowerSettingsNewOutlined from '@mui/icons-material/PowerSettingsNewOutlined';
import PowerOffOutlined from '@mui/icons-material/PowerOffOutlined';
import type { DisabledBehaviour, ToggleConfiguration, ToggleLevel, ToggleState } from '../../../shared/src/toggles.ts';
import { formatEatShort } from '../lib/format.ts';
import { softChipSx } from '../ui/chips.tsx';

export const LEVEL_LABELS: Record<ToggleLevel, string> = {
  TENANT: 'Tenant',
  PAYMENT_TYPE: 'Payment type',
  LOCAL_INSTRUMENT: 'Local instrument',
  CLEARING_SYSTEM: 'Clearing system',
};

const LEVEL_HINTS: Record<ToggleLevel, string> = {
  TENANT: 'Applies to every payment of the tenant (least specific)',
  PAYMENT_TYPE: 'Applies to one payment type',
  LOCAL_INSTRUMENT: 'Applies to one local instrument',
  CLEARING_SYSTEM: 'Applies to one clearing system (most specific)',
};

export const BEHAVIOUR_LABELS: Record<DisabledBehaviour, string> = {
  APPROVE: 'Approve without assessment',
  LOCAL_RULES_ONLY: 'Local rules only',
};

export const BEHAVIOUR_HINTS: Record<DisabledBehaviour, string> = {
  APPROVE: 'While the engine is off, payments pass without any fraud assessment',
  LOCAL_RULES_ONLY: 'While the engine is off, payments are scored by the workstation’s own rules only',
};

export const STATE_LABELS: Record<ToggleState, string> = { EFFECTIVE: 'Effective', FUTURE: 'Future', EXPIRED: 'Expired', INACTIVE: 'Inactive' };

const STATE_HINTS: Record<ToggleState, string> = {
  EFFECTIVE: 'In force now',
  FUTURE: 'Scheduled: takes effect at “effective from”',
  EXPIRED: 'Its window has closed',
  INACTIVE: 'Switched off: never applies',
};

export function LevelChip({ level }: { level: ToggleLevel }) {
  const theme = useTheme();
  const colour = level === 'TENANT' ? theme.palette.status.neutral : level === 'CLEARING_SYSTEM' ? theme.palette.primary.main : theme.palette.status.info;
  return (
    <Tooltip title={LEVEL_HINTS[level]}>
      <Chip label={LEVEL_LABELS[level]} data-level={level} sx={[softChipSx(colour, theme), { height: 22, fontSize: 11.5 }]} />
    </Tooltip>
  );
}

export function ToggleStateChip({ state }: { state: ToggleState }) {
  const theme = useTheme();
  const { status } = theme.palette;
  const colour = state === 'EFFECTIVE' ? status.success : state === 'FUTURE' ? status.info : state === 'EXPIRED' ? status.warning : status.neutral;
  return (
    <Tooltip title={STATE_HINTS[state]}>
      <Chip
        label={STATE_LABELS[state]}
        data-testid="toggle-state-chip"
        data-state={state}
        sx={[softChipSx(colour, theme), { height: 22, fontSize: 11.5, fontWeight: 650 }, state === 'INACTIVE' ? { borderStyle: 'dashed' } : {}]}
      />
    </Tooltip>
  );
}

/** Whether a configuration (or a check result) switches the bank's fraud engine on or off. */
export function EngineSwitchChip({ enabled, size = 'small' }: { enabled: boolean; size?: 'small' | 'large' }) {
  const theme = useTheme();
  const colour = enabled ? theme.palette.status.success : theme.palette.status.danger;
  return (
    <Chip
      icon={enabled ? <PowerSettingsNewOutlined /> : <PowerOffOutlined />}
      label={enabled ? 'Enabled' : 'Disabled'}
      data-enabled={String(enabled)}
      sx={[
        softChipSx(colour, theme),
        size === 'large' ? { height: 30, fontSize: 14, fontWeight: 700, '& .MuiChip-icon': { fontSize: 18 } } : { '& .MuiChip-icon': { fontSize: 15 } },
      ]}
    />
  );
}

/** The service writes instants into its sentences in UTC ISO; people read Nairobi time. */
export function eatInText(text: string): string {
  return text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})/g, (iso) => `${formatEatShort(iso)} EAT`);
}

/** A status check candidate's verdict: the winner stands out, the rest say why they lost. */
export function VerdictChip({ verdict }: { verdict: string }) {
  const theme = useTheme();
  const { status } = theme.palette;
  const colour = verdict === 'winner' ? status.success : /^not yet/.test(verdict) ? status.info : /^expired/.test(verdict) ? status.warning : status.neutral;
  return (
    <Chip label={eatInText(verdict)} data-verdict={verdictKind(verdict)} sx={[softChipSx(colour, theme), { height: 22, fontSize: 11.5, maxWidth: '100%' }]} />
  );
}

/** The stable part of a verdict ("lower priority (200 vs 100)" → "lower-priority"). */
export function verdictKind(verdict: string): string {
  const head = verdict
    .replace(/\s*\(.*$/, '')
    .trim()
    .toLowerCase();
  return head.replace(/\s+/g, '-');
}

/** `WEKEZA-KE · SWIFT_TRANSFER · — · KEPSS`, for dialogs and banners. */
export function contextText(c: Pick<ToggleConfiguration, 'tenantId' | 'paymentType' | 'localInstrumentationCode' | 'clearingSystemCode'>): string {
  const parts = [c.tenantId, c.paymentType, c.localInstrumentationCode, c.clearingSystemCode];
  while (parts.length > 1 && !parts[parts.length - 1]) parts.pop();
  return parts.map((p) => p ?? 'any').join(' · ');
}
