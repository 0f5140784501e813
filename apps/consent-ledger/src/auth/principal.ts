import { Scope } from './scopes';

/** The caller behind a request's API key. */
export interface Principal {
  keyId: string;
  name: string;
  scopes: ReadonlySet<Scope>;
  /** The processing service a bound key acknowledges enforcement for (and for no other). */
  service?: string;
}

export const BOOTSTRAP_KEY_ID = 'bootstrap-admin';
