/** Types for electron-binary.mjs (plain JS so that scripts/start.mjs can run without a build). */
export declare function findElectronBinary(): { path: string } | { path: null; reason: string };
