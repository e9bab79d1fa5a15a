// Alerting calls through the typed contract client (ARCHITECTURE.md rule 2): the inbox, its
// actions, channels with test-send and delivery log, routing rules and detector thresholds.
import type { z } from 'zod';
import type {
  AcknowledgeAlertRequest,
  AlertBacktestRequest,
  AlertCaseRequest,
  AlertChannelBody,
  AlertDeliveryQuery,
  AlertListQuery,
  AlertPattern,
  AlertRuleBody,
  AssignAlertRequest,
  ResolveAlertRequest,
  UpdateAlertChannelRequest,
  UpdateAlertRuleRequest,
  UpdateAlertThresholdRequest,
} from '../../../shared/src/alerts.ts';
import {
  alertChannelOperations as channels,
  alertOperations as alerts,
  alertRuleOperations as rules,
  alertThresholdOperations as thresholds,
} from '../../../shared/src/contract/alerts.ts';
import { customerOperations } from '../../../shared/src/contract/customers.ts';
import { callApi } from '../api/contract-client.ts';

export const fetchAlerts = (query: AlertListQuery, signal?: AbortSignal) => callApi(alerts.list, { query }, { signal });
export const fetchAlert = (id: string, signal?: AbortSignal) => callApi(alerts.get, { params: { id } }, { signal });
export const acknowledgeAlert = (id: string, body: z.input<typeof AcknowledgeAlertRequest>) => callApi(alerts.acknowledge, { params: { id }, body });
export const assignAlert = (id: string, body: z.input<typeof AssignAlertRequest>) => callApi(alerts.assign, { params: { id }, body });
export const resolveAlert = (id: string, body: z.input<typeof ResolveAlertRequest>) => callApi(alerts.resolve, { params: { id }, body });
export const openAlertCase = (id: string, body: z.input<typeof AlertCaseRequest>) => callApi(alerts.openCase, { params: { id }, body });

export const fetchAlertChannels = (signal?: AbortSignal) => callApi(channels.list, {}, { signal });
export const fetchAlertChannel = (id: string, signal?: AbortSignal) => callApi(channels.get, { params: { id } }, { signal });
export const createAlertChannel = (body: AlertChannelBody) => callApi(channels.create, { body });
export const updateAlertChannel = (id: string, body: z.input<typeof UpdateAlertChannelRequest>) => callApi(channels.update, { params: { id }, body });
export const deleteAlertChannel = (id: string) => callApi(channels.remove, { params: { id } });
export const testAlertChannel = (id: string) => callApi(channels.test, { params: { id } });
export const fetchAlertDeliveries = (id: string, query: z.input<typeof AlertDeliveryQuery>, signal?: AbortSignal) =>
  callApi(channels.deliveries, { params: { id }, query }, { signal });

export const fetchAlertRules = (signal?: AbortSignal) => callApi(rules.list, {}, { signal });
export const createAlertRule = (body: AlertRuleBody) => callApi(rules.create, { body });
export const updateAlertRule = (id: string, body: z.input<typeof UpdateAlertRuleRequest>) => callApi(rules.update, { params: { id }, body });
export const deleteAlertRule = (id: string) => callApi(rules.remove, { params: { id } });

export const fetchAlertThresholds = (tenantId: string, signal?: AbortSignal) => callApi(thresholds.list, { query: { tenantId } }, { signal });
export const updateAlertThreshold = (pattern: AlertPattern, body: z.input<typeof UpdateAlertThresholdRequest>) =>
  callApi(thresholds.update, { params: { pattern }, body });
export const backtestAlertThreshold = (body: z.input<typeof AlertBacktestRequest>, signal?: AbortSignal) =>
  callApi(thresholds.backtest, { body }, { signal, timeout: 120_000 });

/** The person (GCID) behind a customer reference, for Customer 360. */
export const resolveCustomerRef = (customerRef: string) => callApi(customerOperations.resolve, { query: { customerRef } });
