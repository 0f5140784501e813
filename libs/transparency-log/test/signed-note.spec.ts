import { createHash, createPublicKey, verify } from 'node:crypto';
import {
  formatCheckpoint, formatSignerKey, formatTlogProof, formatVerifierKey, generateSeed, openNote, parseCheckpoint,
  parseSignerKey, parseTlogProof, parseVerifierKey, signNote, signerFromSeed,
} from '@consent-ledger/transparency-log';

/** A verifier written from c2sp.org/signed-note alone, sharing no code with the library. */
function specVerify(note: string, vkey: string): string {
  const [name, hexId, rest] = [vkey.split('+')[0], vkey.split('+')[1], vkey.split('+').slice(2).join('+')];
  const keyBytes = Buffer.from(rest, 'base64');
  if (keyBytes[0] !== 1) throw new Error('not ed25519');
  const id = createHash('sha256').update(Buffer.concat([Buffer.from(name), Buffer.from([0x0a, 0x01]), keyBytes.subarray(1)])).digest().subarray(0, 4);
  if (id.toString('hex') !== hexId) throw new Error('key id');
  const at = note.lastIndexOf('\n\n');
  const text = note.slice(0, at + 1);
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: keyBytes.subarray(1).toString('base64url') }, format: 'jwk' });
  let ok = false;
  for (const line of note.slice(at + 2).split('\n').filter(Boolean)) {
    const [dash, who, b64] = line.split(' ');
    if (dash !== '\u2014') throw new Error('signature line');
    const raw = Buffer.from(b64, 'base64');
    if (who !== name || !raw.subarray(0, 4).equals(id)) continue;
    if (!verify(null, Buffer.from(text), key, raw.subarray(4))) throw new Error('bad signature');
    ok = true;
  }
  if (!ok) throw new Error('unsigned');
  return text;
}

const GO = {
  vkey: 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
  skey: 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz',
  text: "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n",
  signature: '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n',
};

describe('C2SP signed note', () => {
  it("reproduces Go's sumdb/note example byte for byte and verifies it", () => {
    const signer = parseSignerKey(GO.skey);
    expect(formatVerifierKey(signer)).toBe(GO.vkey);
    const note = signNote(GO.text, signer);
    expect(note).toBe(`${GO.text}\n${GO.signature}`);
    expect(openNote(note, [parseVerifierKey(GO.vkey)])).toBe(GO.text);
    expect(specVerify(note, GO.vkey)).toBe(GO.text);
    expect(formatSignerKey('PeterNeumann', Buffer.from(GO.skey.split('+').slice(4).join('+'), 'base64').subarray(1))).toBe(GO.skey);
  });

  it('parses the other known vkey and refuses a key id that does not match', () => {
    expect(parseVerifierKey('EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop').name).toBe('EnochRoot');
    expect(() => parseVerifierKey('EnochRoot+af0cfe79+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop')).toThrow(/key ID/);
    expect(() => parseVerifierKey('EnochRoot+af0cfe78')).toThrow(/malformed/);
  });

  it('round-trips a checkpoint through the independent verifier, and rejects changes and strangers', () => {
    const signer = signerFromSeed('consent-ledger.local/7301234567890123456', generateSeed());
    const vkey = formatVerifierKey(signer);
    const text = formatCheckpoint({ origin: signer.name, size: 42, rootHash: createHash('sha256').update('root').digest() });
    const note = signNote(text, signer);
    expect(specVerify(note, vkey)).toBe(text);
    expect(parseCheckpoint(openNote(note, [parseVerifierKey(vkey)]))).toEqual({ origin: signer.name, size: 42, rootHash: createHash('sha256').update('root').digest() });

    const tampered = note.replace('\n42\n', '\n43\n');
    expect(() => openNote(tampered, [parseVerifierKey(vkey)])).toThrow(/does not verify/);
    expect(() => specVerify(tampered, vkey)).toThrow(/bad signature/);
    const stranger = formatVerifierKey(signerFromSeed(signer.name, generateSeed()));
    expect(() => openNote(note, [parseVerifierKey(stranger)])).toThrow(/no signature from a known key/);
    // A signature by an unknown key beside a good one is ignored, as the spec says.
    const cosigned = `${note}${signNote(text, signerFromSeed('witness.example', generateSeed())).split('\n\n')[1]}`;
    expect(openNote(cosigned, [parseVerifierKey(vkey)])).toBe(text);
  });

  it('parses the spec example checkpoint and refuses malformed ones', () => {
    const example = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
    expect(parseCheckpoint(example)).toMatchObject({ origin: 'example.com/behind-the-sofa', size: 20852163 });
    expect(() => parseCheckpoint(example.replace('20852163', '020852163'))).toThrow(/size/);
    expect(() => parseCheckpoint(example.replace('CsUY', 'CsU'))).toThrow(/root/);
  });

  it('round-trips a tlog-proof', () => {
    const checkpoint = 'example.com/fancylog\n109482\nsFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=\n\n\u2014 example.com/fancylog hI2DJw==\n';
    const hashes = [Buffer.from('gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=', 'base64'), Buffer.from('B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=', 'base64')];
    const text = formatTlogProof({ index: 73894, hashes, checkpoint });
    expect(text).toBe(`c2sp.org/tlog-proof@v1\nindex 73894\ngSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=\nB95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=\n\n${checkpoint}`);
    expect(parseTlogProof(text)).toEqual({ index: 73894, hashes, checkpoint });
  });
});
