import { DemoInfo } from '../demo.ts';
import { defineOperation } from './operation.ts';

export const demoOperations = {
  info: defineOperation({
    name: 'demo.info',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/demo',
    access: 'public',
    tenant: 'global',
    summary: 'Demo mode only: the demo users and their shared password, for the sign-in page. Outside demo mode it answers {"demo": false} and names no user.',
    output: DemoInfo,
  }),
} as const;
