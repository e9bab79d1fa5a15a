import { detectFanIn, detectFanOut, detectRapidInOut, detectStructuring } from './laundering.ts';
import {
  detectAccountTakeover,
  detectDeviceChurn,
  detectDeviceShared,
  detectHighRiskBurst,
  detectImpossibleTravel,
  detectRiskyPayment,
  detectUnusualTransaction,
  detectVelocity,
} from './payment-detectors.ts';
import type { DetectorCandidate, PaymentFacts, ThresholdMap } from './types.ts';

/** Every per-payment detector whose thresholds are in force (ENGINE_FAILURE runs on a schedule instead: engine-failure.ts). */
export function detectPayment(f: PaymentFacts, t: ThresholdMap): DetectorCandidate[] {
  return [
    ...(t.RISKY_PAYMENT ? detectRiskyPayment(f) : []),
    ...(t.HIGH_RISK_BURST ? detectHighRiskBurst(f, t.HIGH_RISK_BURST) : []),
    ...(t.UNUSUAL_TRANSACTION ? detectUnusualTransaction(f, t.UNUSUAL_TRANSACTION) : []),
    ...(t.VELOCITY ? detectVelocity(f, t.VELOCITY) : []),
    ...(t.GEO_IMPOSSIBLE_TRAVEL ? detectImpossibleTravel(f, t.GEO_IMPOSSIBLE_TRAVEL) : []),
    ...(t.DEVICE_SHARED ? detectDeviceShared(f, t.DEVICE_SHARED) : []),
    ...(t.DEVICE_CHURN ? detectDeviceChurn(f, t.DEVICE_CHURN) : []),
    ...(t.ACCOUNT_TAKEOVER ? detectAccountTakeover(f, t.ACCOUNT_TAKEOVER) : []),
    ...(t.STRUCTURING ? detectStructuring(f, t.STRUCTURING) : []),
    ...(t.FAN_IN ? detectFanIn(f, t.FAN_IN) : []),
    ...(t.FAN_OUT ? detectFanOut(f, t.FAN_OUT) : []),
    ...(t.RAPID_IN_OUT ? detectRapidInOut(f, t.RAPID_IN_OUT) : []),
  ];
}
