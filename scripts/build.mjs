// Builds every runtime into dist/: service (ESM, node), main + preload (CJS, electron), renderer (vite).
// Usage: node scripts/build.mjs [service|main|renderer ...]   (no argument = all)
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wanted = new Set(process.argv.slice(2));
// WEKEZA_BUILD_OUT builds into another folder (parallel work, screenshots) instead of dist/.
const out = process.env.WEKEZA_BUILD_OUT ? path.resolve(process.env.WEKEZA_BUILD_OUT) : path.join(root, 'dist');
const want = (part) => wanted.size === 0 || wanted.has(part);
const started = Date.now();

if (want('service')) {
  await build({
    entryPoints: [path.join(root, 'service/src/cli.ts')],
    outfile: path.join(out, 'service/index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    // Native and large packages stay in node_modules; the bundle holds only our code.
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
}

if (want('main')) {
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
    sourcemap: true,
    logLevel: 'warning',
  };
  await build({ ...common, entryPoints: [path.join(root, 'main/src/main.ts')], outfile: path.join(out, 'main/main.cjs') });
  // A sandboxed preload may only require('electron'): everything else must be bundled in.
  await build({ ...common, entryPoints: [path.join(root, 'main/src/preload.ts')], outfile: path.join(out, 'main/preload.cjs') });
}

if (want('renderer')) {
  await viteBuild({
    configFile: path.join(root, 'renderer/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: path.join(out, 'renderer'), emptyOutDir: true },
  });
}

console.error(`build: ${[...(wanted.size ? wanted : ['service', 'main', 'renderer'])].join(', ')} in ${Date.now() - started} ms`);
