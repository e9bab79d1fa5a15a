// One configuration: the form (published body, or the open draft), the draft's backtest & publish
// panel, the versions, and the save actions. New configurations are created published (v1.0) or
// as a draft. Every write sends the rowVersion it was based on; a 409 offers a reload.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Link as RouterLink, useLocation, useNavigate, useSearchParams } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import ButtonBase from '@mui/material/ButtonBase';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import Skeleton from '@mui/material/Skeleton';
import Snackbar from '@mui/material/Snackbar';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import ArrowBack from '@mui/icons-material/ArrowBack';
import DeleteOutline from '@mui/icons-material/DeleteOutlineOutlined';
import PublishOutlined from '@mui/icons-material/PublishOutlined';
import SaveOutlined from '@mui/icons-material/SaveOutlined';
import type { ConfigurationInput, FraudRiskConfiguration } from '../../../../shared/src/decision-engine.ts';
import { newConfigurationTemplate } from '../../../../shared/src/decision-engine-defaults.ts';
import { toApiError, type ApiError } from '../../api/client.ts';
import { useCan, useSession } from '../../api/session.ts';
import { useLiveEvent } from '../../api/socket.ts';
import { useApiQuery } from '../../api/useApiQuery.ts';
import { NotFoundPage } from '../../app/guards.tsx';
import { formatEat } from '../../lib/format.ts';
import { CardSkeleton, ErrorState, PageHeader } from '../../ui/layout.tsx';
import { ConfirmDialog } from '../ConfirmDialog.tsx';
import {
  createConfiguration,
  deleteConfiguration,
  fetchConfiguration,
  fetchHealth,
  fetchVersion,
  saveDraft,
  updateConfiguration,
} from '../decisionEngineApi.ts';
import { DraftBadge, VersionStatusChip } from '../engineChips.tsx';
import { BacktestPanel } from './BacktestPanel.tsx';
import { ConfigurationForm, sectionLabel } from './ConfigurationForm.tsx';
import {
  mergeErrors,
  sectionErrorCount,
  SECTIONS,
  serverFieldErrors,
  toFormValue,
  unplacedErrors,
  validateForm,
  NO_ERRORS,
  type FormValue,
  type SectionId,
} from './formModel.ts';
import { VersionsPanel } from './VersionsPanel.tsx';
import { ConfigurationDiff } from './ConfigurationDiff.tsx';
import { CHANGE_NOTE_HELPER, CHANGE_NOTE_MIN } from './PublishDraftDialog.tsx';
import type { DiffableConfiguration } from '../../../../shared/src/decision-engine-diff.ts';

/** The form as a comparable body: which credentials will be set (the stored ones, plus any typed in), never their values. */
function withCredentialsSet(value: FormValue, config: FraudRiskConfiguration): DiffableConfiguration {
  const bank = value.bankFraudApiConfig;
  if (!bank) return { ...value, bankFraudApiConfig: null };
  const { credentials, ...settings } = bank;
  const stored = config.bankFraudApiConfig?.credentialsSet;
  return {
    ...value,
    bankFraudApiConfig: {
      ...settings,
      credentialsSet: {
        apiKey: !!stored?.apiKey || !!credentials?.apiKey,
        password: !!stored?.password || !!credentials?.password,
        token: !!stored?.token || !!credentials?.token,
        headerNames: [...new Set([...(stored?.headerNames ?? []), ...Object.keys(credentials?.headerValues ?? {})])],
      },
    },
  };
}

type Notice = { severity: 'success' | 'info' | 'warning'; text: string } | null;

function scrollToSection(id: string) {
  document.getElementById(`section-${id}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

function SectionNav({ errors, hasDraft }: { errors: ReadonlyMap<string, string>; hasDraft: boolean }) {
  const theme = useTheme();
  const items: { id: string; label: string; count: number }[] = [
    ...(hasDraft ? [{ id: 'backtest', label: 'Backtest & publish', count: 0 }] : []),
    ...SECTIONS.map((s) => ({ id: s.id, label: sectionLabel(s.id), count: sectionErrorCount(errors, s.id as SectionId) })),
  ];
  return (
    <Box component="nav" aria-label="Sections" sx={{ border: 1, borderColor: 'divider', borderRadius: 2.5, bgcolor: 'background.paper', py: 0.75 }}>
      {items.map((item) => (
        <ButtonBase
          key={item.id}
          onClick={() => scrollToSection(item.id)}
          sx={{
            display: 'flex',
            width: '100%',
            justifyContent: 'space-between',
            px: 2,
            py: 0.75,
            fontSize: 13,
            fontWeight: 550,
            color: 'text.secondary',
            '&:hover': { color: 'text.primary', bgcolor: 'action.hover' },
          }}
        >
          <span>{item.label}</span>
          {item.count > 0 && (
            <Box
              component="span"
              sx={{ fontSize: 11, fontWeight: 700, color: 'error.main', bgcolor: alpha(theme.palette.error.main, 0.1), px: 0.75, borderRadius: 1 }}
            >
              {item.count}
            </Box>
          )}
        </ButtonBase>
      ))}
    </Box>
  );
}

function ReloadAlert({ severity, testId, onReload, children }: { severity: 'warning' | 'info'; testId: string; onReload: () => void; children: ReactNode }) {
  return (
    <Alert
      severity={severity}
      sx={{ mb: 2 }}
      data-testid={testId}
      action={
        <Button color="inherit" size="small" onClick={onReload} data-testid={`${testId}-reload`}>
          Reload
        </Button>
      }
    >
      {children}
    </Alert>
  );
}

function PageSkeleton() {
  return (
    <Box sx={{ px: 2.5, py: 2.5 }}>
      <Skeleton width={140} />
      <Skeleton width={360} height={40} />
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 1fr) 320px' }, gap: 2, mt: 2 }}>
        <Box sx={{ display: 'grid', gap: 2 }}>
          <CardSkeleton lines={5} />
          <CardSkeleton lines={9} />
        </Box>
        <CardSkeleton lines={6} />
      </Box>
    </Box>
  );
}

export function ConfigurationPage({ id }: { id: string }) {
  const isNew = id === 'new';
  const navigate = useNavigate();
  const session = useSession();
  const canManage = useCan('configuration:manage');
  const [searchParams, setSearchParams] = useSearchParams();
  const viewing = isNew ? null : Number(searchParams.get('version')) || null;

  // --- server state ---
  const configFetcher = useCallback((signal: AbortSignal) => (isNew ? Promise.resolve(null) : fetchConfiguration(id, signal)), [id, isNew]);
  const configQuery = useApiQuery(`configuration:${id}`, configFetcher);
  const config = configQuery.data ?? null;
  const draftVersionNumber = config?.draft?.versionNumber ?? null;
  const draftKey = config?.draft ? `${config.draft.versionNumber}:${config.draft.updatedAt}` : 'none';
  const draftFetcher = useCallback(
    (signal: AbortSignal) => (draftVersionNumber ? fetchVersion(id, draftVersionNumber, signal) : Promise.resolve(null)),
    [id, draftVersionNumber],
  );
  const draftQuery = useApiQuery(`draft:${id}:${draftKey}`, draftFetcher);
  const versionFetcher = useCallback((signal: AbortSignal) => (viewing ? fetchVersion(id, viewing, signal) : Promise.resolve(null)), [id, viewing]);
  const versionQuery = useApiQuery(`version:${id}:${viewing ?? 'none'}`, versionFetcher);
  const healthFetcher = useCallback((signal: AbortSignal) => (isNew ? Promise.resolve(null) : fetchHealth(signal)), [isNew]);
  const healthQuery = useApiQuery(`health:${id}`, healthFetcher);
  const engineHealth = healthQuery.data?.bankEngines.find((e) => e.configurationId === id) ?? null;

  // --- what the form starts from ---
  const source = useMemo(() => {
    if (isNew) return { key: 'new', value: newConfigurationTemplate() as FormValue, credentialsSet: null };
    if (!config) return null;
    if (config.draft) {
      const draft = draftQuery.data;
      if (!draft || draft.versionNumber !== config.draft.versionNumber) return null;
      return {
        key: `draft:${draftKey}:${config.rowVersion}`,
        value: toFormValue(draft.body),
        credentialsSet: draft.body.bankFraudApiConfig?.credentialsSet ?? null,
      };
    }
    return {
      key: `published:${config.rowVersion}:${config.versionNumber}`,
      value: toFormValue(config),
      credentialsSet: config.bankFraudApiConfig?.credentialsSet ?? null,
    };
  }, [isNew, config, draftQuery.data, draftKey]);

  const [value, setValue] = useState<FormValue | null>(null);
  const [baseline, setBaseline] = useState('');
  const [loadedKey, setLoadedKey] = useState('');
  /** The rowVersion the form is based on: what every write sends as expectedRowVersion. */
  const [baseRowVersion, setBaseRowVersion] = useState<number | null>(null);
  const adoptNext = useRef(true);
  const dirty = value !== null && JSON.stringify(value) !== baseline;
  /** Set when the configuration changed on the server while the user was editing ('' = by an unknown person). */
  const [changedElsewhere, setChangedElsewhere] = useState<string | null>(null);

  useEffect(() => {
    if (!source || source.key === loadedKey) return;
    if (adoptNext.current || !dirty) {
      adoptNext.current = false;
      setValue(structuredClone(source.value));
      setBaseline(JSON.stringify(source.value));
      setLoadedKey(source.key);
      setBaseRowVersion(config?.rowVersion ?? null);
      setChangedElsewhere(null);
    } else {
      // Keep the user's edits (and the rowVersion they are based on, so saving gets a 409).
      setChangedElsewhere((current) => current ?? '');
    }
  }, [source, loadedKey, dirty, config]);

  // --- validation and server errors ---
  const validation = useMemo(() => (value ? validateForm(value) : null), [value]);
  const [serverError, setServerError] = useState<ApiError | null>(null);
  const serverErrors = useMemo(() => serverFieldErrors(serverError), [serverError]);
  const errors = useMemo(() => mergeErrors(validation?.errors ?? NO_ERRORS, serverErrors), [validation, serverErrors]);
  const errorCount = errors.size;
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState<'create' | 'draft' | 'publish' | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [confirm, setConfirm] = useState<'publish' | 'delete' | null>(null);

  const onChange = (next: FormValue) => {
    setValue(next);
    if (serverError) setServerError(null);
  };

  const reload = () => {
    adoptNext.current = true;
    setLoadedKey('');
    setConflict(false);
    setChangedElsewhere(null);
    setServerError(null);
    configQuery.refetch({ silent: true });
    draftQuery.refetch({ silent: true });
  };

  // A colleague's change arrives live; the form follows unless the user is editing.
  useLiveEvent('configuration.changed', (event) => {
    if (event.configurationId !== id) return;
    const mine = event.by === session?.user.username || event.by === session?.user.displayName;
    if (event.action === 'deleted' && !mine) {
      setNotice({ severity: 'warning', text: `This configuration was deleted by ${event.by}.` });
    } else if (!mine && dirty) {
      setChangedElsewhere(event.by);
    }
    configQuery.refetch({ silent: true });
    healthQuery.refetch({ silent: true });
  });

  const failed = (caught: unknown) => {
    const apiError = toApiError(caught);
    if (apiError.status === 409) setConflict(true);
    setServerError(apiError);
  };

  const parsedOrFocus = (): ConfigurationInput | null => {
    if (validation?.parsed) return validation.parsed;
    const first = SECTIONS.find((s) => sectionErrorCount(errors, s.id) > 0);
    if (first) scrollToSection(first.id);
    return null;
  };

  const create = async (asDraft: boolean) => {
    const input = parsedOrFocus();
    if (!input) return;
    setBusy('create');
    setServerError(null);
    try {
      const created = await createConfiguration(input, asDraft);
      setValue(null);
      setBaseline('');
      navigate(`/decision-engine/configurations/${created.id}`, {
        replace: true,
        state: {
          notice: asDraft
            ? `Created “${created.configurationName}” as a draft — backtest it, then publish.`
            : `Created and published “${created.configurationName}” v${created.version}.`,
        },
      });
    } catch (caught) {
      failed(caught);
    } finally {
      setBusy(null);
    }
  };

  const saveAsDraft = async () => {
    const input = parsedOrFocus();
    if (!input || !config) return;
    setBusy('draft');
    setServerError(null);
    try {
      const draft = await saveDraft(config.id, input);
      adoptNext.current = true;
      setNotice({ severity: 'success', text: `Draft v${draft.version} saved. Run a backtest before publishing it.` });
      configQuery.refetch({ silent: true });
      draftQuery.refetch({ silent: true });
    } catch (caught) {
      failed(caught);
    } finally {
      setBusy(null);
    }
  };

  const publishNow = async (changeNote: string) => {
    const input = parsedOrFocus();
    if (!input || !config) throw new Error('The form has errors');
    setBusy('publish');
    try {
      const published = await updateConfiguration(config.id, input, changeNote, baseRowVersion ?? config.rowVersion);
      adoptNext.current = true;
      setNotice({ severity: 'success', text: `Published v${published.version}.` });
      configQuery.refetch({ silent: true });
    } catch (caught) {
      const apiError = toApiError(caught);
      if (apiError.status === 409) {
        setConflict(true);
        setConfirm(null);
      }
      if (apiError.status === 400) setServerError(apiError);
      throw apiError;
    } finally {
      setBusy(null);
    }
  };

  const onPublishedDraft = (published: FraudRiskConfiguration) => {
    adoptNext.current = true;
    setNotice({ severity: 'success', text: `Draft published as v${published.version}.` });
    configQuery.refetch({ silent: true });
  };

  // A notice handed over by navigation (after "Create").
  const location = useLocation();
  const handedNotice = (location.state as { notice?: string } | null)?.notice ?? null;
  useEffect(() => {
    if (handedNotice) setNotice({ severity: 'success', text: handedNotice });
  }, [handedNotice]);

  // --- rendering ---
  if (!isNew && configQuery.error && !config) {
    if (configQuery.error.status === 404) return <NotFoundPage />;
    return (
      <Box sx={{ p: 2.5 }}>
        <ErrorState error={configQuery.error} onRetry={() => configQuery.refetch()} title="Could not load the configuration" />
      </Box>
    );
  }
  if (!value || (!isNew && !config)) return <PageSkeleton />;

  const oldVersion = viewing ? versionQuery.data : null;
  const readOnly = !canManage || viewing !== null;
  const shown = oldVersion ? toFormValue(oldVersion.body) : value;
  const shownCredentials = oldVersion ? (oldVersion.body.bankFraudApiConfig?.credentialsSet ?? null) : (source?.credentialsSet ?? null);
  const title = (isNew ? value.configurationName : config?.configurationName) || 'Unnamed configuration';
  const unplaced = unplacedErrors(errors);

  return (
    <Box sx={{ px: { xs: 2, md: 2.5 }, pt: 2, maxWidth: 1600, mx: 'auto' }} data-testid="configuration-page" data-configuration-id={isNew ? '' : id}>
      <Button
        component={RouterLink}
        to="/decision-engine/configurations"
        size="small"
        startIcon={<ArrowBack fontSize="small" />}
        sx={{ ml: -1, mb: 1, color: 'text.secondary' }}
      >
        Configurations
      </Button>
      <PageHeader
        title={
          <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
            {isNew ? 'New configuration' : title}
            {config && <Chip size="small" label={`v${config.version}`} sx={{ fontWeight: 650 }} data-testid="config-version" />}
            {config?.draft && <DraftBadge title={`Draft v${config.draft.versionNumber} saved ${formatEat(config.draft.updatedAt)}`} />}
            {config && !config.isEnabled && <Chip size="small" label="Disabled" variant="outlined" />}
          </Box>
        }
        subtitle={
          isNew
            ? 'Starts from the shipped rule set. Create publishes version 1.0; create as draft lets you backtest first.'
            : config &&
              `${config.tenantId === '*' ? 'All tenants' : config.tenantId} · updated ${formatEat(config.updatedAt)}${config.updatedBy ? ` by ${config.updatedBy}` : ''} · created ${formatEat(config.createdAt)}${config.createdBy ? ` by ${config.createdBy}` : ''}`
        }
        actions={
          canManage &&
          !isNew &&
          config && (
            <Button
              color="error"
              variant="outlined"
              size="small"
              startIcon={<DeleteOutline fontSize="small" />}
              onClick={() => setConfirm('delete')}
              data-testid="config-delete"
            >
              Delete
            </Button>
          )
        }
      />

      {!canManage && (
        <Alert severity="info" variant="outlined" sx={{ mb: 2 }} data-testid="read-only-notice">
          Read-only: your role can view configurations but not change them.
        </Alert>
      )}
      {conflict && (
        <ReloadAlert severity="warning" testId="conflict-alert" onReload={reload}>
          Someone else changed this configuration since you opened it. Reload to see their version — your unsaved changes will be lost.
        </ReloadAlert>
      )}
      {changedElsewhere !== null && !conflict && (
        <ReloadAlert severity="info" testId="changed-elsewhere" onReload={reload}>
          This configuration was changed{changedElsewhere ? ` by ${changedElsewhere}` : ' elsewhere'} while you were editing. Saving now will be refused; reload
          to see the change (your edits will be lost).
        </ReloadAlert>
      )}
      {serverError && !conflict && (
        <Alert severity="error" sx={{ mb: 2 }} data-testid="save-error">
          <strong>Not saved</strong> — {serverError.message}
          {serverError.fields.length > 0 && ` (${serverError.fields.length} field${serverError.fields.length === 1 ? '' : 's'} marked below)`}
        </Alert>
      )}
      {unplaced.length > 0 && (
        <Alert severity="error" sx={{ mb: 2 }}>
          {unplaced.map((e) => e.message).join(' · ')}
        </Alert>
      )}
      {viewing && (
        <Alert
          severity="info"
          sx={{ mb: 2 }}
          data-testid="viewing-version"
          action={
            <Box sx={{ display: 'flex', gap: 1 }}>
              {canManage && oldVersion && (
                <Button
                  color="inherit"
                  size="small"
                  onClick={() => {
                    onChange({ ...toFormValue(oldVersion.body), changeNote: `Restored from v${oldVersion.version}` });
                    setSearchParams({}, { replace: true });
                  }}
                >
                  Edit from this version
                </Button>
              )}
              <Button color="inherit" size="small" onClick={() => setSearchParams({}, { replace: true })}>
                Back to current
              </Button>
            </Box>
          }
        >
          {oldVersion ? (
            <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 1 }}>
              Viewing v{oldVersion.version} <VersionStatusChip status={oldVersion.status} /> read-only
              {oldVersion.changeNote ? ` — “${oldVersion.changeNote}”` : ''}
            </Box>
          ) : versionQuery.error ? (
            `Could not load version ${viewing}: ${versionQuery.error.message}`
          ) : (
            `Loading version ${viewing}…`
          )}
        </Alert>
      )}

      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 1fr) 300px' }, gap: 2, alignItems: 'start' }}>
        <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: 2, minWidth: 0 }}>
          {config?.draft && !viewing && (
            <Box id="section-backtest" sx={{ scrollMarginTop: 16 }}>
              <BacktestPanel
                configuration={config}
                rowVersion={baseRowVersion ?? config.rowVersion}
                dirty={dirty}
                canManage={canManage}
                onPublished={onPublishedDraft}
                onDiscarded={() => {
                  adoptNext.current = true;
                  setNotice({ severity: 'info', text: 'Draft discarded.' });
                  configQuery.refetch({ silent: true });
                }}
                onConflict={() => setConflict(true)}
              />
            </Box>
          )}
          {(!viewing || oldVersion) && (
            <ConfigurationForm
              key={viewing ?? 'current'}
              value={shown}
              onChange={onChange}
              errors={viewing ? NO_ERRORS : errors}
              serverErrors={viewing ? NO_ERRORS : serverErrors}
              readOnly={readOnly}
              credentialsSet={shownCredentials}
              engineHealth={engineHealth}
              bankTest={config && !viewing && canManage ? { configurationId: config.id, hasDraft: !!config.draft, formDirty: dirty } : null}
            />
          )}
        </Box>
        <Box sx={{ display: 'grid', gap: 2, position: { lg: 'sticky' }, top: { lg: 16 } }}>
          <SectionNav errors={viewing ? NO_ERRORS : errors} hasDraft={!!config?.draft && !viewing} />
          {config && (
            <VersionsPanel
              configurationId={config.id}
              refreshKey={`${config.rowVersion}:${draftKey}`}
              viewing={viewing}
              onView={(n) => setSearchParams(n ? { version: String(n) } : {}, { replace: false })}
            />
          )}
        </Box>
      </Box>

      {canManage && !viewing && (
        <Box
          data-testid="config-action-bar"
          sx={(theme) => ({
            position: 'sticky',
            bottom: 0,
            zIndex: 5,
            mt: 2,
            mx: { xs: -2, md: -2.5 },
            px: { xs: 2, md: 2.5 },
            py: 1.25,
            display: 'flex',
            alignItems: 'center',
            gap: 1.25,
            flexWrap: 'wrap',
            bgcolor: 'background.paper',
            borderTop: 1,
            borderColor: 'divider',
            boxShadow: theme.palette.mode === 'dark' ? '0 -8px 24px rgba(0,0,0,0.35)' : '0 -6px 20px rgba(15,23,42,0.06)',
          })}
        >
          <Box sx={{ flex: 1, minWidth: 200 }}>
            <Typography variant="body2" sx={{ fontWeight: 600 }} data-testid="config-dirty" data-dirty={String(dirty || isNew)}>
              {isNew
                ? 'Not created yet'
                : dirty
                  ? 'Unsaved changes'
                  : config?.draft
                    ? `Editing draft v${config.draft.versionNumber}`
                    : `Editing published v${config?.version}`}
            </Typography>
            {errorCount > 0 ? (
              <ButtonBase
                onClick={() => {
                  const first = SECTIONS.find((s) => sectionErrorCount(errors, s.id) > 0);
                  if (first) scrollToSection(first.id);
                }}
                sx={{ fontSize: 12, color: 'error.main', fontWeight: 600 }}
                data-testid="config-error-count"
              >
                {errorCount} {errorCount === 1 ? 'field needs' : 'fields need'} attention — show
              </ButtonBase>
            ) : (
              <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                {isNew
                  ? 'Checked against the same rules the service applies.'
                  : config?.draft
                    ? 'Save the draft, run a backtest, then publish from the backtest panel.'
                    : 'Save a draft to backtest it, or publish straight away.'}
              </Typography>
            )}
          </Box>
          {dirty && !isNew && (
            <Button color="inherit" onClick={() => source && setValue(structuredClone(source.value))} disabled={!!busy}>
              Undo changes
            </Button>
          )}
          {isNew ? (
            <>
              <Button variant="outlined" onClick={() => create(true)} disabled={!!busy} data-testid="config-create-draft">
                Create as draft
              </Button>
              <Button
                variant="contained"
                onClick={() => create(false)}
                disabled={!!busy}
                startIcon={busy === 'create' ? <CircularProgress size={14} color="inherit" /> : <PublishOutlined fontSize="small" />}
                data-testid="config-create"
              >
                Create
              </Button>
            </>
          ) : (
            <>
              {!config?.draft && (
                <Button variant="outlined" onClick={() => setConfirm('publish')} disabled={!!busy || errorCount > 0 || !dirty} data-testid="config-save">
                  Publish without backtest…
                </Button>
              )}
              <Button
                variant="contained"
                onClick={saveAsDraft}
                disabled={!!busy || !dirty}
                startIcon={busy === 'draft' ? <CircularProgress size={14} color="inherit" /> : <SaveOutlined fontSize="small" />}
                data-testid="save-draft"
              >
                Save draft
              </Button>
            </>
          )}
        </Box>
      )}

      {config && (
        <>
          <ConfirmDialog
            open={confirm === 'publish'}
            title={`Publish v${config.versionNumber + 1}.0 now?`}
            body="The changes go live at once, without a backtest: payments are scored with them from the next one. The current version stays in the history."
            confirmLabel="Publish now"
            confirmColor="warning"
            confirmTestId="config-save-confirm"
            testId="publish-now-dialog"
            maxWidth="md"
            reason={{
              label: 'Change note',
              minLength: CHANGE_NOTE_MIN,
              maxLength: 500,
              placeholder: 'What changed and why',
              testId: 'config-change-note',
              helper: CHANGE_NOTE_HELPER,
            }}
            onClose={() => setConfirm(null)}
            onConfirm={publishNow}
          >
            {confirm === 'publish' && (
              <ConfigurationDiff published={config} proposed={withCredentialsSet(value, config)} publishedLabel={`v${config.version}`} />
            )}
          </ConfirmDialog>
          <ConfirmDialog
            open={confirm === 'delete'}
            title={`Delete “${config.configurationName}”?`}
            body={
              <>
                The configuration stops being used at once; payments it matched fall to the next most specific configuration. Its versions and past assessments
                are kept for audit.
              </>
            }
            confirmLabel="Delete configuration"
            confirmColor="error"
            confirmTestId="delete-confirm"
            onClose={() => setConfirm(null)}
            onConfirm={async () => {
              try {
                await deleteConfiguration(config.id, baseRowVersion ?? config.rowVersion);
              } catch (caught) {
                const apiError = toApiError(caught);
                if (apiError.status === 409) setConflict(true);
                throw apiError;
              }
              navigate('/decision-engine/configurations', { state: { notice: `Deleted “${config.configurationName}”.` } });
            }}
          />
        </>
      )}

      <Snackbar open={!!notice} autoHideDuration={6000} onClose={() => setNotice(null)} anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}>
        {notice ? (
          <Alert severity={notice.severity} variant="filled" onClose={() => setNotice(null)} data-testid="config-notice">
            {notice.text}
          </Alert>
        ) : undefined}
      </Snackbar>
    </Box>
  );
}
