import { useState } from 'react';
import Button from '@mui/material/Button';
import ButtonGroup from '@mui/material/ButtonGroup';
import CircularProgress from '@mui/material/CircularProgress';
import Tooltip from '@mui/material/Tooltip';
import FileDownloadOutlined from '@mui/icons-material/FileDownloadOutlined';
import type { CaseFilter } from '../../../../shared/src/cases.ts';
import { toApiError } from '../../api/client.ts';
import { exportCases } from '../casesApi.ts';

/** Export the filtered queue (every page, not just the one on screen) as CSV or Excel. */
export function ExportButtons({ filter, onNotice }: { filter: CaseFilter; onNotice: (notice: { ok: boolean; text: string }) => void }) {
  const [busy, setBusy] = useState<'csv' | 'xlsx' | null>(null);

  const run = async (format: 'csv' | 'xlsx') => {
    setBusy(format);
    try {
      await exportCases(filter, format);
      onNotice({ ok: true, text: `Exported the filtered cases as ${format.toUpperCase()}` });
    } catch (caught) {
      onNotice({ ok: false, text: `Export failed — ${toApiError(caught).message}` });
    } finally {
      setBusy(null);
    }
  };

  const icon = (format: 'csv' | 'xlsx') => (busy === format ? <CircularProgress size={14} color="inherit" /> : <FileDownloadOutlined fontSize="small" />);
  return (
    <Tooltip title="Export every case that matches these filters">
      <ButtonGroup
        size="small"
        variant="outlined"
        color="inherit"
        aria-label="Export"
        sx={{ '& .MuiButton-root': { borderColor: 'divider', color: 'text.primary' } }}
      >
        <Button onClick={() => run('csv')} disabled={!!busy} startIcon={icon('csv')} data-testid="export-csv" aria-label="Export CSV">
          CSV
        </Button>
        <Button onClick={() => run('xlsx')} disabled={!!busy} startIcon={icon('xlsx')} data-testid="export-xlsx" aria-label="Export XLSX">
          XLSX
        </Button>
      </ButtonGroup>
    </Tooltip>
  );
}
