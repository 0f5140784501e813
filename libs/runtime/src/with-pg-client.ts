import { Client } from 'pg';

/** One short-lived connection for administrative statements (CREATE DATABASE cannot run in a pool's transaction). */
export async function withPgClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  // A connection lost between statements (the server stopping) is also emitted as 'error', which
  // would crash the process unhandled; the pending or next statement rejects with it anyway.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
