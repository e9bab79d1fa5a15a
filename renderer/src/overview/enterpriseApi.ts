// The enterprise risk view and the board report through the typed contract client (ARCHITECTURE.md rule 2).
import { riskReportOperations } from '../../../shared/src/contract/risk-reports.ts';
import { callApi, downloadApi } from '../api/contract-client.ts';

export interface ReportPeriod {
  from: string;
  to: string;
}

export const fetchRiskOverview = (period: ReportPeriod, signal?: AbortSignal) => callApi(riskReportOperations.overview, { query: period }, { signal });

/** The board report takes a while to lay out (heat maps, tables): a generous timeout. */
export const downloadBoardReport = (period: ReportPeriod) =>
  downloadApi(riskReportOperations.boardReport, { query: period }, `board-risk-report-${period.to.slice(0, 10)}.pdf`, 180_000);
