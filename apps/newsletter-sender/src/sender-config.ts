import { SERVICE_ID_PATTERN } from '@consent-ledger/domain';
import { parseArgs } from 'node:util';

export interface SenderConfig {
  subjects: string[];
  purpose: string;
  ledgerUrl: string;
  apiKey: string;
  brokers: string[];
  intervalMs: number;
  logLevel: string;
  /** The registered processing service it acknowledges withdrawals as (closed-loop enforcement). */
  service: string;
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/**
 * Flags win over the environment: `--subjects a,b --purpose newsletter --interval 5000 --service newsletter-sender`,
 * else SUBJECTS, PURPOSE, SEND_INTERVAL_MS, ENFORCEMENT_SERVICE; CONSENT_LEDGER_URL, CONSENT_API_KEY, KAFKA_BROKERS and LOG_LEVEL come from the environment.
 */
export function readSenderConfig(argv: string[], env: NodeJS.ProcessEnv): SenderConfig {
  const { values } = parseArgs({
    args: argv,
    options: { subjects: { type: 'string' }, purpose: { type: 'string' }, interval: { type: 'string' }, service: { type: 'string' } },
  });
  const subjects = list(values.subjects ?? env.SUBJECTS);
  if (subjects.length === 0) throw new Error('no subjects: pass --subjects a,b,c or set SUBJECTS');
  const apiKey = env.CONSENT_API_KEY;
  if (!apiKey) throw new Error('CONSENT_API_KEY must hold an API key with the consents:read and enforcements:write scopes');
  const interval = values.interval ?? env.SEND_INTERVAL_MS ?? '10000';
  const intervalMs = Number(interval);
  if (!Number.isInteger(intervalMs) || intervalMs <= 0) {
    throw new Error(`the send interval must be a positive number of milliseconds, got "${interval}"`);
  }
  const service = values.service ?? env.ENFORCEMENT_SERVICE ?? 'newsletter-sender';
  if (!SERVICE_ID_PATTERN.test(service)) throw new Error(`the service id must match ${SERVICE_ID_PATTERN.source}, got "${service}"`);
  return {
    subjects,
    purpose: values.purpose ?? env.PURPOSE ?? 'newsletter',
    ledgerUrl: env.CONSENT_LEDGER_URL ?? 'http://127.0.0.1:3000',
    apiKey,
    brokers: list(env.KAFKA_BROKERS ?? '127.0.0.1:9092'),
    intervalMs,
    logLevel: env.LOG_LEVEL ?? 'info',
    service,
  };
}
