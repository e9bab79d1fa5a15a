// Renders assets/icon.svg (and, for the tiny sizes, the simpler assets/favicon.svg) to the PNGs
// the installers need: assets/icon.png (1024, mac/win) and assets/icons/NxN.png (linux).
// Usage: node scripts/render-icons.mjs   (uses the system Chromium through playwright-core)
import { chromium } from 'playwright-core';
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const assets = path.join(root, 'assets');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const fullMark = await readFile(path.join(assets, 'icon.svg'), 'utf8');
// Thin strokes and the highlight turn to mush below ~64 px; the favicon mark is drawn bolder.
const smallMark = await readFile(path.join(assets, 'favicon.svg'), 'utf8');

const outputs = [
  { file: path.join(assets, 'icon.png'), size: 1024, svg: fullMark },
  ...[16, 32, 48].map((size) => ({ file: path.join(assets, 'icons', `${size}x${size}.png`), size, svg: smallMark })),
  ...[64, 128, 256, 512].map((size) => ({ file: path.join(assets, 'icons', `${size}x${size}.png`), size, svg: fullMark })),
];

await mkdir(path.join(assets, 'icons'), { recursive: true });
const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const { file, size, svg } of outputs) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<!doctype html><html><head><style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style></head><body>${svg}</body></html>`,
    );
    await page.screenshot({ path: file, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    console.error(`icons: ${path.relative(root, file)} (${size}x${size})`);
  }
} finally {
  await browser.close();
}
