import { UuidParams, defineOperation } from './operation.ts';
import { BacktestList } from '../backtests.ts';

/** Stored backtests (issue 11 §3): listed per configuration, on any hub, after a restart too. */
export const backtestOperations = {
  listBacktests: defineOperation({
    name: 'configuration.backtest.list',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/fraud-risk/configurations/:id/backtests',
    access: 'configuration:read',
    tenant: 'record',
    summary: "A configuration's backtests, newest first (the last 50): status, progress and summary; a backtest whose hub stopped is FAILED.",
    params: UuidParams,
    output: BacktestList,
  }),
} as const;
