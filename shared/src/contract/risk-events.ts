import { RiskEvent, RiskEventCloseInput, RiskEventCreateInput, RiskEventList, RiskEventListQuery, RiskEventUpdateInput } from '../risk-events.ts';
import { defineOperation, UuidParams } from './operation.ts';

const BASE = '/api/v1/risk-events';

/** Risk events: incidents, losses, near misses and KRI breaches (issue 13, ARCHITECTURE.md rule 2). */
export const riskEventOperations = {
  list: defineOperation({
    name: 'risk-event.list',
    kind: 'query',
    method: 'GET',
    path: BASE,
    access: 'risk:read',
    tenant: 'list',
    summary: 'Risk events of your tenants, newest first, filtered by risk, KRI, type, severity, status and period.',
    query: RiskEventListQuery,
    output: RiskEventList,
  }),
  get: defineOperation({
    name: 'risk-event.get',
    kind: 'query',
    method: 'GET',
    path: `${BASE}/:id`,
    access: 'risk:read',
    tenant: 'record',
    summary: 'One risk event.',
    params: UuidParams,
    output: RiskEvent,
  }),
  create: defineOperation({
    name: 'risk-event.create',
    kind: 'command',
    method: 'POST',
    path: BASE,
    access: 'risk:manage',
    tenant: 'input',
    tenantField: 'body.tenantId',
    summary: 'Record an incident, loss or near miss (source MANUAL), linked to a risk and/or KRI of the same tenant.',
    body: RiskEventCreateInput,
    output: RiskEvent,
    status: 201,
  }),
  update: defineOperation({
    name: 'risk-event.update',
    kind: 'command',
    method: 'PUT',
    path: `${BASE}/:id`,
    access: 'risk:manage',
    tenant: 'record',
    summary: 'Edit an open risk event (expectedVersion; a stale one answers 409).',
    params: UuidParams,
    body: RiskEventUpdateInput,
    output: RiskEvent,
  }),
  close: defineOperation({
    name: 'risk-event.close',
    kind: 'command',
    method: 'POST',
    path: `${BASE}/:id/close`,
    access: 'risk:manage',
    tenant: 'record',
    summary: 'Close a risk event; a later KRI breach opens a new one.',
    params: UuidParams,
    body: RiskEventCloseInput,
    output: RiskEvent,
  }),
} as const;
