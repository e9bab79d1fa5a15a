// Import risks, controls or KRIs from a CSV or XLSX file (issue 13): the file is previewed first —
// every row valid, invalid (naming its row, column and what is wrong) or a duplicate — and only a
// preview without invalid rows is committed, in one transaction. Mounted by the register screens
// (`<RiskImportDialog kind="risks" … />`); needs risk:configure.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import UploadFileOutlined from '@mui/icons-material/UploadFileOutlined';
import { MAX_IMPORT_BYTES, type ImportCommitResult, type ImportPreview, type RegisterKind, type SheetFormat } from '../../../shared/src/risk-reports.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import { formatCount } from '../lib/format.ts';
import { ImportPreviewTable } from './ImportPreviewTable.tsx';
import { commitImport, previewImport } from './riskImportsApi.ts';

const KIND_LABELS: Record<RegisterKind, string> = { risks: 'Risks', controls: 'Controls', kris: 'KRIs' };
/** In a sentence: "risks", "controls", "KRIs". */
const KIND_WORDS: Record<RegisterKind, string> = { risks: 'risks', controls: 'controls', kris: 'KRIs' };
const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** The file as base64 (the contract carries it in JSON); a file the browser cannot read is an error, not a crash. */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(new Error('The file could not be read'));
    reader.onload = () => {
      const url = String(reader.result ?? '');
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.readAsDataURL(file);
  });
}

function formatOf(name: string): SheetFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  return null;
}

export function RiskImportDialog({
  kind: initialKind = 'risks',
  tenantId: initialTenant,
  onClose,
  onImported,
}: {
  kind?: RegisterKind;
  tenantId?: string;
  onClose: () => void;
  /** Called after a commit; the caller refreshes its list. */
  onImported?: (result: ImportCommitResult) => void;
}) {
  const me = useSession()?.user;
  const [kind, setKind] = useState<RegisterKind>(initialKind);
  const [tenantId, setTenantId] = useState(initialTenant ?? me?.tenantIds[0] ?? 'WEKEZA-KE');
  const [file, setFile] = useState<File | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [busy, setBusy] = useState<'preview' | 'commit' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<ImportCommitResult | null>(null);

  const chooseFile = (chosen: File | null) => {
    setPreview(null);
    setResult(null);
    setError(null);
    setFile(chosen);
    if (!chosen) return setFileProblem(null);
    if (!formatOf(chosen.name)) return setFileProblem('Choose a .csv or .xlsx file');
    if (chosen.size === 0) return setFileProblem('The file is empty');
    if (chosen.size > MAX_IMPORT_BYTES) return setFileProblem(`At most ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
    setFileProblem(null);
  };

  const runPreview = async () => {
    const format = file ? formatOf(file.name) : null;
    if (!file || !format || fileProblem) return setFileProblem(fileProblem ?? 'Choose a .csv or .xlsx file');
    setBusy('preview');
    setError(null);
    setResult(null);
    try {
      const contentBase64 = await readBase64(file);
      setPreview(await previewImport({ tenantId: tenantId.trim(), kind, format, contentBase64, fileName: file.name.slice(0, 200) }));
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(null);
    }
  };

  const runCommit = async () => {
    if (!preview) return;
    setBusy('commit');
    setError(null);
    try {
      const committed = await commitImport(preview.previewId, { tenantId: preview.tenantId });
      setResult(committed);
      setPreview(null);
      onImported?.(committed);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(null);
    }
  };

  const tenantError = error?.fields.find((f) => f.path === 'body.tenantId')?.message;
  const rows = preview ? (onlyProblems ? preview.rows.filter((r) => r.status !== 'VALID') : preview.rows) : [];

  return (
    <Dialog open onClose={busy ? undefined : onClose} maxWidth="lg" fullWidth data-testid="risk-import-dialog">
      <DialogTitle>Import {KIND_WORDS[kind]} from a file</DialogTitle>
      <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 2, pt: '8px !important' }}>
        <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'flex-start' }}>
          <TextField
            select
            label="Import"
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as RegisterKind);
              setPreview(null);
            }}
            sx={{ width: 160 }}
            slotProps={{ htmlInput: { 'data-testid': 'import-kind' } }}
          >
            {(Object.keys(KIND_LABELS) as RegisterKind[]).map((k) => (
              <MenuItem key={k} value={k}>
                {KIND_LABELS[k]}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label="Tenant"
            value={tenantId}
            onChange={(e) => {
              setTenantId(e.target.value);
              setPreview(null);
            }}
            error={!!tenantError}
            helperText={tenantError ?? 'The imported rows belong to it'}
            sx={{ width: 220 }}
            slotProps={{ htmlInput: { maxLength: 64, 'data-testid': 'import-tenant' } }}
          />
          <Box>
            <Button component="label" variant="outlined" startIcon={<UploadFileOutlined />} data-testid="import-choose-file">
              {file ? 'Choose another file' : 'Choose a file'}
              <input
                type="file"
                hidden
                accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                data-testid="import-file"
                onChange={(e) => {
                  chooseFile(e.target.files?.[0] ?? null);
                  e.target.value = '';
                }}
              />
            </Button>
            <Typography variant="caption" component="div" sx={{ mt: 0.5, color: fileProblem ? 'error.main' : 'text.secondary' }}>
              {fileProblem ??
                (file
                  ? `${file.name} · ${formatCount(Math.ceil(file.size / 1024))} KB`
                  : 'CSV (as saved from Excel) or XLSX, with the export’s column headers')}
            </Typography>
          </Box>
        </Box>
        {error && !tenantError && (
          <Alert severity="error" data-testid="import-error">
            {error.fields.length ? error.fields.map((f) => `${f.path}: ${f.message}`).join('; ') : error.message}
          </Alert>
        )}
        {result && (
          <Alert severity="success" data-testid="import-result">
            Imported {formatCount(result.created.length)} {KIND_WORDS[result.kind]}
            {result.created.length
              ? ` (${result.created[0]!.reference}${result.created.length > 1 ? ` … ${result.created[result.created.length - 1]!.reference}` : ''})`
              : ''}
            {result.skippedDuplicates ? `; ${plural(result.skippedDuplicates, 'duplicate', 'duplicates')} left alone` : ''}.
          </Alert>
        )}
        {preview && (
          <>
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap' }} data-testid="import-counts">
              <Typography variant="body2">
                <strong>{formatCount(preview.counts.total)}</strong> rows ·{' '}
                <Box component="span" sx={{ color: 'success.main' }}>
                  {formatCount(preview.counts.valid)} valid
                </Box>{' '}
                ·{' '}
                <Box
                  component="span"
                  sx={{ color: preview.counts.invalid ? 'error.main' : 'text.secondary', fontWeight: preview.counts.invalid ? 700 : 400 }}
                  data-testid="import-invalid-count"
                >
                  {formatCount(preview.counts.invalid)} with problems
                </Box>{' '}
                · {plural(preview.counts.duplicate, 'duplicate', 'duplicates')} (skipped)
              </Typography>
              <Box sx={{ flex: 1 }} />
              <FormControlLabel
                control={<Switch size="small" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)} />}
                label="Only rows with problems"
              />
            </Box>
            {preview.counts.invalid > 0 && (
              <Alert severity="warning" data-testid="import-problems">
                Fix these in the file and preview again — nothing is imported while a row has a problem:
                <Box component="ul" sx={{ m: 0, mt: 0.5, pl: 2.5, maxHeight: 120, overflowY: 'auto' }}>
                  {preview.errors.slice(0, 50).map((e, i) => (
                    <li key={`${e.row}-${e.column}-${i}`}>
                      Row {e.row}, {e.column}: {e.message}
                    </li>
                  ))}
                  {preview.errors.length > 50 && <li>… and {formatCount(preview.errors.length - 50)} more (see the table)</li>}
                </Box>
              </Alert>
            )}
            <ImportPreviewTable columns={preview.columns} rows={rows} />
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={!!busy}>
          {result ? 'Close' : 'Cancel'}
        </Button>
        <Button
          onClick={() => void runPreview()}
          disabled={!!busy || !file}
          data-testid="import-preview"
          startIcon={busy === 'preview' ? <CircularProgress size={16} /> : null}
        >
          {preview ? 'Preview again' : 'Preview'}
        </Button>
        <Button
          variant="contained"
          onClick={() => void runCommit()}
          disabled={!!busy || !preview?.canCommit}
          data-testid="import-commit"
          startIcon={busy === 'commit' ? <CircularProgress size={16} /> : null}
        >
          {preview ? `Import ${plural(preview.counts.valid, 'row', 'rows')}` : 'Import'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
