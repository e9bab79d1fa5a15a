import { z } from 'zod';
import type { HealthResponse } from '../../../shared/src/api.ts';
import { UserPublic, type LoginResponse } from '../../../shared/src/auth.ts';
import { authOperations, systemOperations } from '../../../shared/src/contract/auth.ts';
import { callApi } from './contract-client.ts';
import { getJson } from './client.ts';

export function fetchHealth(signal?: AbortSignal): Promise<HealthResponse> {
  return callApi(systemOperations.health, {}, { signal });
}

export function login(username: string, password: string): Promise<LoginResponse> {
  return callApi(authOperations.login, { body: { username, password } }, { credentialsCheck: true });
}

export function logout(): Promise<void> {
  return callApi(authOperations.logout, {});
}

export function fetchMe(signal?: AbortSignal): Promise<UserPublic> {
  return callApi(authOperations.me, {}, { signal });
}

export function fetchUsers(signal?: AbortSignal): Promise<UserPublic[]> {
  return getJson('/api/v1/users', z.array(UserPublic), { signal });
}
