import { Scope } from './scopes';

/** The caller behind a request's API key. */
export interface Principal {
  keyId: string;
  name: string;
  scopes: ReadonlySet<Scope>;
}

export const BOOTSTRAP_KEY_ID = 'bootstrap-admin';
