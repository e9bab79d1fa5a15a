// Pure description of how the service's master key is protected on this machine (no electron
// import, unit-tested); shown in Help → About and logged at start-up.
import type { MasterKeyResolution } from './master-key.ts';

/** Electron's safeStorage.getSelectedStorageBackend() values (Linux only). */
export type LinuxSecretBackend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

export interface SecretProtection {
  /** One line for the About box. */
  label: string;
  /** True when the key is not protected by an OS secret store; the user/admin should know. */
  weak: boolean;
}

export const BASIC_TEXT_WARNING =
  'No OS keyring is available (safeStorage backend "basic_text"): the master key that encrypts stored secrets ' +
  'is protected only by a fixed key built into the application on this machine. Use a desktop session with ' +
  'GNOME Keyring/libsecret or KDE Wallet to protect it properly.';

export function describeSecretProtection(platform: string, resolution: MasterKeyResolution, linuxBackend: LinuxSecretBackend | undefined): SecretProtection {
  if (resolution.kind === 'environment') {
    return { label: 'Provided by the WEKEZA_MASTER_KEY environment variable (managed by your administrator)', weak: false };
  }
  if (resolution.kind === 'service-file') {
    return { label: `Key file in the data folder, not protected by an OS secret store (${resolution.reason})`, weak: true };
  }
  switch (platform) {
    case 'darwin':
      return { label: 'macOS Keychain', weak: false };
    case 'win32':
      return { label: 'Windows DPAPI (bound to your Windows account)', weak: false };
    case 'linux':
      switch (linuxBackend) {
        case 'gnome_libsecret':
          return { label: 'Secret Service keyring (libsecret)', weak: false };
        case 'kwallet':
        case 'kwallet5':
        case 'kwallet6':
          return { label: `KDE Wallet (${linuxBackend})`, weak: false };
        case 'basic_text':
          return { label: 'basic_text: no OS keyring, protected only by a fixed key on this machine', weak: true };
        default:
          return { label: `Linux secret store (backend ${linuxBackend ?? 'unknown'})`, weak: false };
      }
    default:
      return { label: `OS secret storage (${platform})`, weak: false };
  }
}
