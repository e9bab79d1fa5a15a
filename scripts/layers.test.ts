import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * DEVELOPERS.md rule 6: where a file lives says what it may import (VS Code's runtime layers).
 * shared/ and service/ never import electron; renderer/ never imports node modules or other
 * runtimes' code; main/ stays out of service/ and renderer/.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const SPECIFIER = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

interface Import {
  file: string;
  specifier: string;
  typeOnly: boolean;
  resolved: string | null;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'fixtures') out.push(...sourceFiles(rel));
    } else if (/\.(ts|tsx|mts|mjs)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

function importsOf(file: string): Import[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const found: Import[] = [];
  for (const match of text.matchAll(SPECIFIER)) {
    const specifier = match[1]!;
    const lineStart = text.lastIndexOf('\n', match.index) + 1;
    const line = text.slice(lineStart, text.indexOf('\n', match.index) === -1 ? undefined : text.indexOf('\n', match.index));
    const typeOnly = /^\s*(import|export)\s+type\b/.test(line) || /typeof import\(|:\s*import\(/.test(line) || /import\(['"][^'"]+['"]\)\.\w+/.test(line);
    const resolved = specifier.startsWith('.') ? path.relative(root, path.resolve(path.dirname(path.join(root, file)), specifier)) : null;
    found.push({ file, specifier, typeOnly, resolved });
  }
  return found;
}

const layer = (resolved: string | null) => (resolved ? resolved.split(path.sep)[0] : null);

function violations(dir: string, rule: (i: Import) => string | null): string[] {
  return sourceFiles(dir)
    .flatMap(importsOf)
    .map((i) => {
      const problem = rule(i);
      return problem ? `${i.file}: ${i.specifier} — ${problem}` : null;
    })
    .filter((v): v is string => v !== null);
}

describe('runtime layers', () => {
  it('shared/ imports only zod and itself', () => {
    assert.deepEqual(
      violations('shared', (i) => (i.resolved ? (layer(i.resolved) === 'shared' ? null : 'outside shared/') : i.specifier === 'zod' ? null : 'only zod is allowed')),
      [],
    );
  });

  it('service/ never imports electron, main/ or renderer/', () => {
    assert.deepEqual(
      violations('service', (i) => {
        if (i.specifier === 'electron' || i.specifier.startsWith('electron/')) return 'electron in the service';
        if (i.resolved && !['service', 'shared'].includes(layer(i.resolved)!)) return `reaches into ${layer(i.resolved)}/`;
        return null;
      }),
      [],
    );
  });

  it('renderer/ never imports node modules, electron or other runtimes (the preload only as a type)', () => {
    assert.deepEqual(
      violations('renderer', (i) => {
        if (i.file.startsWith(`renderer${path.sep}vite.config`)) return null; // the build config runs in node, not in the page
        if (NODE_BUILTINS.has(i.specifier)) return 'node built-in in the renderer';
        if (i.specifier === 'electron') return 'electron in the renderer';
        if (['better-sqlite3', 'pg', 'kysely', 'fastify', 'pino', 'electron-store'].includes(i.specifier)) return 'server-side package in the renderer';
        if (i.resolved && layer(i.resolved) === 'main') return i.typeOnly && i.resolved.endsWith(path.join('main', 'src', 'preload.ts')) ? null : 'main/ code in the renderer';
        if (i.resolved && !['renderer', 'shared', 'assets'].includes(layer(i.resolved)!)) return `reaches into ${layer(i.resolved)}/`;
        return null;
      }),
      [],
    );
  });

  it('main/ stays out of service/ and renderer/ code', () => {
    assert.deepEqual(
      violations('main', (i) => (i.resolved && !['main', 'shared', 'assets', 'dist'].includes(layer(i.resolved)!) ? `reaches into ${layer(i.resolved)}/` : null)),
      [],
    );
  });

  it('finds imports at all (guards against a scanner that silently matches nothing)', () => {
    const serviceImports = sourceFiles('service').flatMap(importsOf);
    assert.ok(serviceImports.some((i) => i.specifier === 'kysely'));
    assert.ok(sourceFiles('renderer').flatMap(importsOf).some((i) => i.specifier === 'react'));
    assert.ok(sourceFiles('main').flatMap(importsOf).some((i) => i.specifier === 'electron'));
  });
});
