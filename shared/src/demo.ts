import { z } from 'zod';
import { Role } from './roles.ts';

/**
 * What the sign-in page may show about the demo (issue 11 §4): in demo mode (`--demo`) the demo
 * team and their shared password, so a newcomer can sign in; otherwise nothing at all.
 */
export const DemoUser = z.object({ username: z.string(), displayName: z.string(), role: Role });
export type DemoUser = z.infer<typeof DemoUser>;

export const DemoInfo = z.object({
  demo: z.boolean(),
  /** The demo users' shared password as seeded; null outside demo mode. */
  password: z.string().nullable(),
  /** Demo users that exist and are active; empty outside demo mode. */
  users: z.array(DemoUser),
});
export type DemoInfo = z.infer<typeof DemoInfo>;
