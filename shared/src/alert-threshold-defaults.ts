import type { AlertPattern, PatternThresholds } from './alerts.ts';

/**
 * The product's detector thresholds, used when neither the tenant nor the bank ('*') stored its
 * own (issue 15). Shared so the thresholds screen can show what "default" means.
 *
 * STRUCTURING: Kenya's reporting threshold for cash transactions is USD 15,000 (Proceeds of Crime
 * and Anti-Money Laundering Regulations), about KES 1,000,000; payments within 10 % below it are
 * "just below". GEO_IMPOSSIBLE_TRAVEL: a commercial flight covers roughly 900 km/h. UNUSUAL
 * TRANSACTION: the anomaly score is the isolation forest's 0..1 score, given here in percent.
 */
export const DEFAULT_PATTERN_THRESHOLDS: { [P in AlertPattern]: Extract<PatternThresholds, { pattern: P }> } = {
  HIGH_RISK_BURST: { pattern: 'HIGH_RISK_BURST', windowMinutes: 60, minCount: 3, groupBy: ['CUSTOMER', 'ACCOUNT'], severity: 'HIGH' },
  ENGINE_FAILURE: { pattern: 'ENGINE_FAILURE', windowMinutes: 15, minCalls: 20, maxErrorRate: 0.2, severity: 'CRITICAL' },
  UNUSUAL_TRANSACTION: { pattern: 'UNUSUAL_TRANSACTION', minAnomalyScore: 75, severity: 'MEDIUM' },
  VELOCITY: { pattern: 'VELOCITY', windowMinutes: 60, maxCount: 10, maxValueKes: 2_000_000, severity: 'MEDIUM' },
  GEO_IMPOSSIBLE_TRAVEL: { pattern: 'GEO_IMPOSSIBLE_TRAVEL', maxSpeedKmh: 900, minDistanceKm: 500, lookbackHours: 24, severity: 'HIGH' },
  DEVICE_SHARED: { pattern: 'DEVICE_SHARED', windowHours: 24, minCustomers: 4, severity: 'HIGH' },
  DEVICE_CHURN: { pattern: 'DEVICE_CHURN', windowHours: 24, minNewDevices: 3, severity: 'MEDIUM' },
  ACCOUNT_TAKEOVER: { pattern: 'ACCOUNT_TAKEOVER', windowHours: 48, minTransferKes: 100_000, severity: 'CRITICAL' },
  STRUCTURING: { pattern: 'STRUCTURING', reportingThresholdKes: 1_000_000, bandPercent: 10, windowHours: 72, minCount: 3, severity: 'HIGH' },
  FAN_IN: { pattern: 'FAN_IN', windowHours: 24, minPayers: 10, severity: 'HIGH' },
  FAN_OUT: { pattern: 'FAN_OUT', windowHours: 24, minPayees: 10, severity: 'HIGH' },
  RAPID_IN_OUT: { pattern: 'RAPID_IN_OUT', windowMinutes: 120, minInKes: 200_000, minOutShare: 0.8, severity: 'HIGH' },
  RISKY_PAYMENT: { pattern: 'RISKY_PAYMENT' },
};
