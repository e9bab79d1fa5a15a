import {
  ImportCommitInput,
  ImportCommitParams,
  ImportCommitResult,
  ImportPreview,
  ImportPreviewInput,
  RegisterExportQuery,
  ReportPeriodQuery,
  RiskOverview,
} from '../risk-reports.ts';
import { defineOperation } from './operation.ts';

const exportOf = (kind: 'risks' | 'controls' | 'kris', what: string) =>
  defineOperation({
    name: `${kind === 'risks' ? 'risk' : kind === 'controls' ? 'control' : 'kri'}.export`,
    kind: 'query',
    method: 'GET',
    // A fixed segment: the router prefers it to the `/:id` route beside it.
    path: `/api/v1/${kind}/export`,
    access: 'risk:read',
    tenant: 'list',
    summary: `The ${what} of your tenants as CSV (format=csv, text/csv) or an Excel workbook (format=xlsx), with the columns the import reads.`,
    query: RegisterExportQuery,
    output: null,
    response: 'file',
    status: 200,
  });

/**
 * Reports on the risk register (issue 13, ARCHITECTURE.md rule 2): import with a preview, export,
 * the board risk report and the enterprise overview.
 */
export const riskReportOperations = {
  importPreview: defineOperation({
    name: 'risk-import.preview',
    kind: 'command',
    method: 'POST',
    path: '/api/v1/risk-imports/preview',
    access: 'risk:configure',
    tenant: 'input',
    tenantField: 'body.tenantId',
    summary:
      'Preview a CSV or XLSX file of risks, controls or KRIs (base64): every row VALID, INVALID (row, column and message) or DUPLICATE; nothing is imported yet.',
    body: ImportPreviewInput,
    output: ImportPreview,
    status: 200,
    bodyLimit: 8 * 1024 * 1024,
  }),
  importCommit: defineOperation({
    name: 'risk-import.commit',
    kind: 'command',
    method: 'POST',
    path: '/api/v1/risk-imports/:previewId/commit',
    access: 'risk:configure',
    tenant: 'input',
    tenantField: 'body.tenantId',
    summary:
      "Import a preview's valid rows through the create commands, all in one transaction; a file with any invalid row (judged again now) imports nothing (400 naming rows and columns).",
    params: ImportCommitParams,
    body: ImportCommitInput,
    output: ImportCommitResult,
    status: 201,
  }),
  exportRisks: exportOf('risks', 'risks'),
  exportControls: exportOf('controls', 'controls'),
  exportKris: exportOf('kris', 'KRIs'),
  boardReport: defineOperation({
    name: 'risk-report.board',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/risk-reports/board.pdf',
    access: 'risk:read',
    tenant: 'list',
    summary:
      'The board risk report as PDF (application/pdf): heat maps, top risks, KRIs in breach, the risk trend and events and losses for from–to (default the last 90 days).',
    query: ReportPeriodQuery,
    output: null,
    response: 'file',
    status: 200,
  }),
  overview: defineOperation({
    name: 'risk-overview.get',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/risk-overview',
    access: 'risk:read',
    tenant: 'list',
    summary:
      'The enterprise risk view for executives: heat maps, top risks by residual score, KRIs in breach, the weekly risk trend and events and losses for from–to.',
    query: ReportPeriodQuery,
    output: RiskOverview,
  }),
} as const;
