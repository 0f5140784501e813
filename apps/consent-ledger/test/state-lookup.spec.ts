import { PairState } from '@consent-ledger/ledger-store';
import { Pair, StateLookup } from '../src/subjects/state-lookup';

/** A read that answers only when the test says so, recording what was asked. */
function heldRead() {
  const reads: { pairs: Pair[]; answer(): void; fail(error: Error): void }[] = [];
  const read = (pairs: Pair[]) => new Promise<PairState[]>((resolve, reject) => {
    reads.push({
      pairs,
      answer: () => resolve(pairs.map((p) => ({ ...p, record: undefined, position: null, erasedAt: null }))),
      fail: reject,
    });
  });
  return { read, reads };
}

/** Lets the settled query's bookkeeping (its `finally`) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('StateLookup', () => {
  it('sends lookups at once while few queries are out, then coalesces the rest into one query', async () => {
    const { read, reads } = heldRead();
    const lookup = new StateLookup(read);
    const found = Array.from({ length: 10 }, (_, i) => lookup.find(`s${i}`, 'newsletter'));

    expect(reads.map((q) => q.pairs.map((p) => p.subjectId))).toEqual([['s0'], ['s1'], ['s2'], ['s3']]);
    reads[0].answer();
    await settle();
    expect(reads).toHaveLength(5);
    expect(reads[4].pairs).toEqual(['s4', 's5', 's6', 's7', 's8', 's9'].map((subjectId) => ({ subjectId, purposeId: 'newsletter' })));
    reads.slice(1).forEach((q) => q.answer());
    const answers = await Promise.all(found);
    expect(answers.map((answer) => answer.subjectId)).toEqual(Array.from({ length: 10 }, (_, i) => `s${i}`));
  });

  it('fails every lookup of a failed query, and only those', async () => {
    const { read, reads } = heldRead();
    const lookup = new StateLookup(read);
    const found = Array.from({ length: 6 }, (_, i) => lookup.find(`s${i}`, 'newsletter'));
    const failed = expect(found[0]).rejects.toThrow('connection terminated');
    reads[0].fail(new Error('connection terminated'));
    await settle();
    expect(reads[4].pairs.map((p) => p.subjectId)).toEqual(['s4', 's5']);
    reads[4].answer();
    reads.slice(1, 4).forEach((q) => q.answer());
    await failed;
    expect((await Promise.all(found.slice(1))).map((answer) => answer.subjectId)).toEqual(['s1', 's2', 's3', 's4', 's5']);
  });
});
