import { z } from 'zod';
import { HumanRole, MachineRole, Role } from './roles.ts';
import { BANK_WIDE_ROLES, TenantId, TenantIdList } from './tenants.ts';
import { Username } from './auth.ts';

/**
 * User management and machine clients (issue 10, "Tenants, users and clients"): the schemas the
 * service answers with and the renderer's Administration screens send.
 */

export const DisplayName = z.string().trim().min(2, 'at least 2 characters').max(120);

/** A user as administrators see it (never a password or hash). */
export const AdminUser = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  /** [] with a bank-wide role = every tenant; [] with any other role = no tenant. */
  tenantIds: z.array(TenantId),
  active: z.boolean(),
  /** Holds a one-time password it has not changed yet. */
  passwordChangeRequired: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int().positive(),
  lastSignInAt: z.iso.datetime().nullable(),
  passwordChangedAt: z.iso.datetime().nullable(),
  deactivatedAt: z.iso.datetime().nullable(),
});
export type AdminUser = z.infer<typeof AdminUser>;

/** Only bank-wide roles may act for every tenant; anyone else must be given at least one. */
function requireTenantsForScopedRoles(value: { role?: HumanRole | undefined; tenantIds?: readonly string[] | undefined }, ctx: z.RefinementCtx): void {
  if (value.role && value.tenantIds && value.tenantIds.length === 0 && !BANK_WIDE_ROLES.includes(value.role)) {
    ctx.addIssue({ code: 'custom', path: ['tenantIds'], message: 'this role acts for named tenants only: choose at least one' });
  }
}

export const CreateUserRequest = z
  .object({
    username: Username,
    displayName: DisplayName,
    role: HumanRole,
    /** Required on purpose: an empty list gives a bank-wide role every tenant, so it is never a default. */
    tenantIds: TenantIdList,
  })
  .superRefine(requireTenantsForScopedRoles);
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

/** A one-time password is shown once: in this answer, never again. */
export const UserWithOneTimePassword = z.object({
  user: AdminUser,
  oneTimePassword: z.string(),
});
export type UserWithOneTimePassword = z.infer<typeof UserWithOneTimePassword>;

export const UpdateUserRequest = z
  .object({
    displayName: DisplayName.optional(),
    role: HumanRole.optional(),
    tenantIds: TenantIdList.optional(),
    expectedVersion: z.number().int().positive(),
  })
  .refine((v) => v.displayName !== undefined || v.role !== undefined || v.tenantIds !== undefined, {
    message: 'change at least one of displayName, role, tenantIds',
    path: ['displayName'],
  });
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

/* ---------- passwords ---------- */

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
/** How many earlier passwords (the current one included) a new password may not repeat. */
export const PASSWORD_HISTORY = 5;

/**
 * A short list of passwords that are long enough but guessed first (breach lists, keyboard walks,
 * the product's own name). Compared case-insensitively, ignoring spaces.
 */
export const COMMON_PASSWORDS: readonly string[] = [
  '123456789012',
  '1234567890123',
  '12345678910',
  'qwertyuiop12',
  'qwertyuiopasdf',
  'qwerty123456',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'zaq12wsxcde3',
  'asdfghjkl123',
  'password1234',
  'password12345',
  'password123!',
  'passw0rd1234',
  'p@ssw0rd1234',
  'p@ssword1234',
  'iloveyou1234',
  'welcome12345',
  'welcome@1234',
  'changeme1234',
  'letmein12345',
  'administrator',
  'admin1234567',
  'admin@123456',
  'abcdefghijkl',
  'abc123456789',
  'aaaaaaaaaaaa',
  '111111111111',
  '000000000000',
  'football1234',
  'baseball1234',
  'sunshine1234',
  'princess1234',
  'monkey123456',
  'dragon123456',
  'trustno1trustno1',
  'correcthorsebatterystaple',
  'wekeza123456',
  'wekeza2026!!',
  'wekezabank123',
  'nairobi12345',
  'kenya1234567',
];

/**
 * The password rules that need nothing but the text (the service also refuses the last
 * PASSWORD_HISTORY passwords). Returns the reason in words, or null when the password passes.
 */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `at most ${PASSWORD_MAX_LENGTH} characters`;
  const folded = password.toLowerCase();
  if (username && folded.includes(username.toLowerCase())) return 'must not contain your username';
  if (COMMON_PASSWORDS.includes(folded.replace(/\s+/g, ''))) return 'is a commonly used password: choose another';
  if (new Set(folded).size < 4) return 'uses too few different characters';
  return null;
}

export const ChangePasswordRequest = z.object({
  currentPassword: z.string().min(1, 'enter your current password').max(PASSWORD_MAX_LENGTH),
  newPassword: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`)
    .max(PASSWORD_MAX_LENGTH, `at most ${PASSWORD_MAX_LENGTH} characters`),
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

/* ---------- machine clients ---------- */

/** How long a rotated key keeps working unless the caller says otherwise: one day. */
export const DEFAULT_ROTATION_GRACE_MINUTES = 24 * 60;
/** The longest grace a rotation may give the previous key: seven days. */
export const MAX_ROTATION_GRACE_MINUTES = 7 * 24 * 60;

export const ApiClientView = z.object({
  id: z.uuid(),
  name: z.string(),
  /** The OAuth2 client id (client-credentials grant). */
  clientId: z.string(),
  /** The first characters of the current key, to tell keys apart; never the key. */
  keyPrefix: z.string(),
  role: MachineRole,
  tenantIds: z.array(TenantId),
  active: z.boolean(),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  revokedAt: z.iso.datetime().nullable(),
  rotatedAt: z.iso.datetime().nullable(),
  /** Until when the key before the last rotation is still accepted; null when it no longer is. */
  previousKeyValidUntil: z.iso.datetime().nullable(),
  /** Last authentication, recorded at most once a minute. */
  lastUsedAt: z.iso.datetime().nullable(),
  version: z.number().int().positive(),
});
export type ApiClientView = z.infer<typeof ApiClientView>;

/** A client with its key, answered once on create and on rotate. Flat, so `apiKey` sits beside `clientId`. */
export const ApiClientWithKey = ApiClientView.extend({
  /** The API key and OAuth2 client secret. Shown only in this answer. */
  apiKey: z.string(),
});
export type ApiClientWithKey = z.infer<typeof ApiClientWithKey>;

export const CreateApiClientRequest = z
  .object({
    name: z.string().trim().min(3, 'at least 3 characters').max(100),
    /** Defaults to the payment engine, the machine client the API had before roles existed. */
    role: MachineRole.default('PAYMENT_ENGINE'),
    tenantIds: TenantIdList.default([]),
  })
  .superRefine((value, ctx) => {
    if (value.role === 'PAYMENT_ENGINE' && value.tenantIds.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['tenantIds'], message: 'a payment engine scores payments for named tenants: choose at least one' });
    }
    // Core banking feeds the risk models of exactly the tenants it serves (issue 13, seed 000).
    if (value.role === 'CORE_BANKING' && value.tenantIds.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['tenantIds'], message: 'core banking feeds the risk data of named tenants: choose at least one' });
    }
  });
export type CreateApiClientRequest = z.input<typeof CreateApiClientRequest>;

export const RotateApiClientRequest = z.object({
  /** How long the current key keeps working beside the new one; 0 ends it at once. */
  graceMinutes: z.number().int().min(0).max(MAX_ROTATION_GRACE_MINUTES).default(DEFAULT_ROTATION_GRACE_MINUTES),
});
export type RotateApiClientRequest = z.input<typeof RotateApiClientRequest>;
