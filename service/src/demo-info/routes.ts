import type { ServiceContext } from '../context.ts';
import { demoOperations } from '../../../shared/src/contract/demo.ts';
import type { DemoInfo } from '../../../shared/src/demo.ts';
import { Role } from '../../../shared/src/roles.ts';
import { toBool } from '../db/database.ts';

const NOT_DEMO: DemoInfo = { demo: false, password: null, users: [] };

/**
 * The sign-in page's demo panel (ARCHITECTURE.md rule 2: shared/src/contract/demo.ts). Only a
 * service started with --demo knows a demo team (ctx.demo, set by cli.ts); any other answers
 * `{ demo: false }` and names nobody. Only demo users that exist and are active are listed.
 */
export function registerDemoInfoRoutes(ctx: ServiceContext): void {
  ctx.operations.implement(demoOperations.info, async (): Promise<DemoInfo> => {
    const demo = ctx.demo;
    if (!demo) return NOT_DEMO;
    const names = demo.users.map((u) => u.username);
    if (names.length === 0) return { demo: true, password: demo.password, users: [] };
    const rows = await ctx.db.kysely.selectFrom('users').select(['username', 'display_name', 'role', 'active']).where('username', 'in', names).execute();
    const byName = new Map(rows.filter((r) => toBool(r.active)).map((r) => [r.username, r]));
    const users = demo.users.flatMap((u) => {
      const row = byName.get(u.username);
      const role = Role.safeParse(row?.role);
      return row && role.success ? [{ username: row.username, displayName: row.display_name, role: role.data }] : [];
    });
    return { demo: true, password: demo.password, users };
  });
}

/** The demo team a --demo service announces (cli.ts passes it from demo/seed.ts). */
export interface DemoAccounts {
  password: string;
  users: ReadonlyArray<{ username: string }>;
}
