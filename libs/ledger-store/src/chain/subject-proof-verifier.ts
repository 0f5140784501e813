import {
  ConsentRecord, consentEntry, foldPurpose, purposeStreamId, subjectStateAt, subjectStreamId,
} from '@consent-ledger/domain';
import {
  leafHash, openNote, parseCheckpoint, parseTlogProof, parseVerifierKey, verifyInclusion,
} from '@consent-ledger/transparency-log';
import { decodePurposeEvent, decodeSubjectEvent } from '../events/event-codec';
import { GENESIS_HASH, storedEventHash } from './chain-hash';
import { SubjectProof } from './subject-proof';

export interface ProofCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export interface ProofVerdict {
  valid: boolean;
  checks: ProofCheck[];
}

/**
 * Verifies a proof of lawful basis offline, with the log's verifier key and nothing else: the
 * checkpoint's signature, each event's hash recomputed from its fields, the chain links of both
 * streams from their genesis, each event's inclusion in the signed tree, and the decision and purpose
 * text recomputed with the domain's own functions from the proven events.
 */
export function verifySubjectProof(proof: SubjectProof, vkey: string): ProofVerdict {
  const checks: ProofCheck[] = [];
  const record = (check: string, ok: boolean, detail: string) => checks.push({ check, ok, detail });
  const attempt = (check: string, run: () => string) => {
    try {
      record(check, true, run());
    } catch (error) {
      record(check, false, error instanceof Error ? error.message : String(error));
    }
  };

  let checkpoint: ReturnType<typeof parseCheckpoint> | undefined;
  attempt('checkpoint signature', () => {
    const verifier = parseVerifierKey(vkey);
    checkpoint = parseCheckpoint(openNote(proof.checkpoint, [verifier]));
    if (checkpoint.origin !== verifier.name) throw new Error(`checkpoint origin ${checkpoint.origin} is not the key's name ${verifier.name}`);
    return `signed by ${verifier.name}: tree size ${checkpoint.size}, root ${checkpoint.rootHash.toString('base64')}`;
  });

  for (const event of proof.events) {
    attempt(`event ${event.eventId} hash`, () => {
      const recomputed = storedEventHash(event);
      if (recomputed !== event.hash) throw new Error(`recomputed ${recomputed}, the proof says ${event.hash}`);
      return `${event.streamId} v${event.streamVersion} ${event.type}`;
    });
  }

  const subjectStream = subjectStreamId(proof.subjectId);
  const purposeStream = purposeStreamId(proof.purpose);
  const unrelated = proof.events.filter((e) => e.streamId !== subjectStream && e.streamId !== purposeStream);
  record('streams', unrelated.length === 0, unrelated.length === 0 ? `${purposeStream} and ${subjectStream}` : `events of other streams: ${unrelated.map((e) => e.eventId).join(', ')}`);
  for (const streamId of [purposeStream, subjectStream]) {
    attempt(`chain ${streamId}`, () => {
      const events = proof.events.filter((e) => e.streamId === streamId);
      let prev = GENESIS_HASH;
      events.forEach((event, i) => {
        if (event.streamVersion !== i + 1) throw new Error(`version ${event.streamVersion} where ${i + 1} was expected`);
        if (event.prevHash !== prev) throw new Error(`version ${event.streamVersion} does not link to the event before it`);
        prev = event.hash;
      });
      if (events.length === 0) throw new Error('no events');
      return `${events.length} events linked from genesis`;
    });
  }

  for (const event of proof.events) {
    const entry = proof.inclusion.find((i) => i.eventId === event.eventId);
    attempt(`event ${event.eventId} inclusion`, () => {
      if (!entry) throw new Error('not in the signed checkpoint yet (fetch the proof again after the next checkpoint)');
      if (!checkpoint) throw new Error('no verified checkpoint');
      const tlog = parseTlogProof(entry.tlogProof);
      if (tlog.checkpoint !== proof.checkpoint) throw new Error('its tlog-proof names another checkpoint');
      if (tlog.index !== entry.leafIndex) throw new Error('its tlog-proof names another leaf index');
      if (!verifyInclusion(tlog.index, checkpoint.size, leafHash(Buffer.from(event.hash, 'hex')), tlog.hashes, checkpoint.rootHash)) {
        throw new Error(`leaf ${tlog.index} does not lead to the checkpoint's root`);
      }
      return `leaf ${tlog.index} of ${checkpoint.size}`;
    });
  }

  attempt('decision', () => {
    const purpose = foldPurpose(proof.events.filter((e) => e.streamId === purposeStream).map(decodePurposeEvent));
    if (!purpose) throw new Error('the proof holds no version of the purpose');
    const at = new Date(proof.at);
    const state = subjectStateAt(proof.subjectId, proof.events.filter((e) => e.streamId === subjectStream).map(decodeSubjectEvent), at);
    const entry = consentEntry(state.consents[proof.purpose] as ConsentRecord | undefined, purpose, at, state.erasedAt);
    const expected = { allowed: entry.allowed, status: entry.status, legalBasis: entry.legalBasis, reason: entry.reason };
    const claimed = proof.decision;
    if (JSON.stringify(expected) !== JSON.stringify({ allowed: claimed.allowed, status: claimed.status, legalBasis: claimed.legalBasis, reason: claimed.reason })) {
      throw new Error(`the events give ${JSON.stringify(expected)}, the proof claims ${JSON.stringify(claimed)}`);
    }
    const version = purpose.versions[proof.purposeVersion.version - 1];
    const text = version && { version: version.version, title: version.title, description: version.description, legalBasis: version.legalBasis, validityDays: version.validityDays, publishedAt: version.publishedAt };
    if (JSON.stringify(text) !== JSON.stringify(proof.purposeVersion)) throw new Error(`purpose version ${proof.purposeVersion.version} is not the text its event publishes`);
    if (proof.purposeVersion.version !== (entry.purposeVersion ?? entry.currentPurposeVersion)) throw new Error('the purpose version is not the one the decision rests on');
    return `${claimed.allowed ? 'allowed' : 'not allowed'} (${claimed.status}, ${claimed.reason}) under ${proof.purpose} v${proof.purposeVersion.version} at ${proof.at}`;
  });

  return { valid: checks.every((c) => c.ok), checks };
}
