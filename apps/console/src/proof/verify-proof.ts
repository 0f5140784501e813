import canonicalize from 'canonicalize';
import { fromHex } from './bytes';
import { parseCheckpointText } from './checkpoint';
import { GENESIS_HASH, HashedEventBody, eventHash } from './event-hash';
import { leafHash, verifyInclusion } from './merkle';
import { VerifierKey, parseVerifierKey, verifySignedNote } from './signed-note';
import { parseTlogProof } from './tlog-proof';

/** One event of a proof (GET /v1/subjects/{id}/proof): the hashed fields plus the chain link. */
export interface ProofEvent extends HashedEventBody {
  prevHash: string;
  hash: string;
}

export interface ProofInclusion {
  eventId: string;
  leafIndex: number;
  tlogProof: string;
}

/** The proof of lawful basis, as DESIGN.md's Proof section defines it. */
export interface ProofDocument {
  subjectId: string;
  purpose: string;
  at: string;
  decision: { allowed: boolean; status: string; legalBasis: string; reason?: string | null };
  purposeVersion: Record<string, unknown> & { version: number };
  events: ProofEvent[];
  checkpoint: string;
  inclusion: ProofInclusion[];
}

export type CheckKind = 'document' | 'verifier-key' | 'checkpoint-signature' | 'event-stream' | 'event-hash' | 'chain-link' | 'inclusion' | 'purpose-text';

/** What was checked, on what, and what was found: the console lists these under the verdict. */
export interface Check {
  kind: CheckKind;
  ok: boolean;
  /** The event (eventId) or the checkpoint origin the check is about, when it is about one. */
  target?: string;
  detail: string;
}

export interface ProofVerdict {
  verified: boolean;
  checks: Check[];
}

/**
 * Verifies a proof with nothing but WebCrypto and the log's verifier key: every event belongs to the
 * subject's or the purpose's stream, its hash is recomputed, adjacent events of a stream must link,
 * every event must be included (RFC 9162) in a checkpoint signed by the key, the proof's own
 * checkpoint must be signed by it too, and the purpose text it states must be the one logged.
 */
export async function verifyProof(document: unknown, verifierKey: string, subtle: SubtleCrypto = globalThis.crypto.subtle): Promise<ProofVerdict> {
  const checks: Check[] = [];
  const record = async (kind: CheckKind, target: string | undefined, run: () => Promise<string>): Promise<boolean> => {
    try {
      checks.push({ kind, ok: true, target, detail: await run() });
      return true;
    } catch (error) {
      checks.push({ kind, ok: false, target, detail: error instanceof Error ? error.message : String(error) });
      return false;
    }
  };

  let proof: ProofDocument | undefined;
  await record('document', undefined, async () => {
    proof = asProofDocument(document);
    return `${proof.events.length} event(s), ${proof.inclusion.length} inclusion proof(s)`;
  });
  let key: VerifierKey | undefined;
  await record('verifier-key', undefined, async () => {
    key = await parseVerifierKey(subtle, verifierKey);
    return `Ed25519 key ${key.name}, key id matches`;
  });
  if (!proof || !key) return { verified: false, checks };
  const doc = proof;
  const vkey = key;

  await record('checkpoint-signature', undefined, async () => {
    const note = await verifySignedNote(subtle, doc.checkpoint, vkey);
    const checkpoint = parseCheckpointText(note.text);
    if (checkpoint.origin !== vkey.name) throw new Error(`checkpoint origin ${checkpoint.origin} is not the key's name ${vkey.name}`);
    return `${checkpoint.origin}, tree size ${checkpoint.treeSize}, signed by ${vkey.name}`;
  });

  const byStreamVersion = new Map(doc.events.map((e) => [`${e.streamId}#${e.streamVersion}`, e]));
  for (const event of doc.events) {
    await record('event-stream', event.eventId, async () => {
      const data = (event.data ?? {}) as { subjectId?: unknown; purposeId?: unknown };
      if (event.streamId === `subject:${doc.subjectId}` && data.subjectId === doc.subjectId) return `${event.type}, stream of subject ${doc.subjectId}`;
      if (event.streamId === `purpose:${doc.purpose}` && data.purposeId === doc.purpose) return `${event.type}, stream of purpose ${doc.purpose}`;
      throw new Error(`event of stream ${event.streamId}, neither the subject's nor the purpose's`);
    });
    await record('event-hash', event.eventId, async () => {
      const recomputed = await eventHash(subtle, event.prevHash, event);
      if (recomputed !== event.hash) throw new Error(`recomputed ${recomputed}, stated ${event.hash}`);
      return `SHA-256 = ${recomputed}`;
    });
    const previous = byStreamVersion.get(`${event.streamId}#${event.streamVersion - 1}`);
    if (event.streamVersion === 1 || previous) {
      await record('chain-link', event.eventId, async () => {
        const expected = previous ? previous.hash : GENESIS_HASH;
        if (event.prevHash !== expected) throw new Error(`prevHash ${event.prevHash} is not ${previous ? 'the hash of version ' + previous.streamVersion : 'the genesis hash'}`);
        return previous ? `links to version ${previous.streamVersion}` : 'first of its stream (genesis)';
      });
    }
    await record('inclusion', event.eventId, async () => {
      const inclusion = doc.inclusion.find((i) => i.eventId === event.eventId);
      if (!inclusion) throw new Error('no inclusion proof (not sealed yet?)');
      const tlog = parseTlogProof(inclusion.tlogProof);
      if (tlog.index !== inclusion.leafIndex) throw new Error(`tlog-proof index ${tlog.index} is not leafIndex ${inclusion.leafIndex}`);
      const note = await verifySignedNote(subtle, tlog.checkpoint, vkey);
      const checkpoint = parseCheckpointText(note.text);
      const leaf = await leafHash(subtle, fromHex(event.hash));
      if (!(await verifyInclusion(subtle, tlog.index, checkpoint.treeSize, leaf, tlog.path, checkpoint.rootHash))) {
        throw new Error(`leaf ${tlog.index} does not lead to the root of tree size ${checkpoint.treeSize}`);
      }
      return `leaf ${tlog.index} of ${checkpoint.treeSize}, ${tlog.path.length} hash(es) to the signed root`;
    });
  }
  const published = doc.events.find((e) => e.streamId === `purpose:${doc.purpose}` && e.type === 'PurposePublished'
    && (e.data as { version?: unknown }).version === doc.purposeVersion?.version);
  if (published) {
    await record('purpose-text', published.eventId, async () => {
      const logged = published.data as Record<string, unknown>;
      const stated = doc.purposeVersion as Record<string, unknown>;
      const differing = ['title', 'description', 'legalBasis', 'validityDays'].filter((field) => canonicalize(logged[field]) !== canonicalize(stated[field]));
      if (differing.length > 0) throw new Error(`purposeVersion ${differing.join(', ')} differ from the logged version ${stated.version}`);
      return `version ${stated.version}: title, description, legal basis and validity as logged`;
    });
  }
  return { verified: checks.every((c) => c.ok), checks };
}

function asProofDocument(value: unknown): ProofDocument {
  const doc = value as ProofDocument;
  if (typeof doc !== 'object' || doc === null) throw new Error('not a JSON object');
  if (typeof doc.subjectId !== 'string' || typeof doc.purpose !== 'string') throw new Error('subjectId and purpose are required');
  if (typeof doc.checkpoint !== 'string') throw new Error('checkpoint (a signed note) is required');
  if (!Array.isArray(doc.events) || !Array.isArray(doc.inclusion)) throw new Error('events and inclusion must be arrays');
  for (const event of doc.events as unknown as Record<string, unknown>[]) {
    for (const field of ['eventId', 'streamId', 'type', 'occurredAt', 'recordedAt', 'prevHash', 'hash'] as const) {
      if (typeof event?.[field] !== 'string') throw new Error(`an event lacks ${field}`);
    }
    if (!Number.isInteger(event.streamVersion)) throw new Error(`event ${String(event.eventId)} lacks streamVersion`);
    if (!('data' in event) || !('metadata' in event) || !('personalDigest' in event)) {
      throw new Error(`event ${String(event.eventId)} lacks data, metadata or personalDigest (needed to recompute its hash)`);
    }
  }
  for (const inclusion of doc.inclusion) {
    if (typeof inclusion?.eventId !== 'string' || !Number.isInteger(inclusion.leafIndex) || typeof inclusion.tlogProof !== 'string') {
      throw new Error('an inclusion entry lacks eventId, leafIndex or tlogProof');
    }
  }
  return doc;
}
