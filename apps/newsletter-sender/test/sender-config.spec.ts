import { readSenderConfig } from '../src/sender-config';

describe('readSenderConfig', () => {
  const env = { CONSENT_API_KEY: 'key', SUBJECTS: 'alice, bob,,carol' };

  it('reads the environment, with defaults', () => {
    expect(readSenderConfig([], env)).toEqual({
      subjects: ['alice', 'bob', 'carol'],
      purpose: 'newsletter',
      ledgerUrl: 'http://127.0.0.1:3000',
      apiKey: 'key',
      brokers: ['127.0.0.1:9092'],
      intervalMs: 10000,
      logLevel: 'info',
      service: 'newsletter-sender',
    });
  });

  it('lets flags override the environment', () => {
    const config = readSenderConfig(['--subjects', 'dave,erin', '--purpose', 'offers', '--interval', '250', '--service', 'offers-mailer'], {
      ...env,
      KAFKA_BROKERS: 'k1:9092,k2:9092',
      PURPOSE: 'newsletter',
    });

    expect(config).toEqual(
      expect.objectContaining({ subjects: ['dave', 'erin'], purpose: 'offers', intervalMs: 250, brokers: ['k1:9092', 'k2:9092'], service: 'offers-mailer' }),
    );
  });

  it.each([
    ['no subjects', [], { CONSENT_API_KEY: 'key' }, /no subjects/],
    ['no API key', [], { SUBJECTS: 'alice' }, /CONSENT_API_KEY/],
    ['a bad interval', ['--interval', 'soon'], env, /positive number/],
    ['a bad service id', [], { ...env, ENFORCEMENT_SERVICE: 'Newsletter Sender' }, /service id/],
  ])('refuses to start with %s', (_case, argv, environment, message) => {
    expect(() => readSenderConfig(argv as string[], environment)).toThrow(message);
  });
});
