import { createHash, generateKeyPairSync, KeyObject, randomBytes, sign } from 'node:crypto';
import { GENESIS_HASH, chainHash } from '../../libs/ledger-store/src/chain/chain-hash';
import type { ProofDocument, ProofEvent } from '../../apps/console/src/proof/verify-proof';

/**
 * A proof of lawful basis built here, independently of the browser code: events hashed by the
 * ledger's own chainHash, an RFC 9162 tree built from the definition, a C2SP checkpoint signed with
 * node:crypto's Ed25519. Used by the verifier's unit test and served to the console by page.route.
 */
export interface ProofFixture {
  proof: ProofDocument;
  verifierKey: string;
  /** Signs a checkpoint body with the fixture's key, as a complete signed note. */
  signNote(text: string): string;
  /** A note signed by a key the verifier does not know, under the same name. */
  signNoteWithOtherKey(text: string): string;
  /** The tree's leaf values (event hashes), in log order. */
  leaves: Buffer[];
}

export const FIXTURE_ORIGIN = 'consent-ledger.test/fixture';

const sha256 = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
const leafHash = (leaf: Buffer): Buffer => sha256(Buffer.of(0), leaf);
const nodeHash = (left: Buffer, right: Buffer): Buffer => sha256(Buffer.of(1), left, right);
const largestPowerOfTwoBelow = (n: number): number => 2 ** Math.floor(Math.log2(n - 1));

/** RFC 9162 2.1.1 MTH over leaf values. */
export function merkleRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leafHash(leaves[0]);
  const k = largestPowerOfTwoBelow(leaves.length);
  return nodeHash(merkleRoot(leaves.slice(0, k)), merkleRoot(leaves.slice(k)));
}

/** RFC 9162 2.1.3.1 PATH(m, D[n]). */
export function inclusionPath(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = largestPowerOfTwoBelow(leaves.length);
  return m < k
    ? [...inclusionPath(m, leaves.slice(0, k)), merkleRoot(leaves.slice(k))]
    : [...inclusionPath(m - k, leaves.slice(k)), merkleRoot(leaves.slice(0, k))];
}

function rawPublicKey(key: KeyObject): Buffer {
  return Buffer.from(key.export({ format: 'jwk' }).x as string, 'base64url');
}

function noteSigner(name: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  const keyId = sha256(Buffer.from(name), Buffer.of(0x0a, 0x01), raw).subarray(0, 4);
  return {
    verifierKey: `${name}+${keyId.toString('hex')}+${Buffer.concat([Buffer.of(1), raw]).toString('base64')}`,
    sign: (text: string): string => {
      const signature = sign(null, Buffer.from(text), privateKey);
      return `${text}\n\u2014 ${name} ${Buffer.concat([keyId, signature]).toString('base64')}\n`;
    },
  };
}

export function tlogProofText(index: number, leaves: Buffer[], note: string): string {
  const path = inclusionPath(index, leaves).map((hash) => `${hash.toString('base64')}\n`).join('');
  return `c2sp.org/tlog-proof@v1\nindex ${index}\n${path}\n${note}`;
}

/**
 * `purpose` version 1 was published (leaf 1), then `subjectId` granted it at grantedAt and withdrew
 * at withdrawnAt (leaves 3 and 5) in a 7-leaf log whose other leaves belong to other streams. As the
 * ledger's proofs do, events lists the purpose's stream, then the subject's.
 */
export function buildProofFixture(options: { subjectId?: string; purpose?: string; grantedAt?: string; withdrawnAt?: string } = {}): ProofFixture {
  const subjectId = options.subjectId ?? 'auditor-fixture-1';
  const purpose = options.purpose ?? 'newsletter';
  const grantedAt = options.grantedAt ?? '2026-01-10T09:00:00.000Z';
  const withdrawnAt = options.withdrawnAt ?? '2026-03-01T18:30:00.000Z';
  const streamId = `subject:${subjectId}`;
  const metadata = { source: { channel: 'web', collectionPoint: 'signup-form', policyVersion: '2026-01' }, proof: { method: 'checkbox' }, actor: 'key-1' };
  const bodies = [
    { type: 'ConsentGranted', occurredAt: grantedAt, data: { type: 'ConsentGranted', subjectId, purpose, purposeVersion: 1, occurredAt: grantedAt, expiresAt: '2027-02-09T09:00:00.000Z' } },
    { type: 'ConsentWithdrawn', occurredAt: withdrawnAt, data: { type: 'ConsentWithdrawn', subjectId, purpose, purposeVersion: 1, occurredAt: withdrawnAt } },
  ];
  const purposeVersion = {
    version: 1, title: { fr: 'Lettre d’information', en: 'Newsletter' }, description: 'Offres et nouveautés',
    legalBasis: 'consent', validityDays: 395,
  };
  const publishedAt = '2025-12-01T00:00:00.000Z';
  const chain = (streamId: string, idPrefix: string, entries: { type: string; occurredAt: string; data: unknown; metadata: unknown }[]): ProofEvent[] => {
    let prevHash = GENESIS_HASH;
    return entries.map((body, i) => {
      const hashed = {
        eventId: `${idPrefix}-0000-4000-8000-00000000000${i + 1}`, streamId, streamVersion: i + 1, type: body.type,
        data: body.data, metadata: body.metadata, occurredAt: body.occurredAt, recordedAt: body.occurredAt,
        // A salted digest stands in for the encrypted personal fields; "é" checks UTF-8 canonical JSON.
        personalDigest: streamId.startsWith('subject:') ? createHash('sha256').update(`sel-é-${i}`).digest('hex') : null,
      };
      const event = { ...hashed, prevHash, hash: chainHash(prevHash, hashed) };
      prevHash = event.hash;
      return event;
    });
  };
  const purposeEvents = chain(`purpose:${purpose}`, '11111111', [{
    type: 'PurposePublished', occurredAt: publishedAt, metadata: { actor: 'key-0' },
    data: { type: 'PurposePublished', purposeId: purpose, ...purposeVersion, materialChange: false, occurredAt: publishedAt },
  }]);
  const subjectEvents = chain(`subject:${subjectId}`, '00000000', bodies.map((body) => ({ ...body, metadata })));
  const events = [...purposeEvents, ...subjectEvents];
  const leaves = [randomBytes(32), Buffer.from(purposeEvents[0].hash, 'hex'), randomBytes(32), Buffer.from(subjectEvents[0].hash, 'hex'), randomBytes(32), Buffer.from(subjectEvents[1].hash, 'hex'), randomBytes(32)];
  const leafIndex = [1, 3, 5];
  const ours = noteSigner(FIXTURE_ORIGIN);
  const theirs = noteSigner(FIXTURE_ORIGIN);
  const checkpoint = ours.sign(`${FIXTURE_ORIGIN}\n${leaves.length}\n${merkleRoot(leaves).toString('base64')}\n`);
  const proof: ProofDocument = {
    subjectId, purpose, at: '2026-04-01T00:00:00.000Z',
    decision: { allowed: false, status: 'withdrawn', legalBasis: 'consent', reason: 'withdrawn' },
    purposeVersion: { ...purposeVersion, publishedAt },
    events,
    checkpoint,
    inclusion: events.map((event, i) => ({ eventId: event.eventId, leafIndex: leafIndex[i], tlogProof: tlogProofText(leafIndex[i], leaves, checkpoint) })),
  };
  return { proof, verifierKey: ours.verifierKey, signNote: ours.sign, signNoteWithOtherKey: theirs.sign, leaves };
}
