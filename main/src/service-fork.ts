// Starts the service in an Electron utility process: a Node.js child managed by Chromium's
// service layer, so it needs neither ELECTRON_RUN_AS_NODE (disabled by the fuses) nor a
// separate Node.js installation.
import { utilityProcess } from 'electron';
import type { ForkService } from './service-process.ts';

export const forkUtilityProcess: ForkService = (modulePath, args, env) => {
  const child = utilityProcess.fork(modulePath, args, { stdio: 'pipe', serviceName: 'Wekeza service', env });
  child.on('error', (type, location) => {
    // A V8 fatal error; the 'exit' that follows is what service-process.ts acts on.
    console.error(`[main] service process fatal error: ${type} at ${location}`);
  });
  return child;
};
