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

/** Lets the scheduled send, or a settled query's bookkeeping (its `finally`), run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));
const ids = (pairs: Pair[]) => pairs.map((p) => p.subjectId);

describe('StateLookup', () => {
  it('sends the lookups of one turn of the event loop as one query', async () => {
    const { read, reads } = heldRead();
    const lookup = new StateLookup(read);
    const found = Array.from({ length: 3 }, (_, i) => lookup.find(`s${i}`, 'newsletter'));
    expect(reads).toHaveLength(0);
    await settle();
    expect(reads.map((q) => ids(q.pairs))).toEqual([['s0', 's1', 's2']]);
    reads[0].answer();
    expect((await Promise.all(found)).map((answer) => answer.subjectId)).toEqual(['s0', 's1', 's2']);
  });

  it('keeps at most 4 queries out; the lookups that wait go together when one comes back', async () => {
    const { read, reads } = heldRead();
    const lookup = new StateLookup(read);
    const found: Promise<PairState>[] = [];
    for (let turn = 0; turn < 6; turn++) {
      found.push(lookup.find(`s${turn}`, 'newsletter'));
      await settle();
    }
    expect(reads.map((q) => ids(q.pairs))).toEqual([['s0'], ['s1'], ['s2'], ['s3']]);
    reads[0].answer();
    await settle();
    expect(reads.map((q) => ids(q.pairs))).toEqual([['s0'], ['s1'], ['s2'], ['s3'], ['s4', 's5']]);
    reads.slice(1).forEach((q) => q.answer());
    expect((await Promise.all(found)).map((answer) => answer.subjectId)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5']);
  });

  it('fails every lookup of a failed query, and only those', async () => {
    const { read, reads } = heldRead();
    const lookup = new StateLookup(read);
    const first = [lookup.find('s0', 'newsletter'), lookup.find('s1', 'newsletter')];
    await settle();
    const second = lookup.find('s2', 'newsletter');
    await settle();
    const failed = expect(Promise.all(first)).rejects.toThrow('connection terminated');
    reads[0].fail(new Error('connection terminated'));
    reads[1].answer();
    await failed;
    expect((await second).subjectId).toBe('s2');
  });
});
