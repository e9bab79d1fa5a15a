import { Registry, Counter, Histogram, Gauge, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics, one registry per service instance (tests run several in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'wekeza_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'wekeza_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    commands: new Counter({
      name: 'wekeza_commands_total',
      help: 'Commands executed, by name and outcome',
      labelNames: ['command', 'outcome'] as const,
      registers: [registry],
    }),
    assessments: new Counter({
      name: 'wekeza_assessments_total',
      help: 'Payments assessed, by risk level and decision',
      labelNames: ['risk_level', 'decision'] as const,
      registers: [registry],
    }),
    bankEngineCalls: new Counter({
      name: 'wekeza_bank_engine_calls_total',
      help: "Calls to the bank's fraud engine, by outcome",
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    socketConnections: new Gauge({
      name: 'wekeza_socket_connections',
      help: 'Connected socket.io clients',
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
