import { startBankEngineSimulator } from '../bank-engine/simulator.ts';
import { DEMO_ENGINE_API_KEY, DEMO_ENGINE_PORT } from './decision-engine.ts';

/**
 * Starts the bank fraud-engine simulator the demo configurations call, with a realistic latency
 * and a small error rate so that retries show in the demo. If the port is taken (another demo
 * service on this machine already runs one), that one serves both.
 */
export async function startDemoBankEngine(): Promise<{ close(): Promise<void> } | null> {
  try {
    const simulator = await startBankEngineSimulator({
      port: DEMO_ENGINE_PORT,
      latencyMs: 35,
      jitterMs: 25,
      errorRate: 0.01,
      auth: { kind: 'API_KEY', headerName: 'X-Api-Key', apiKey: DEMO_ENGINE_API_KEY },
    });
    process.stderr.write(`demo bank fraud engine (simulator) at ${simulator.scoreUrl}\n`);
    return simulator;
  } catch (error) {
    process.stderr.write(
      `demo bank fraud engine not started (${error instanceof Error ? error.message : String(error)}); the SWIFT and RTGS configurations will use their fallback\n`,
    );
    return null;
  }
}
