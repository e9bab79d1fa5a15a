import type { HealthResponse } from '../../../shared/src/api.ts';
import type { LoginResponse, UserPublic } from '../../../shared/src/auth.ts';
import { authOperations, systemOperations } from '../../../shared/src/contract/auth.ts';
import { userOperations } from '../../../shared/src/contract/users.ts';
import { callApi } from './contract-client.ts';

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

/** Users who work cases and share a tenant with the caller (for assigning cases). */
export function fetchAssignableUsers(signal?: AbortSignal): Promise<UserPublic[]> {
  return callApi(userOperations.assignable, {}, { signal });
}

/** Changes the signed-in user's password; a wrong current password is a 400, not an ended session. */
export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return callApi(userOperations.changePassword, { body: { currentPassword, newPassword } }, { credentialsCheck: true });
}
