import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The import rules of biome.jsonc (ARCHITECTURE.md rule 7, and the service's feature boundaries)
 * are gitignore-style patterns on the specifier as written, easy to get silently wrong. This
 * lints probe files, laid out like the repository, with the repository's own configuration and
 * checks that exactly the forbidden lines are reported: a rule that matches nothing, or
 * everything, fails here. One probe file per place, one import per line, each line marked.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const biome = path.join(root, 'node_modules', '.bin', 'biome');

type Verdict = 'deny' | 'allow';
const PROBES: Record<string, [string, Verdict][]> = {
  'shared/src/probe.ts': [
    ["import 'zod';", 'allow'],
    ["import './api.ts';", 'allow'],
    ["import './contract/operation.ts';", 'allow'],
    ["import 'node:fs';", 'deny'],
    ["import 'react';", 'deny'],
    ["import '@mui/material';", 'deny'],
    ["import '../../service/src/errors.ts';", 'deny'],
    ["import '../../renderer/src/lib/format.ts';", 'deny'],
  ],
  'shared/src/contract/probe.ts': [
    ["import '../api.ts';", 'allow'],
    ["import '../../../main/src/ipc.ts';", 'deny'],
  ],
  'renderer/src/cases/probe.ts': [
    ["import type { WekezaDesktopApi } from '../../../main/src/preload.ts';", 'allow'],
    ["export type Bridge = WekezaDesktopApi | import('../../../main/src/preload.ts').WekezaDesktopApi;", 'allow'],
    ["import { exposeBridge } from '../../../main/src/preload.ts';", 'deny'],
    ["import { type WekezaDesktopApi as Api } from '../../../main/src/preload.ts';", 'deny'],
    ["export const later = () => import('../../../main/src/preload.ts');", 'deny'],
    ["import '../../../main/src/app-menu.ts';", 'deny'],
    ["import 'electron';", 'deny'],
    ["import 'node:path';", 'deny'],
    ["import 'fs';", 'deny'],
    ["import 'kysely';", 'deny'],
    ["import '../../../service/src/errors.ts';", 'deny'],
    ["import '../../../shared/src/api.ts';", 'allow'],
    ["import '../lib/format.ts';", 'allow'],
    ["import 'react';", 'allow'],
    ["import 'socket.io-client';", 'allow'],
  ],
  'main/src/probe.ts': [
    ["import 'electron';", 'allow'],
    ["import 'node:fs';", 'allow'],
    ["import '../../shared/src/desktop.ts';", 'allow'],
    ["import '../../service/src/errors.ts';", 'deny'],
    ["import '../../renderer/src/lib/format.ts';", 'deny'],
  ],
  'service/bench/probe.ts': [
    ["import '../src/scoring/engine.ts';", 'allow'],
    ["import 'electron';", 'deny'],
  ],
  // A feature folder: other features and infrastructure yes, test helpers and demo seeding no.
  'service/src/cases/probe.ts': [
    ["import '../db/database.ts';", 'allow'],
    ["import '../assessments/commands.ts';", 'allow'],
    ["import '../context.ts';", 'allow'],
    ["import '../../../shared/src/cases.ts';", 'allow'],
    ["import 'node:crypto';", 'allow'],
    ["import '../testing/fixtures.ts';", 'deny'],
    ["import '../demo/seed.ts';", 'deny'],
    ["import 'electron';", 'deny'],
    ["import 'electron/main';", 'deny'],
    ["import '../../../main/src/ipc.ts';", 'deny'],
    ["import '../../../renderer/src/lib/format.ts';", 'deny'],
  ],
  // Tests may use the helpers and any feature, but still never electron.
  'service/src/commands/probe.test.ts': [
    ["import '../testing/databases.ts';", 'allow'],
    ["import '../assessments/commands.ts';", 'allow'],
    ["import 'electron';", 'deny'],
  ],
  'service/src/contract/matrix-fixture.ts': [
    ["import '../testing/service.ts';", 'allow'],
    ["import 'electron';", 'deny'],
  ],
  'service/src/cli.ts': [
    ["import './demo/seed.ts';", 'allow'],
    ["import './app.ts';", 'allow'],
  ],
  // Infrastructure: only infrastructure and shared/.
  'service/src/db/probe.ts': [
    ["import './schema.ts';", 'allow'],
    ["import '../auth/secret-box.ts';", 'allow'],
    ["import '../errors.ts';", 'allow'],
    ["import '../clock.ts';", 'allow'],
    ["import '../../../shared/src/api.ts';", 'allow'],
    ["import 'kysely';", 'allow'],
    ["import '../cases/commands.ts';", 'deny'],
    ["import type { Foo } from '../users/users.ts';", 'deny'],
    ["import '../context.ts';", 'deny'],
    ["import '../app.ts';", 'deny'],
    ["import '../testing/databases.ts';", 'deny'],
    ["import '../../bench/scoring.bench.ts';", 'deny'],
    ["import 'electron';", 'deny'],
  ],
  'service/src/db/migrations/probe.ts': [
    ["import '../database.ts';", 'allow'],
    ["import '../../commands/bus.ts';", 'allow'],
    ["import '../../../../shared/src/api.ts';", 'allow'],
    ["import '../../toggles/service.ts';", 'deny'],
  ],
  'service/src/http/probe.ts': [
    ["import '../auth/principal.ts';", 'allow'],
    ["import '../metrics.ts';", 'allow'],
    ["import '../decision-engine/registry.ts';", 'deny'],
    ["import '../a-feature-added-later/commands.ts';", 'deny'],
  ],
  'service/src/clock.ts': [
    ["import './errors.ts';", 'allow'],
    ["import './db/database.ts';", 'allow'],
    ["import '../../shared/src/api.ts';", 'allow'],
    ["import './cases/commands.ts';", 'deny'],
    ["import './app.ts';", 'deny'],
  ],
  // scoring/ is pure (ARCHITECTURE.md rule 3).
  'service/src/scoring/probe.ts': [
    ["import './engine.ts';", 'allow'],
    ["import './anomaly/features.ts';", 'allow'],
    ["import '../util/prng.ts';", 'allow'],
    ["import '../../../shared/src/payments.ts';", 'allow'],
    ["import '../db/database.ts';", 'deny'],
    ["import '../decision-engine/registry.ts';", 'deny'],
    ["import '../clock.ts';", 'deny'],
  ],
  'service/src/scoring/anomaly/probe.ts': [
    ["import '../engine.ts';", 'allow'],
    ["import '../../util/prng.ts';", 'allow'],
    ["import '../../commands/bus.ts';", 'deny'],
  ],
};

interface Finding {
  file: string;
  line: number;
  rule: string;
}

function lint(dir: string): Promise<Finding[]> {
  return new Promise((resolve, reject) => {
    execFile(biome, ['lint', '--vcs-enabled=false', '--reporter=github', '--max-diagnostics=none', '.'], { cwd: dir, timeout: 60_000 }, (error, stdout) => {
      // Exit 1 is "diagnostics found", which is the point; anything else is a broken run.
      if (error && error.code !== 1) return reject(error);
      const findings: Finding[] = [];
      for (const match of stdout.matchAll(/^::error title=([^,]+),file=([^,]+),line=(\d+),/gm)) {
        findings.push({ rule: match[1]!, file: path.relative(dir, match[2]!), line: Number(match[3]) });
      }
      resolve(findings);
    });
  });
}

describe('biome import rules', () => {
  it('report exactly the forbidden imports in every part of the repository', { timeout: 90_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekeza-lint-rules-'));
    try {
      fs.copyFileSync(path.join(root, 'biome.jsonc'), path.join(dir, 'biome.jsonc'));
      fs.cpSync(path.join(root, 'scripts', 'lint'), path.join(dir, 'scripts', 'lint'), { recursive: true });
      const expected: string[] = [];
      for (const [file, lines] of Object.entries(PROBES)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), `${lines.map(([code]) => code).join('\n')}\n`);
        lines.forEach(([code, verdict], i) => {
          if (verdict === 'deny') expected.push(`${file}:${i + 1} ${code}`);
        });
      }
      const importRules = new Set(['lint/style/noRestrictedImports', 'lint/correctness/noNodejsModules', 'plugin']);
      const reported = new Set<string>();
      for (const f of await lint(dir)) {
        if (!importRules.has(f.rule)) continue;
        const code = PROBES[f.file.split(path.sep).join('/')]?.[f.line - 1]?.[0] ?? '?';
        reported.add(`${f.file.split(path.sep).join('/')}:${f.line} ${code}`);
      }
      assert.deepEqual([...reported].sort(), expected.sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
