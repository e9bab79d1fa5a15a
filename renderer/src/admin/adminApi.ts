// User and machine-client administration, through the typed contract client (ARCHITECTURE.md rule 2).
import { apiClientOperations } from '../../../shared/src/contract/api-clients.ts';
import { userOperations } from '../../../shared/src/contract/users.ts';
import type { CreateApiClientRequest, CreateUserRequest, UpdateUserRequest } from '../../../shared/src/users.ts';
import { callApi } from '../api/contract-client.ts';

export const fetchAdminUsers = (signal?: AbortSignal) => callApi(userOperations.list, {}, { signal });
export const createUser = (body: CreateUserRequest) => callApi(userOperations.create, { body });
export const updateUser = (id: string, body: UpdateUserRequest) => callApi(userOperations.update, { params: { id }, body });
export const deactivateUser = (id: string) => callApi(userOperations.deactivate, { params: { id } });
export const reactivateUser = (id: string) => callApi(userOperations.reactivate, { params: { id } });
export const resetUserPassword = (id: string) => callApi(userOperations.resetPassword, { params: { id } });

export const fetchApiClients = (signal?: AbortSignal) => callApi(apiClientOperations.list, {}, { signal });
export const createApiClient = (body: CreateApiClientRequest) => callApi(apiClientOperations.create, { body });
export const revokeApiClient = (id: string) => callApi(apiClientOperations.revoke, { params: { id } });
export const rotateApiClient = (id: string, graceMinutes: number) => callApi(apiClientOperations.rotate, { params: { id }, body: { graceMinutes } });
