import { Client } from 'pg';

/** One short-lived connection for administrative statements (CREATE DATABASE cannot run in a pool's transaction). */
export async function withPgClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
