// Register import (preview, commit) and export through the typed contract client (ARCHITECTURE.md rule 2).
import { riskReportOperations } from '../../../shared/src/contract/risk-reports.ts';
import type { ImportCommitInput, ImportPreviewInput, RegisterKind, SheetFormat } from '../../../shared/src/risk-reports.ts';
import { callApi, downloadApi } from '../api/contract-client.ts';

/** Parsing a workbook of thousands of rows takes a moment on the service. */
export const previewImport = (body: ImportPreviewInput) => callApi(riskReportOperations.importPreview, { body }, { timeout: 120_000 });
export const commitImport = (previewId: string, body: ImportCommitInput) =>
  callApi(riskReportOperations.importCommit, { params: { previewId }, body }, { timeout: 120_000 });

const EXPORTS = { risks: riskReportOperations.exportRisks, controls: riskReportOperations.exportControls, kris: riskReportOperations.exportKris } as const;

/** The register's risks, controls or KRIs as CSV or XLSX, with the columns the import reads. */
export const exportRegister = (kind: RegisterKind, format: SheetFormat) => downloadApi(EXPORTS[kind], { query: { format } }, `${kind}.${format}`);
