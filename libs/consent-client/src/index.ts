export { ConsentClient } from './consent-client';
export type { CheckOptions } from './consent-client';
export type { ConsentClientOptions } from './consent-client-options';
export { EVENTS_TOPIC, STATE_TOPIC } from './consent-client-options';
export type { ConsentChange, ConsentChangeListener } from './consent-change';
export type { ConsentClientLogger } from './client-logger';
export type { ConsentStatus, LegalBasis } from './consent-status';
export { ConsentCheckError } from './http-check';
export type { EnforcementAcknowledgerOptions } from './enforcement-acknowledger';
