import { Message } from 'kafkajs';

// Records in the consent.state.v1 / consent.events.v1 v1 format, as the ledger's relay publishes them.

/** Unless a test says otherwise, a later position is also a later occurredAt, as for events posted live. */
export const occurredAt = (position: number): string => new Date(Date.UTC(2025, 0, 15) + position * 60_000).toISOString();

export interface StateFields {
  allowed: boolean;
  status: string;
  position: number;
  legalBasis?: string;
  since?: string;
  expiresAt?: string | null;
}

export function stateRecord(subjectId: string, purpose: string, fields: StateFields): Message {
  const { legalBasis = 'consent', since = occurredAt(fields.position), expiresAt = null, ...decision } = fields;
  return {
    key: `${purpose}:${subjectId}`,
    value: JSON.stringify({
      subjectId,
      purpose,
      purposeVersion: 1,
      currentPurposeVersion: 1,
      legalBasis,
      since,
      expiresAt,
      reconsentRequired: false,
      ...decision,
    }),
  };
}

export const granted = (subjectId: string, purpose: string, position: number, expiresAt: string | null = null): Message =>
  stateRecord(subjectId, purpose, { allowed: true, status: 'granted', position, expiresAt });

export const tombstone = (subjectId: string, purpose: string): Message => ({ key: `${purpose}:${subjectId}`, value: null });

export interface EventFields {
  type: string;
  subjectId: string;
  /** Absent for SubjectErased. */
  purpose?: string;
  position: number;
  eventId?: string;
  occurredAt?: string;
}

export function eventRecord(fields: EventFields): Message {
  const { type, subjectId, purpose, position, eventId = `evt-${position}` } = fields;
  const body = {
    eventId,
    type,
    subjectId,
    ...(purpose === undefined ? {} : { purpose, purposeVersion: 1 }),
    occurredAt: fields.occurredAt ?? occurredAt(position),
    recordedAt: new Date().toISOString(),
    position,
    streamVersion: position,
    source: { channel: 'web' },
    hash: 'a'.repeat(64),
  };
  return { key: subjectId, value: JSON.stringify(body), headers: { 'event-type': type, 'event-id': eventId, 'schema-version': '1' } };
}

export const withdrawn = (subjectId: string, purpose: string, position: number): Message =>
  eventRecord({ type: 'ConsentWithdrawn', subjectId, purpose, position });
