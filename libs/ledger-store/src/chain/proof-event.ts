import { StoredEvent, StoredEventWithPersonal } from '../events/stored-event';

/**
 * An event as a proof carries it: every field its hash covers (HashedEventBody of chain-hash.ts),
 * its chain link, hash and position. Personal proof fields appear only as the salted digest the hash
 * covers, so a proof can be handed on without disclosing them.
 */
export type ProofEvent = StoredEvent;

export const proofEvent = ({ personal: _personal, ...event }: StoredEventWithPersonal): ProofEvent => event;
