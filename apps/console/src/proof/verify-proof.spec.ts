import { webcrypto } from 'node:crypto';
import { ProofFixture, buildProofFixture, merkleRoot, tlogProofText } from '../../../../test/console/proof-fixture';
import { parseVerifierKey, verifySignedNote } from './signed-note';
import { ProofDocument, verifyProof } from './verify-proof';

const subtle = webcrypto.subtle as unknown as SubtleCrypto;
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));
const failed = (verdict: { checks: { kind: string; ok: boolean }[] }) => verdict.checks.filter((c) => !c.ok).map((c) => c.kind);

describe('signed notes (c2sp.org/signed-note), against the Go reference vector', () => {
  const vkey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
  const text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
  const note = `${text}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

  it('verifies the reference note and returns its text', async () => {
    const key = await parseVerifierKey(subtle, vkey);
    expect((await verifySignedNote(subtle, note, key)).text).toBe(text);
  });

  it('rejects the note once its text changes', async () => {
    const key = await parseVerifierKey(subtle, vkey);
    await expect(verifySignedNote(subtle, note.replace('cryptography', 'Cryptography'), key)).rejects.toThrow('does not verify');
  });

  it('rejects a note signed only by an unknown key, and a verifier key whose id does not match', async () => {
    const enoch = await parseVerifierKey(subtle, 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop');
    await expect(verifySignedNote(subtle, note, enoch)).rejects.toThrow('no signature by EnochRoot');
    await expect(parseVerifierKey(subtle, 'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).rejects.toThrow('does not match');
  });
});

describe('verifyProof', () => {
  let fixture: ProofFixture;
  beforeAll(() => {
    fixture = buildProofFixture();
  });

  const verify = (proof: unknown, key = fixture.verifierKey) => verifyProof(proof, key, subtle);

  it('verifies a proof built with the ledger hash, an RFC 9162 tree and an Ed25519 checkpoint, listing what it checked', async () => {
    const verdict = await verify(fixture.proof);
    expect(failed(verdict)).toEqual([]);
    expect(verdict.verified).toBe(true);
    const kinds = verdict.checks.map((c) => `${c.kind}:${c.target ?? ''}`);
    const [published, granted, withdrawn] = fixture.proof.events.map((e) => e.eventId);
    const perEvent = (id: string) => [`event-stream:${id}`, `event-hash:${id}`, `chain-link:${id}`, `inclusion:${id}`];
    expect(kinds).toEqual([
      'document:', 'verifier-key:', 'checkpoint-signature:', ...perEvent(published), ...perEvent(granted), ...perEvent(withdrawn),
      `purpose-text:${published}`,
    ]);
    expect(verdict.checks.filter((c) => c.kind === 'inclusion').map((c) => c.detail)).toEqual([
      'leaf 1 of 7, 3 hash(es) to the signed root', 'leaf 3 of 7, 3 hash(es) to the signed root', 'leaf 5 of 7, 3 hash(es) to the signed root',
    ]);
  });

  it('verifies a leaf at every position of trees of every size up to 9', async () => {
    for (let size = 1; size <= 9; size += 1) {
      for (let index = 0; index < size; index += 1) {
        const proof = clone(fixture.proof);
        const leaves = Array.from({ length: size }, (_, i) => (i === index ? Buffer.from(proof.events[0].hash, 'hex') : Buffer.alloc(32, i + 1)));
        proof.checkpoint = fixture.signNote(`consent-ledger.test/fixture\n${size}\n${merkleRoot(leaves).toString('base64')}\n`);
        proof.events = [proof.events[0]];
        proof.inclusion = [{ eventId: proof.events[0].eventId, leafIndex: index, tlogProof: tlogProofText(index, leaves, proof.checkpoint) }];
        expect({ size, index, failed: failed(await verify(proof)) }).toEqual({ size, index, failed: [] });
      }
    }
  });

  type Tamper = [string, (proof: ProofDocument) => void, string[]];
  const tampers: Tamper[] = [
    ['an event field edited (purpose version)', (p) => { (p.events[1].data as { purposeVersion: number }).purposeVersion = 2; }, ['event-hash']],
    ['an occurredAt moved', (p) => { p.events[2].occurredAt = '2026-02-01T00:00:00.000Z'; }, ['event-hash']],
    ['the personal digest replaced', (p) => { p.events[1].personalDigest = 'f'.repeat(64); }, ['event-hash']],
    ['a stated hash replaced', (p) => { p.events[2].hash = 'a'.repeat(64); }, ['event-hash', 'inclusion']],
    ['a chain link cut', (p) => { p.events[2].prevHash = 'b'.repeat(64); }, ['event-hash', 'chain-link']],
    ['an event of another subject', (p) => { (p.events[1].data as { subjectId: string }).subjectId = 'someone-else'; }, ['event-stream', 'event-hash']],
    ['an event moved to another stream', (p) => { p.events[1].streamId = 'subject:someone-else'; }, ['event-stream', 'event-hash']],
    ['the stated purpose text not the one logged', (p) => { p.purposeVersion.description = 'Offres, nouveautés et partenaires'; }, ['purpose-text']],
    ['the logged purpose text edited', (p) => { (p.events[0].data as { description: string }).description = 'Autre chose'; }, ['event-hash', 'purpose-text']],
    ['the checkpoint tree size edited', (p) => { p.checkpoint = p.checkpoint.replace(/\n(\d+)\n/, (_, n) => `\n${Number(n) + 1}\n`); }, ['checkpoint-signature']],
    ['an inclusion path hash replaced', (p) => {
      p.inclusion[1].tlogProof = p.inclusion[1].tlogProof.replace(/index 3\n[^\n]+/, `index 3\n${Buffer.alloc(32, 7).toString('base64')}`);
    }, ['inclusion']],
    ['a leaf index that does not match its tlog-proof', (p) => { p.inclusion[2].leafIndex = 4; }, ['inclusion']],
    ['an inclusion proof missing', (p) => { p.inclusion.pop(); }, ['inclusion']],
    ['a tlog-proof whose index is moved with its leafIndex', (p) => {
      p.inclusion[1].leafIndex = 2;
      p.inclusion[1].tlogProof = p.inclusion[1].tlogProof.replace('index 3', 'index 2');
    }, ['inclusion']],
    ['an event without the fields its hash needs', (p) => { delete (p.events[0] as Partial<ProofDocument['events'][0]>).metadata; }, ['document']],
  ];

  it.each(tampers)('fails when %s', async (_, tamper, expectedFailures) => {
    const proof = clone(fixture.proof);
    tamper(proof);
    const verdict = await verify(proof);
    expect(verdict.verified).toBe(false);
    expect(failed(verdict)).toEqual(expectedFailures);
  });

  it('fails when the checkpoint is signed by another key under the log\'s name', async () => {
    const proof = clone(fixture.proof);
    const text = proof.checkpoint.slice(0, proof.checkpoint.lastIndexOf('\n\n') + 1);
    proof.checkpoint = fixture.signNoteWithOtherKey(text);
    const verdict = await verify(proof);
    expect(failed(verdict)).toEqual(['checkpoint-signature']);
    expect(verdict.checks.find((c) => !c.ok)!.detail).toMatch(/no signature by consent-ledger\.test\/fixture\+/);
  });

  it('fails when the tree and checkpoint are rebuilt around a rewritten event but signed by another key', async () => {
    const proof = clone(fixture.proof);
    const leaves = fixture.leaves.map((leaf) => Buffer.from(leaf));
    proof.events[1].hash = proof.events[1].hash.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    leaves[3] = Buffer.from(proof.events[1].hash, 'hex');
    proof.checkpoint = fixture.signNoteWithOtherKey(`consent-ledger.test/fixture\n7\n${merkleRoot(leaves).toString('base64')}\n`);
    proof.inclusion[1].tlogProof = tlogProofText(3, leaves, proof.checkpoint);
    const verdict = await verify(proof);
    expect(verdict.verified).toBe(false);
    expect(failed(verdict)).toEqual(expect.arrayContaining(['checkpoint-signature', 'event-hash', 'inclusion']));
  });

  it('fails on a verifier key that is not Ed25519 or not a key at all, and on a document that is not a proof', async () => {
    expect(failed(await verify(fixture.proof, 'consent-ledger.test/fixture+00000000+AgAA'))).toEqual(['verifier-key']);
    expect(failed(await verify(fixture.proof, 'garbage'))).toEqual(['verifier-key']);
    expect(failed(await verify({ hello: 'world' }))).toEqual(['document']);
    expect((await verify(null)).verified).toBe(false);
  });
});
