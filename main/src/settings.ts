// Persistent desktop settings (electron-store, in the user data folder). Two files on purpose:
//  - preferences.json: window placement and theme. Losing it is harmless, so a corrupt file is
//    cleared instead of blocking start-up.
//  - keystore.json: the wrapped master key. Never cleared automatically (a lost key makes the
//    service's encrypted secrets unreadable) and written owner-only.
// Values are validated with zod on every read, because the files can be edited by hand.
import Store from 'electron-store';
import { z } from 'zod';
import { DeploymentChoice, ThemePreference } from '../../shared/src/desktop.ts';
import { parseDeployment } from './deployment.ts';
import type { MasterKeyRecord } from './master-key.ts';
import type { SavedWindowState } from './window-bounds.ts';

const WindowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean(),
});

type StoreShape = Record<string, unknown>;

export interface Preferences {
  theme(): ThemePreference;
  setTheme(theme: ThemePreference): void;
  windowState(): SavedWindowState | undefined;
  setWindowState(state: SavedWindowState): void;
}

export function openPreferences(): Preferences {
  const store = new Store<StoreShape>({ name: 'preferences', clearInvalidConfig: true, accessPropertiesByDotNotation: false });
  return {
    theme() {
      const parsed = ThemePreference.safeParse(store.get('theme'));
      return parsed.success ? parsed.data : 'system';
    },
    setTheme(theme) {
      store.set('theme', theme);
    },
    windowState() {
      const parsed = WindowStateSchema.safeParse(store.get('window'));
      return parsed.success ? parsed.data : undefined;
    },
    setWindowState(state) {
      store.set('window', WindowStateSchema.parse(state));
    },
  };
}

export interface DeploymentStore {
  deployment(): DeploymentChoice | null;
  setDeployment(choice: DeploymentChoice): void;
}

/**
 * deployment.json: how this computer runs the service (issue 12). Its own file so that clearing
 * window preferences never forgets it; an unreadable file means "ask again" (first-run screen).
 */
export function openDeploymentStore(): DeploymentStore {
  const store = new Store<StoreShape>({ name: 'deployment', clearInvalidConfig: true, accessPropertiesByDotNotation: false });
  return {
    deployment: () => parseDeployment(store.get('deployment')),
    setDeployment: (choice) => store.set('deployment', DeploymentChoice.parse(choice)),
  };
}

export interface KeyStore {
  /** The raw stored record (validated by the caller), or undefined if none was ever written. */
  load(): unknown;
  save(record: MasterKeyRecord): void;
}

/** Throws if keystore.json exists but cannot be read; the caller reports that to the user. */
export function openKeyStore(): KeyStore {
  const store = new Store<StoreShape>({
    name: 'keystore',
    clearInvalidConfig: false,
    configFileMode: 0o600,
    accessPropertiesByDotNotation: false,
  });
  return {
    load: () => store.get('masterKey'),
    save: (record) => store.set('masterKey', record),
  };
}
