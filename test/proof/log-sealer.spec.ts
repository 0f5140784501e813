import { LogCheckpoints, LogSealer, LogTree } from '@consent-ledger/ledger-store';
import {
  MerkleAppender, formatCheckpoint, generateSeed, leafHash, openNote, parseCheckpoint, signNote, signerFromSeed,
  verifierOf, verifyConsistency, verifyInclusion,
} from '@consent-ledger/transparency-log';
import { DataSource } from 'typeorm';
import { event, openStore } from '../store/store-fixture';
import { EventStore } from '@consent-ledger/ledger-store';

const signer = signerFromSeed('consent-ledger.test/sealer', generateSeed());
const sign = (treeSize: number, rootHash: Buffer) => signNote(formatCheckpoint({ origin: signer.name, size: treeSize, rootHash }), signer);

describe('LogSealer', () => {
  let dataSource: DataSource;
  let store: EventStore;

  beforeAll(async () => {
    ({ dataSource, store } = await openStore());
  });
  afterAll(() => dataSource.destroy());

  it('gives every event committed by 20 concurrent writers exactly one dense leaf index in commit order', async () => {
    const sealers = [new LogSealer(store), new LogSealer(store)];
    let writing = true;
    const roles = { active: 0, standby: 0 };
    const sealing = sealers.map(async (sealer) => {
      while (writing) {
        const outcome = await sealer.seal(sign);
        roles[outcome.role] += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
    await Promise.all(
      Array.from({ length: 20 }, async (_, writer) => {
        for (let i = 0; i < 25; i += 1) {
          // Shared streams too, so writers also wait on each other's row locks.
          const streamId = i % 5 === 0 ? `shared-${i % 3}` : `writer-${writer}`;
          await store.withStream(streamId, undefined, (stream) => stream.append([event('Appended', { writer, i }), event('Appended', { writer, i, second: true })]));
        }
      }),
    );
    writing = false;
    await Promise.all(sealing);
    const final = await sealers[0].seal(sign);

    expect(roles.active).toBeGreaterThan(0);
    expect(final).toMatchObject({ role: 'active', treeSize: 1000 });
    const rows: { leaf_index: string; event_id: string; hash: string }[] = await dataSource.query(
      `SELECT l.leaf_index, l.event_id, e.hash FROM log_leaves l JOIN events e USING (event_id) ORDER BY l.leaf_index`,
    );
    expect(rows.map((r) => Number(r.leaf_index))).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(1000);
    const commitOrder: { event_id: string }[] = await dataSource.query('SELECT event_id FROM events ORDER BY transaction_id, global_position');
    expect(rows.map((r) => r.event_id)).toEqual(commitOrder.map((r) => r.event_id));

    // The stored tree is the tree of those leaves, and every checkpoint signed on the way is consistent with the last.
    const reference = new MerkleAppender(0, []);
    for (const row of rows) reference.append(leafHash(Buffer.from(row.hash, 'hex')));
    const query = (sql: string, params?: unknown[]) => dataSource.query(sql, params);
    const tree = new LogTree(query);
    expect((await tree.root(1000)).equals(reference.root())).toBe(true);
    const latest = await LogCheckpoints.latest(query);
    expect(parseCheckpoint(openNote(latest!.note, [verifierOf(signer)]))).toEqual({ origin: signer.name, size: 1000, rootHash: reference.root() });
    const checkpoints: { tree_size: string; root_hash: Buffer }[] = await dataSource.query('SELECT tree_size, root_hash FROM log_checkpoints ORDER BY tree_size');
    expect(checkpoints.length).toBeGreaterThan(1);
    for (const old of checkpoints) {
      const size = Number(old.tree_size);
      expect(verifyConsistency(size, 1000, old.root_hash, reference.root(), await tree.consistency(size, 1000))).toBe(true);
    }
    for (const index of [0, 1, 499, 998, 999]) {
      const proof = await tree.inclusion(index, 1000);
      expect(verifyInclusion(index, 1000, leafHash(Buffer.from(rows[index].hash, 'hex')), proof, reference.root())).toBe(true);
    }
  });

  it('signs nothing new while no event arrives', async () => {
    const sealer = new LogSealer(store);
    await sealer.seal(sign);
    expect(await sealer.seal(sign)).toMatchObject({ role: 'active', checkpoint: null });
  });
});
