// How this computer runs the service: connect to the bank's hub (production, listed first),
// evaluate with demo data, or start empty. Used by the first-run "Set up this computer" screen and
// by an admin in Settings; both hand the choice to the desktop shell (window.wekezaDesktop), which
// checks the hub, saves the choice, restarts the service and reloads this window on it.
import { useState, type FormEvent, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import Radio from '@mui/material/Radio';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import { DeploymentChoice } from '../../../shared/src/desktop.ts';
import type { DesktopBridge } from '../desktop.ts';

type Kind = DeploymentChoice['kind'];

interface Option {
  kind: Kind;
  title: string;
  tag: string;
  tagColour: 'primary' | 'warning' | 'default';
  body: string;
}

const OPTIONS: readonly Option[] = [
  {
    kind: 'workstation',
    title: 'Connect to the bank’s hub',
    tag: 'Production',
    tagColour: 'primary',
    body: 'Your cases are kept on this computer and sync with the bank’s central hub. You keep working when the connection drops; your changes are sent when it is back.',
  },
  {
    kind: 'standalone-demo',
    title: 'Evaluate with demo data',
    tag: 'Evaluation',
    tagColour: 'warning',
    body: 'A fictitious bank with demo users, cases and payments, on this computer only. Never enter real customer data.',
  },
  {
    kind: 'standalone-empty',
    title: 'Start empty on this computer',
    tag: 'Standalone',
    tagColour: 'default',
    body: 'A new, empty database on this computer; nothing syncs. One administrator account is created and its one-time password shown once.',
  },
];

function OptionCard({
  option,
  selected,
  current,
  onSelect,
  children,
}: {
  option: Option;
  selected: boolean;
  current: boolean;
  onSelect: () => void;
  children?: ReactNode;
}) {
  const theme = useTheme();
  return (
    <Box
      onClick={onSelect}
      data-testid={`deployment-${option.kind}`}
      data-selected={selected ? 'true' : 'false'}
      sx={{
        display: 'flex',
        gap: 1,
        p: 1.5,
        pr: 2,
        borderRadius: 2,
        border: 1,
        borderColor: selected ? 'primary.main' : 'divider',
        bgcolor: selected ? alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.1 : 0.04) : 'background.paper',
        cursor: 'pointer',
        transition: 'border-color 120ms, background-color 120ms',
        '&:hover': { borderColor: selected ? 'primary.main' : 'text.disabled' },
      }}
    >
      <Radio
        checked={selected}
        onChange={onSelect}
        value={option.kind}
        name="deployment"
        slotProps={{ input: { 'aria-label': option.title } }}
        sx={{ alignSelf: 'flex-start', mt: -0.5 }}
      />
      <Box sx={{ flex: 1, minWidth: 0 }}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
          <Typography variant="subtitle1" sx={{ fontWeight: 650 }}>
            {option.title}
          </Typography>
          <Chip size="small" label={option.tag} color={option.tagColour} variant={option.tagColour === 'default' ? 'outlined' : 'filled'} />
          {current && (
            <Typography variant="caption" sx={{ color: 'text.secondary', fontWeight: 600 }} data-testid="deployment-current">
              · how this computer runs now
            </Typography>
          )}
        </Box>
        <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.25 }}>
          {option.body}
        </Typography>
        {children}
      </Box>
    </Box>
  );
}

export function DeploymentForm({
  bridge,
  initial,
  submitLabel,
  testId,
}: {
  bridge: DesktopBridge;
  /** The current choice (Settings), or null on first run. */
  initial: DeploymentChoice | null;
  submitLabel: string;
  testId: string;
}) {
  const [kind, setKind] = useState<Kind>(initial?.kind ?? 'workstation');
  const [hubUrl, setHubUrl] = useState(initial?.kind === 'workstation' ? initial.hubUrl : '');
  const [touched, setTouched] = useState(false);
  const [phase, setPhase] = useState<'idle' | 'checking' | 'restarting'>('idle');
  const [error, setError] = useState<string | null>(null);

  const candidate = kind === 'workstation' ? { kind, hubUrl: hubUrl.trim() } : { kind };
  const parsed = DeploymentChoice.safeParse(candidate);
  const urlProblem =
    kind === 'workstation' && !parsed.success
      ? hubUrl.trim()
        ? 'Enter the hub’s http(s) address, e.g. https://wekeza-hub.bank.example'
        : 'Enter the hub’s address'
      : null;
  const unchanged = initial !== null && JSON.stringify(initial) === JSON.stringify(parsed.success ? parsed.data : null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    setError(null);
    if (!parsed.success) return;
    setPhase(kind === 'workstation' ? 'checking' : 'restarting');
    try {
      const result = await bridge.chooseDeployment(parsed.data);
      if (result.ok) {
        // The shell restarts the service and reloads this window on it.
        setPhase('restarting');
        return;
      }
      setError(result.message);
      setPhase('idle');
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
      setPhase('idle');
    }
  }

  const busy = phase !== 'idle';
  return (
    <Box component="form" onSubmit={submit} noValidate data-testid={testId} sx={{ display: 'flex', flexDirection: 'column', gap: 1.25 }}>
      {OPTIONS.map((option) => (
        <OptionCard
          key={option.kind}
          option={option}
          selected={kind === option.kind}
          current={initial?.kind === option.kind}
          onSelect={() => !busy && setKind(option.kind)}
        >
          {option.kind === 'workstation' && kind === 'workstation' && (
            <TextField
              label="Hub address"
              placeholder="https://wekeza-hub.bank.example"
              value={hubUrl}
              onChange={(e) => {
                setHubUrl(e.target.value);
                setError(null);
              }}
              onBlur={() => setTouched(true)}
              onClick={(e) => e.stopPropagation()}
              error={touched && !!urlProblem}
              helperText={touched && urlProblem ? urlProblem : 'Your IT team gives you this address. It is checked before anything is saved.'}
              disabled={busy}
              fullWidth
              size="small"
              autoFocus={initial === null}
              sx={{ mt: 1.5 }}
              slotProps={{ htmlInput: { 'data-testid': 'deployment-hub-url', spellCheck: false, autoCapitalize: 'none', inputMode: 'url' } }}
            />
          )}
        </OptionCard>
      ))}
      {error && (
        <Alert severity="error" data-testid="deployment-error" role="alert">
          {error}
        </Alert>
      )}
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, mt: 0.5 }}>
        <Button
          type="submit"
          variant="contained"
          size="large"
          disabled={busy || unchanged}
          startIcon={busy ? <CircularProgress size={16} color="inherit" /> : undefined}
          data-testid="deployment-submit"
        >
          {phase === 'checking' ? 'Checking the hub…' : phase === 'restarting' ? 'Starting…' : submitLabel}
        </Button>
        {phase === 'restarting' && (
          <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="deployment-restarting">
            The service is restarting in the chosen mode; this window reloads by itself.
          </Typography>
        )}
      </Box>
    </Box>
  );
}
