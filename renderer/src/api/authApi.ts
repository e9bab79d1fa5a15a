import { z } from 'zod';
import { HealthResponse } from '../../../shared/src/api.ts';
import { LoginResponse, UserPublic } from '../../../shared/src/auth.ts';
import { getJson, postJson, postNoContent } from './client.ts';

export function fetchHealth(signal?: AbortSignal): Promise<HealthResponse> {
  return getJson('/health', HealthResponse, { signal });
}

export function login(username: string, password: string): Promise<LoginResponse> {
  return postJson('/api/v1/auth/login', { username, password }, LoginResponse, { credentialsCheck: true });
}

export function logout(): Promise<void> {
  return postNoContent('/api/v1/auth/logout');
}

export function fetchMe(signal?: AbortSignal): Promise<UserPublic> {
  return getJson('/api/v1/auth/me', UserPublic, { signal });
}

export function fetchUsers(signal?: AbortSignal): Promise<UserPublic[]> {
  return getJson('/api/v1/users', z.array(UserPublic), { signal });
}
