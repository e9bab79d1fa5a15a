import { z } from 'zod';
import { ApiClientView, ApiClientWithKey, CreateApiClientRequest, RotateApiClientRequest } from '../users.ts';
import { defineOperation, UuidParams } from './operation.ts';

/**
 * Machine clients: the bank's payment engine and monitoring (Prometheus). Their keys are shown
 * once, on create and on rotate; only a hash is kept (ARCHITECTURE.md rule 6).
 */
export const apiClientOperations = {
  list: defineOperation({
    name: 'apiClient.list',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/api-clients',
    access: 'user:manage',
    tenant: 'global',
    summary: 'Every machine client: role, tenants, state, last use, and until when a rotated key still works.',
    output: z.array(ApiClientView),
  }),
  create: defineOperation({
    name: 'apiClient.create',
    kind: 'command',
    method: 'POST',
    path: '/api/v1/api-clients',
    access: 'user:manage',
    tenant: 'global',
    summary: 'Register a machine client (PAYMENT_ENGINE needs at least one tenant; MONITORING reads /metrics only); the apiKey is answered once.',
    body: CreateApiClientRequest,
    output: ApiClientWithKey,
    status: 201,
  }),
  revoke: defineOperation({
    name: 'apiClient.revoke',
    kind: 'command',
    method: 'POST',
    path: '/api/v1/api-clients/:id/revoke',
    access: 'user:manage',
    tenant: 'global',
    summary: 'Revoke a machine client: its keys (current and previous) and tokens stop working at once.',
    params: UuidParams,
    output: ApiClientView,
  }),
  rotate: defineOperation({
    name: 'apiClient.rotate',
    kind: 'command',
    method: 'POST',
    path: '/api/v1/api-clients/:id/rotate',
    access: 'user:manage',
    tenant: 'global',
    summary:
      'Issue a new key (answered once); the previous key keeps working for graceMinutes (default 1440 = 24 h, at most 10080 = 7 days; 0 ends it at once).',
    params: UuidParams,
    body: RotateApiClientRequest,
    output: ApiClientWithKey,
  }),
} as const;
