// PDF / CSV / XLSX of a dashboard for the range on screen (issue 15): the service renders the
// file (dashboard.export); the browser saves it under the name the service gives.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import ButtonGroup from '@mui/material/ButtonGroup';
import CircularProgress from '@mui/material/CircularProgress';
import Snackbar from '@mui/material/Snackbar';
import FileDownloadOutlined from '@mui/icons-material/FileDownloadOutlined';
import type { DashboardExportQuery } from '../../../shared/src/analytics.ts';
import { toApiError } from '../api/client.ts';
import { downloadDashboard } from '../overview/dashboardApi.ts';

type Format = DashboardExportQuery['format'];
const FORMATS: { format: Format; label: string; title: string }[] = [
  { format: 'pdf', label: 'PDF', title: 'The dashboard as a PDF report' },
  { format: 'csv', label: 'CSV', title: 'The figures as CSV' },
  { format: 'xlsx', label: 'XLSX', title: 'The figures as an Excel workbook' },
];

export function ExportButtons({
  dashboard,
  range,
  disabled,
}: {
  dashboard: 'overview' | 'deep-dive';
  /** The range on screen; null while the range is not complete (a half-typed day). */
  range: Omit<DashboardExportQuery, 'format'> | null;
  disabled?: boolean;
}) {
  const [busy, setBusy] = useState<Format | null>(null);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const download = async (format: Format) => {
    if (!range) return;
    setBusy(format);
    try {
      const name = await downloadDashboard(dashboard, { ...range, format });
      setNotice({ ok: true, text: `Downloaded ${name}` });
    } catch (caught) {
      setNotice({ ok: false, text: `Export failed — ${toApiError(caught).message}` });
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <ButtonGroup size="small" variant="outlined" aria-label="Export" disabled={disabled || !range || busy !== null}>
        {FORMATS.map((f) => (
          <Button
            key={f.format}
            title={f.title}
            onClick={() => void download(f.format)}
            startIcon={busy === f.format ? <CircularProgress size={14} color="inherit" /> : <FileDownloadOutlined fontSize="small" />}
            data-testid={`export-${f.format}`}
          >
            {f.label}
          </Button>
        ))}
      </ButtonGroup>
      <Snackbar open={!!notice} autoHideDuration={5000} onClose={() => setNotice(null)} anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}>
        {notice ? (
          <Alert severity={notice.ok ? 'success' : 'error'} variant="filled" onClose={() => setNotice(null)} data-testid="export-notice">
            {notice.text}
          </Alert>
        ) : undefined}
      </Snackbar>
    </>
  );
}
