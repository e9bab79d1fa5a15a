import { z } from 'zod';
import { Permission, Role } from './roles.ts';
import { TenantId } from './tenants.ts';

export const Username = z
  .string()
  .trim()
  .min(3)
  .max(64)
  .regex(/^[a-z0-9._-]+$/, 'lower-case letters, digits, dot, dash and underscore only');

export const LoginRequest = z.object({
  username: Username,
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const UserPublic = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  permissions: z.array(Permission),
  /** The tenants this user acts for; [] with a bank-wide role = every tenant. */
  tenantIds: z.array(TenantId),
  /** Signed in with a one-time password that must be changed before anything else. */
  passwordChangeRequired: z.boolean(),
});
export type UserPublic = z.infer<typeof UserPublic>;

export const LoginResponse = z.object({
  token: z.string(),
  expiresAt: z.iso.datetime(),
  user: UserPublic,
});
export type LoginResponse = z.infer<typeof LoginResponse>;

/** OAuth2 client-credentials grant (RFC 6749 §4.4) for machine clients such as the payment engine. */
export const ClientCredentialsRequest = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().min(1).max(100),
  client_secret: z.string().min(1).max(256),
  scope: z.string().max(500).optional(),
});
export type ClientCredentialsRequest = z.infer<typeof ClientCredentialsRequest>;

export const ClientCredentialsResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().positive(),
  scope: z.string(),
});
export type ClientCredentialsResponse = z.infer<typeof ClientCredentialsResponse>;
