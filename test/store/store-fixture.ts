import { EventStore, PersonalDataCipher, ledgerDataSourceOptions } from '@consent-ledger/ledger-store';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase } from '../support/test-database';

/** A migrated, empty ledger database and an EventStore over it. */
export async function openStore(): Promise<{ dataSource: DataSource; store: EventStore; url: string }> {
  const url = await createTestDatabase('store');
  const dataSource = await new DataSource(ledgerDataSourceOptions(url, 30)).initialize();
  return { dataSource, store: new EventStore(dataSource, new PersonalDataCipher(randomBytes(32))), url };
}

export const event = (type: string, data: Record<string, unknown> = {}) => ({
  eventId: crypto.randomUUID(),
  type,
  data,
  metadata: { source: { channel: 'test' } },
  occurredAt: new Date().toISOString(),
});
