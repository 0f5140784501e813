/** Opaque, caller-chosen subject identifier (account id, device id, keyed hash). */
export const SUBJECT_ID_PATTERN = /^[A-Za-z0-9._:@+-]{1,128}$/;

export const PURPOSE_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export const subjectStreamId = (subjectId: string): string => `subject:${subjectId}`;
export const purposeStreamId = (purposeId: string): string => `purpose:${purposeId}`;
