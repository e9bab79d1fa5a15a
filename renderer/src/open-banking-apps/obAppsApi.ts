// Open Banking app calls through the typed contract client (ARCHITECTURE.md rule 2). Register and
// rotate answer the client secret once; everything else never carries it.
import type { z } from 'zod';
import { obAppOperations } from '../../../shared/src/contract/open-banking-admin.ts';
import type { AppListQuery, AppUsageQuery, RegisterAppRequest, UpdateAppRequest } from '../../../shared/src/open-banking.ts';
import { callApi } from '../api/contract-client.ts';

export const fetchObApps = (query: z.input<typeof AppListQuery>, signal?: AbortSignal) => callApi(obAppOperations.list, { query }, { signal });
export const fetchObApp = (id: string, signal?: AbortSignal) => callApi(obAppOperations.get, { params: { id } }, { signal });
export const registerObApp = (body: RegisterAppRequest) => callApi(obAppOperations.register, { body });
export const updateObApp = (id: string, body: UpdateAppRequest) => callApi(obAppOperations.update, { params: { id }, body });
export const suspendObApp = (id: string, reason: string) => callApi(obAppOperations.suspend, { params: { id }, body: { reason } });
export const reinstateObApp = (id: string, reason: string) => callApi(obAppOperations.reinstate, { params: { id }, body: { reason } });
export const rotateObAppSecret = (id: string, graceMinutes: number) => callApi(obAppOperations.rotate, { params: { id }, body: { graceMinutes } });
export const fetchObAppUsage = (id: string, query: z.input<typeof AppUsageQuery>, signal?: AbortSignal) =>
  callApi(obAppOperations.usage, { params: { id }, query }, { signal });
