import type { Pool } from 'pg';
import { StateLookup } from '../src/subjects/state-lookup';

/** A pool whose queries answer only when the test says so, recording what was asked. */
function heldPool() {
  const queries: { values: string[][]; answer(): void; fail(error: Error): void }[] = [];
  const pool = {
    query: ({ values }: { values: string[][] }) => new Promise((resolve, reject) => {
      queries.push({
        values,
        // Rows in reverse order: the lookup must map them by ordinality, not by position.
        answer: () => resolve({ rows: values[0].map((subjectId, i) => ({ i: String(i + 1), status: 'granted', subject: subjectId })).reverse() }),
        fail: reject,
      });
    }),
  } as unknown as Pool;
  return { pool, queries };
}

/** Lets the settled query's bookkeeping (its `finally`) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('StateLookup', () => {
  it('sends lookups at once while few queries are out, then coalesces the rest into one query', async () => {
    const { pool, queries } = heldPool();
    const lookup = new StateLookup(() => pool);
    const found = Array.from({ length: 10 }, (_, i) => lookup.find(`s${i}`, 'newsletter'));

    expect(queries.map((q) => q.values[0])).toEqual([['s0'], ['s1'], ['s2'], ['s3']]);
    queries[0].answer();
    await settle();
    expect(queries).toHaveLength(5);
    expect(queries[4].values).toEqual([
      ['s4', 's5', 's6', 's7', 's8', 's9'],
      Array(6).fill('newsletter'),
      ['subject:s4', 'subject:s5', 'subject:s6', 'subject:s7', 'subject:s8', 'subject:s9'],
    ]);
    queries.slice(1).forEach((q) => q.answer());
    const rows = (await Promise.all(found)) as unknown as { subject: string }[];
    expect(rows.map((row) => row.subject)).toEqual(Array.from({ length: 10 }, (_, i) => `s${i}`));
  });

  it('fails every lookup of a failed query, and only those', async () => {
    const { pool, queries } = heldPool();
    const lookup = new StateLookup(() => pool);
    const found = Array.from({ length: 6 }, (_, i) => lookup.find(`s${i}`, 'newsletter'));
    const failed = expect(found[0]).rejects.toThrow('connection terminated');
    queries[0].fail(new Error('connection terminated'));
    await settle();
    expect(queries[4].values[0]).toEqual(['s4', 's5']);
    queries[4].answer();
    queries.slice(1, 4).forEach((q) => q.answer());
    await failed;
    expect(((await Promise.all(found.slice(1))) as unknown as { subject: string }[]).map((row) => row.subject))
      .toEqual(['s1', 's2', 's3', 's4', 's5']);
  });
});
