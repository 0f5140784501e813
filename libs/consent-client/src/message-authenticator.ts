import { MESSAGE_SIGNATURE_HEADER, NoteVerifier, parseVerifierKey, publicKeyObject, verifyMessage } from '@consent-ledger/transparency-log';
import { KafkaMessage } from 'kafkajs';
import { KeyObject } from 'node:crypto';

/**
 * Anyone who can reach the Kafka cluster can produce to the ledger's topics. Given the log's
 * verifier key, only messages whose `ledger-signature` header verifies (over topic, key and value,
 * see messageSignatureBytes) are let through; the others are dropped and counted. Without a key
 * every message is accepted, as before.
 */
export class MessageAuthenticator {
  private readonly key: KeyObject | undefined;
  rejected = 0;

  constructor(verifierKey: string | undefined) {
    const verifier: NoteVerifier | undefined = verifierKey === undefined ? undefined : parseVerifierKey(verifierKey);
    this.key = verifier && publicKeyObject(verifier.publicKey);
  }

  accepts(topic: string, message: KafkaMessage): boolean {
    if (!this.key) return true;
    const header = message.headers?.[MESSAGE_SIGNATURE_HEADER];
    const signature = Array.isArray(header) ? header[0] : header;
    if (signature !== undefined && verifyMessage(this.key, topic, message.key, message.value, signature.toString())) return true;
    this.rejected += 1;
    return false;
  }
}
