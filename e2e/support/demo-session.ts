import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { startService, type RunningService } from './service.ts';
import type { SignedInPage } from './ui.ts';

/** A demo service and a Chromium for one e2e suite; filled in by the suite's before hook. */
export class DemoSession {
  service!: RunningService;
  browser!: Browser;
  /** Windows opened by the suite, closed after it. */
  readonly pages: SignedInPage[] = [];
}

/** Registers the suite's hooks: Chromium first (a missing browser fails in a second, not after seeding), then the demo service. */
export function useDemoSession(): DemoSession {
  const session = new DemoSession();
  before(async () => {
    session.browser = await launchChromium();
    session.service = await startService({ demo: true });
  });
  after(async () => {
    for (const opened of session.pages) await opened.context.close().catch(() => undefined);
    await session.browser?.close().catch(() => undefined);
    await session.service?.stop();
  });
  return session;
}
