/** Integration inbox types that are operational incidents (the incident endpoint and seed 000's operational events). */
export const INCIDENT_TYPES = ['operational.incident', 'SystemOutage', 'ProcessException', 'FraudDetected'] as const;
