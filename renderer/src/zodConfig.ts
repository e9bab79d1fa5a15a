// Must be the first import of main.tsx: zod's fast path compiles validators with `new Function`,
// which the service's CSP (script-src 'self', no 'unsafe-eval') forbids and reports. jitless
// keeps zod on its interpreter, before any schema is built.
import { z } from 'zod';

z.config({ jitless: true });
