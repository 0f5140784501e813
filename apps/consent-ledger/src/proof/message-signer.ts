import { MESSAGE_SIGNATURE_HEADER, signMessage } from '@consent-ledger/transparency-log';
import { Message } from 'kafkajs';
import { LogKey } from './log-key';

/** Adds to a message the `ledger-signature` header (messageSignatureBytes) made with the log's key. */
export type MessageSigner = (topic: string, message: Message) => Message;

export const messageSigner = (key: LogKey): MessageSigner => (topic, message) => ({
  ...message,
  headers: {
    ...message.headers,
    [MESSAGE_SIGNATURE_HEADER]: signMessage(key.signer.privateKey, topic, message.key ?? null, message.value ?? null),
  },
});
