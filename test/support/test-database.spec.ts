import { Client } from 'pg';
import { withPgClient } from '../../libs/runtime/src';
import { createTestDatabase, dropTestDatabase } from './test-database';

async function query<R extends object>(url: string, sql: string): Promise<R[]> {
  return withPgClient(url, async (client) => (await client.query<R>(sql)).rows);
}

describe('createTestDatabase', () => {
  it('gives each caller its own database', async () => {
    const [first, second] = await Promise.all([createTestDatabase('isolation'), createTestDatabase('isolation')]);
    try {
      expect(first).not.toBe(second);
      await query(first, "CREATE TABLE marker (owner text); INSERT INTO marker VALUES ('first')");

      expect(await query(first, 'SELECT owner FROM marker')).toEqual([{ owner: 'first' }]);
      expect(await query(second, "SELECT to_regclass('marker') AS marker")).toEqual([{ marker: null }]);
      const [[a], [b]] = await Promise.all(
        [first, second].map((url) => query<{ name: string }>(url, 'SELECT current_database() AS name')),
      );
      expect(a?.name).toMatch(/^isolation_/);
      expect(a?.name).not.toBe(b?.name);
    } finally {
      await Promise.all([dropTestDatabase(first), dropTestDatabase(second)]);
    }
  });

  it('drops a database even while a client is still connected', async () => {
    const url = await createTestDatabase('dropped');
    const leftOpen = new Client({ connectionString: url });
    await leftOpen.connect();
    leftOpen.on('error', () => undefined); // the forced drop terminates this session

    await dropTestDatabase(url);

    await expect(query(url, 'SELECT 1')).rejects.toThrow(/does not exist/);
    await leftOpen.end().catch(() => undefined);
  });
});
