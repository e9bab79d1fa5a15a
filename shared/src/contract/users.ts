import { z } from 'zod';
import { UserPublic } from '../auth.ts';
import { AdminUser, ChangePasswordRequest, CreateUserRequest, UpdateUserRequest, UserWithOneTimePassword } from '../users.ts';
import { defineOperation, UuidParams } from './operation.ts';

/**
 * User management (issue 10 "Tenants, users and clients"). Users are bank-wide data (tenant rule
 * 'global', ARCHITECTURE.md "Tenants"); an administrator restricted to some tenants may only manage
 * users whose tenants it holds and grant only those tenants (403 otherwise, checked by the commands).
 */
export const userOperations = {
  list: defineOperation({
    name: 'user.list',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/users',
    access: 'user:manage',
    tenant: 'global',
    summary: 'Every user, for administrators: role, tenants, state, one-time password pending, last sign-in.',
    output: z.array(AdminUser),
  }),
  assignable: defineOperation({
    name: 'user.assignable',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/users/assignable',
    access: 'case:work',
    tenant: 'list',
    summary: 'Active users who work cases and share a tenant with the caller (the assign dialog).',
    output: z.array(UserPublic),
  }),
  create: defineOperation({
    name: 'user.create',
    kind: 'command',
    method: 'POST',
    path: '/api/v1/users',
    access: 'user:manage',
    tenant: 'global',
    summary: 'Create a user; answers its one-time password once (it must be changed at first sign-in).',
    body: CreateUserRequest,
    output: UserWithOneTimePassword,
    status: 201,
  }),
  update: defineOperation({
    name: 'user.update',
    kind: 'command',
    method: 'PATCH',
    path: '/api/v1/users/:id',
    access: 'user:manage',
    tenant: 'global',
    summary: 'Change a display name, role or tenants (expectedVersion; 409 when stale). A new role or tenants ends the user’s sessions.',
    params: UuidParams,
    body: UpdateUserRequest,
    output: AdminUser,
  }),
  deactivate: defineOperation({
    name: 'user.deactivate',
    kind: 'command',
    method: 'POST',
    path: '/api/v1/users/:id/deactivate',
    access: 'user:manage',
    tenant: 'global',
    summary: 'Stop a user from signing in and end all its sessions at once (HTTP and socket.io). Not yourself, not the last active admin.',
    params: UuidParams,
    output: AdminUser,
  }),
  reactivate: defineOperation({
    name: 'user.reactivate',
    kind: 'command',
    method: 'POST',
    path: '/api/v1/users/:id/reactivate',
    access: 'user:manage',
    tenant: 'global',
    summary: 'Let a deactivated user sign in again.',
    params: UuidParams,
    output: AdminUser,
  }),
  resetPassword: defineOperation({
    name: 'user.resetPassword',
    kind: 'command',
    method: 'POST',
    path: '/api/v1/users/:id/reset-password',
    access: 'user:manage',
    tenant: 'global',
    summary: 'Give a user a new one-time password (answered once) and end its sessions; it must change it at next sign-in.',
    params: UuidParams,
    output: UserWithOneTimePassword,
  }),
  changePassword: defineOperation({
    name: 'user.changePassword',
    kind: 'command',
    method: 'POST',
    path: '/api/v1/auth/password',
    access: 'signed-in',
    tenant: 'global',
    summary: 'Change your own password (12+ characters, not your username, not a common one, not one of your last 5). Ends your other sessions.',
    body: ChangePasswordRequest,
    output: null,
    allowedBeforePasswordChange: true,
  }),
} as const;
