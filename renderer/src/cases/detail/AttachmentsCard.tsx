import { useRef, useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import AttachFile from '@mui/icons-material/AttachFile';
import DescriptionOutlined from '@mui/icons-material/DescriptionOutlined';
import DownloadOutlined from '@mui/icons-material/DownloadOutlined';
import EmailOutlined from '@mui/icons-material/EmailOutlined';
import ImageOutlined from '@mui/icons-material/ImageOutlined';
import InsertDriveFileOutlined from '@mui/icons-material/InsertDriveFileOutlined';
import PictureAsPdfOutlined from '@mui/icons-material/PictureAsPdfOutlined';
import TableChartOutlined from '@mui/icons-material/TableChartOutlined';
import UploadFileOutlined from '@mui/icons-material/UploadFileOutlined';
import { ATTACHMENT_TYPES, MAX_ATTACHMENTS_PER_CASE, type AttachmentType, type CaseAttachment } from '../../../../shared/src/cases.ts';
import { toApiError, type ApiError } from '../../api/client.ts';
import { formatEat, formatEatShort } from '../../lib/format.ts';
import { SectionCard } from '../../ui/layout.tsx';
import { Mono } from '../../ui/values.tsx';
import { downloadAttachment, uploadAttachment } from '../casesApi.ts';
import { ACCEPT_ATTRIBUTE, ALLOWED_EXTENSIONS_TEXT, attachmentProblem, fileToUpload, formatBytes } from './attachmentFiles.ts';

function typeIcon(type: AttachmentType): ReactNode {
  if (type === 'application/pdf') return <PictureAsPdfOutlined />;
  if (type.startsWith('image/')) return <ImageOutlined />;
  if (type === 'message/rfc822') return <EmailOutlined />;
  if (type === 'text/csv' || type.includes('spreadsheet')) return <TableChartOutlined />;
  if (type.startsWith('text/') || type.includes('word')) return <DescriptionOutlined />;
  return <InsertDriveFileOutlined />;
}

const FIELD_LABELS: Record<string, string> = { fileName: 'File name', contentType: 'File type', contentBase64: 'File', description: 'Description' };

/** `body.contentType` → "File type": the service names request paths, the analyst wants words. */
function fieldLabel(path: string): string {
  const last = path.split('.').pop() ?? path;
  return FIELD_LABELS[last] ?? last;
}

function AttachmentRow({ caseId, attachment }: { caseId: string; attachment: CaseAttachment }) {
  const theme = useTheme();
  const [downloading, setDownloading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const label = ATTACHMENT_TYPES[attachment.contentType]?.label ?? attachment.contentType;

  async function download() {
    setDownloading(true);
    setError(null);
    try {
      await downloadAttachment(caseId, attachment);
    } catch (caught) {
      setError(toApiError(caught).message);
    } finally {
      setDownloading(false);
    }
  }

  return (
    <Box
      component="li"
      data-testid="attachment-item"
      data-attachment-id={attachment.id}
      sx={{ display: 'flex', gap: 1.25, py: 1.25, borderTop: 1, borderColor: 'divider', alignItems: 'flex-start' }}
    >
      <Box
        sx={{
          width: 34,
          height: 34,
          borderRadius: 1.5,
          display: 'grid',
          placeItems: 'center',
          flexShrink: 0,
          bgcolor: alpha(theme.palette.primary.main, 0.08),
          color: 'primary.main',
          '& svg': { fontSize: 19 },
        }}
      >
        {typeIcon(attachment.contentType)}
      </Box>
      <Box sx={{ minWidth: 0, flex: 1 }}>
        <Typography variant="body2" sx={{ fontWeight: 600 }} noWrap title={attachment.fileName} data-testid="attachment-name">
          {attachment.fileName}
        </Typography>
        <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }} noWrap>
          {label} · {formatBytes(attachment.sizeBytes)} ·{' '}
          <Tooltip title={<Mono sx={{ fontSize: 11, wordBreak: 'break-all' }}>SHA-256 {attachment.sha256}</Mono>}>
            <Mono component="span" sx={{ fontSize: 11.5, cursor: 'help' }} data-testid="attachment-sha">
              {attachment.sha256.slice(0, 12)}…
            </Mono>
          </Tooltip>
        </Typography>
        <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }} noWrap>
          {attachment.uploadedByName} ·{' '}
          <Tooltip title={formatEat(attachment.uploadedAt)}>
            <span>{formatEatShort(attachment.uploadedAt)}</span>
          </Tooltip>
        </Typography>
        {attachment.description && (
          <Typography variant="caption" component="div" sx={{ mt: 0.25 }}>
            {attachment.description}
          </Typography>
        )}
        {error && (
          <Typography variant="caption" sx={{ color: 'error.main' }} role="alert">
            Download failed — {error}
          </Typography>
        )}
      </Box>
      <Tooltip title={`Download ${attachment.fileName}`}>
        <span>
          <IconButton
            size="small"
            onClick={download}
            disabled={downloading}
            aria-label={`Download ${attachment.fileName}`}
            data-testid={`attachment-download-${attachment.id}`}
          >
            {downloading ? <CircularProgress size={16} /> : <DownloadOutlined fontSize="small" />}
          </IconButton>
        </span>
      </Tooltip>
    </Box>
  );
}

/** Evidence files: the SHA-256 proves a file is the one uploaded; nothing can be replaced or removed. */
export function AttachmentsCard({
  caseId,
  attachments,
  canAttach,
  onUploaded,
}: {
  caseId: string;
  attachments: readonly CaseAttachment[];
  canAttach: boolean;
  onUploaded: (attachment: CaseAttachment) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ message: string; fields: ApiError['fields'] } | null>(null);
  const full = attachments.length >= MAX_ATTACHMENTS_PER_CASE;
  const ordered = [...attachments].sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt));

  async function upload(file: File) {
    setProblem(null);
    const local = attachmentProblem(file);
    if (local) {
      setProblem({ message: local, fields: [] });
      return;
    }
    setUploading(file.name);
    try {
      const stored = await uploadAttachment(caseId, await fileToUpload(file));
      onUploaded(stored);
    } catch (caught) {
      const apiError = toApiError(caught);
      // With field messages the service's summary ("invalid input: …") adds nothing for the analyst.
      setProblem({ message: apiError.fields.length > 0 ? `“${file.name}” was not attached.` : apiError.message, fields: apiError.fields });
    } finally {
      setUploading(null);
    }
  }

  return (
    <SectionCard
      title="Attachments"
      subtitle={attachments.length === 0 ? 'Evidence files for this case' : `${attachments.length} ${attachments.length === 1 ? 'file' : 'files'}`}
      testId="attachments-card"
      action={
        canAttach && (
          <Tooltip title={full ? `At most ${MAX_ATTACHMENTS_PER_CASE} files per case` : `${ALLOWED_EXTENSIONS_TEXT} · up to 10 MB`}>
            <span>
              <Button
                size="small"
                variant="outlined"
                startIcon={uploading ? <CircularProgress size={14} /> : <UploadFileOutlined fontSize="small" />}
                onClick={() => input.current?.click()}
                disabled={!!uploading || full}
                data-testid="attachment-upload"
              >
                {uploading ? 'Uploading…' : 'Upload'}
              </Button>
            </span>
          </Tooltip>
        )
      }
    >
      {canAttach && (
        <input
          ref={input}
          type="file"
          hidden
          accept={ACCEPT_ATTRIBUTE}
          data-testid="attachment-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            // Cleared so picking the same file again (after a fix) still fires a change.
            e.target.value = '';
            if (file) void upload(file);
          }}
        />
      )}
      {problem && (
        <Alert severity="error" sx={{ mb: 1.5 }} onClose={() => setProblem(null)} data-testid="attachment-error">
          {problem.message}
          {problem.fields.length > 0 && (
            <Box component="ul" sx={{ m: 0, mt: 0.5, pl: 2 }}>
              {problem.fields.map((f) => (
                <li key={`${f.path}:${f.message}`}>
                  <strong>{fieldLabel(f.path)}</strong>: {f.message}
                </li>
              ))}
            </Box>
          )}
        </Alert>
      )}
      {uploading && (
        <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block', mb: 1 }}>
          Uploading {uploading}…
        </Typography>
      )}
      {ordered.length === 0 ? (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, color: 'text.secondary', py: 1 }}>
          <AttachFile fontSize="small" sx={{ color: 'text.disabled' }} />
          <Typography variant="body2">{canAttach ? 'No files yet. Upload call notes, screenshots or statements.' : 'No files attached.'}</Typography>
        </Box>
      ) : (
        <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0, mb: -1 }} data-testid="attachment-list">
          {ordered.map((a) => (
            <AttachmentRow key={a.id} caseId={caseId} attachment={a} />
          ))}
        </Box>
      )}
    </SectionCard>
  );
}
