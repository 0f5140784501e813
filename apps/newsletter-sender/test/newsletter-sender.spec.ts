import { eventually } from '../../../libs/consent-client/test/support/eventually';
import { FakeCheckServer } from '../../../libs/consent-client/test/support/fake-check-server';
import { LedgerKafka } from '../../../libs/consent-client/test/support/ledger-kafka';
import { granted, stateRecord, withdrawn } from '../../../libs/consent-client/test/support/ledger-records';
import { NewsletterSender } from '../src/newsletter-sender';

// The consent-client's own test kit: the sender is tested against the real client and a broker, as it runs.
describe('NewsletterSender', () => {
  let kafka: LedgerKafka;
  let ledger: FakeCheckServer;

  beforeAll(async () => {
    [kafka, ledger] = await Promise.all([LedgerKafka.start(), FakeCheckServer.start()]);
  });

  afterAll(async () => {
    await Promise.all([kafka?.stop(), ledger?.stop()]);
  });

  it('sends to the allowed subjects, and drops one from the round after its withdrawal arrives', async () => {
    const topics = await kafka.createTopics();
    await kafka.publish(
      topics.state,
      granted('alice', 'newsletter', 1),
      granted('bob', 'newsletter', 2),
      stateRecord('carol', 'newsletter', { allowed: false, status: 'refused', position: 3 }),
      granted('dave', 'ads', 4),
    );
    const consents = kafka.client(topics, ledger.url);
    await consents.start();
    const lines: { bindings: object; message: string }[] = [];
    const sender = new NewsletterSender(consents, ['alice', 'bob', 'carol', 'dave'], 'newsletter', {
      info: (bindings, message) => lines.push({ bindings, message }),
    });

    expect(sender.sendRound()).toEqual({ sent: ['alice', 'bob'], skipped: ['carol', 'dave'] });
    expect(lines.map(({ bindings, message }) => [message, bindings])).toEqual([
      ['newsletter sent', { round: 1, subjectId: 'alice', purpose: 'newsletter' }],
      ['newsletter sent', { round: 1, subjectId: 'bob', purpose: 'newsletter' }],
      ['newsletter skipped: not allowed', { round: 1, subjectId: 'carol', purpose: 'newsletter' }],
      ['newsletter skipped: not allowed', { round: 1, subjectId: 'dave', purpose: 'newsletter' }],
    ]);

    await kafka.publish(topics.events, withdrawn('bob', 'newsletter', 5));
    await eventually('bob’s withdrawal reaches the cache', () => !consents.isAllowed('bob', 'newsletter'));

    expect(sender.sendRound()).toEqual({ sent: ['alice'], skipped: ['bob', 'carol', 'dave'] });
    expect(lines).toHaveLength(8);
    expect(ledger.requests).toHaveLength(0);
  });
});
