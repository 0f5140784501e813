import { APPEND_CHANNEL, EventStore } from '@consent-ledger/ledger-store';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { event, openStore } from './store-fixture';

/** Feed readers (the relay) LISTEN for appends; the store notifies once an append has committed. */
describe('EventStore notifications', () => {
  let dataSource: DataSource;
  let store: EventStore;
  let listener: Client;
  let notifications: number;

  beforeAll(async () => {
    let url: string;
    ({ dataSource, store, url } = await openStore());
    listener = new Client({ connectionString: url });
    await listener.connect();
    listener.on('notification', (message) => {
      if (message.channel === APPEND_CHANNEL) notifications++;
    });
    await listener.query(`LISTEN ${APPEND_CHANNEL}`);
  });
  afterAll(async () => {
    await listener.end();
    await dataSource.destroy();
  });
  beforeEach(() => {
    notifications = 0;
  });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

  it('notifies after a committed append', async () => {
    await store.withStream('s-notified', undefined, (stream) => stream.append([event('Appended')]));
    await settle();
    expect(notifications).toBeGreaterThanOrEqual(1);
  });

  it('does not notify for a rolled-back append', async () => {
    await expect(store.withStream('s-rolled-back', undefined, async (stream) => {
      await stream.append([event('Appended')]);
      throw new Error('decided against it');
    })).rejects.toThrow('decided against it');
    await settle();
    expect(notifications).toBe(0);
  });

  it('coalesces a burst of concurrent appends and still notifies after the last commit', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) =>
      store.withStream(`s-burst-${i}`, undefined, (stream) => stream.append([event('Appended')]))));
    const beforeLastCommitWasNotified = notifications;
    await settle();
    // A NOTIFY follows every commit, the burst's last one included, so a reader woken by it sees every event.
    expect(notifications).toBeGreaterThan(beforeLastCommitWasNotified);
    expect(notifications).toBeLessThanOrEqual(20);
  });
});
