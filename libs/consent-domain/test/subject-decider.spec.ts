import {
  ALLOWED_CHOICES,
  CHOICE_TYPES,
  Choice,
  ChoiceType,
  decideSubject,
  evolveSubject,
  foldSubject,
  LEGAL_BASES,
  LegalBasis,
  Purpose,
  RecordChoices,
  recordOf,
  SubjectCommand,
  SubjectDecisionState,
  SubjectEvent,
  subjectStateAt,
  supersedes,
} from '../src';
import { deciderSpec } from './support/given-when-then';
import {
  audience,
  daysAfter,
  erasure,
  expiry,
  grant,
  LAUNCH,
  newsletter,
  NEWSLETTER_V1,
  NOW,
  objection,
  objectionLifted,
  offers,
  OFFERS_V1,
  orders,
  plusMs,
  published,
  purpose,
  refusal,
  retired,
  school,
  social,
  SUBJECT,
  withdrawal,
} from './support/fixtures';

const spec = (...purposes: Purpose[]) =>
  deciderSpec<SubjectDecisionState, SubjectCommand, SubjectEvent>(decideSubject, (events) => ({
    subject: foldSubject(SUBJECT, events),
    purposes: new Map(purposes.map((p) => [p.purposeId, p])),
  }));

const record = (choices: Choice[], occurredAt?: string): RecordChoices => ({
  type: 'RecordChoices',
  subjectId: SUBJECT,
  choices,
  ...(occurredAt === undefined ? {} : { occurredAt }),
});

const NOW_ISO = NOW.toISOString();
const NEWSLETTER_EXPIRY = daysAfter(NOW_ISO, 1095);

/** newsletter v2 published a week before NOW with a shorter validity. */
const newsletterV2 = published('newsletter', {
  legalBasis: 'consent',
  version: 2,
  validityDays: 395,
  materialChange: true,
  occurredAt: daysAfter(NOW_ISO, -7),
});
const newsletterTwoVersions = purpose(NEWSLETTER_V1, newsletterV2);

describe('RecordChoices', () => {
  describe('occurredAt', () => {
    it('defaults to now, and a grant expires validityDays later', () => {
      spec(newsletter)
        .given([])
        .when(record([{ type: 'ConsentGranted', purpose: 'newsletter' }]), NOW)
        .then([grant('newsletter', NOW_ISO, NEWSLETTER_EXPIRY)]);
    });

    it('computes the 13-month expiry of a cookie consent (395 days)', () => {
      spec(audience)
        .given([])
        .when(record([{ type: 'ConsentGranted', purpose: 'audience-measurement' }]), NOW)
        .then([grant('audience-measurement', NOW_ISO, '2025-07-01T10:00:00.000Z')]);
    });

    it('is normalised to UTC milliseconds', () => {
      spec(newsletter)
        .given([])
        .when(record([{ type: 'ConsentGranted', purpose: 'newsletter' }], '2024-06-01T11:30:00+02:00'), NOW)
        .then([grant('newsletter', '2024-06-01T09:30:00.000Z', daysAfter('2024-06-01T09:30:00.000Z', 1095))]);
    });

    it.each(['yesterday', '', '2024-06-01', '2024-06-01T10:00:00', '2024-02-30T10:00:00Z', '2024-06-01T25:00:00Z', 'Sat, 01 Jun 2024 10:00:00 GMT'])(
      'rejects %p as not an ISO 8601 instant',
      (occurredAt) => {
        spec(newsletter)
          .given([])
          .when(record([{ type: 'ConsentGranted', purpose: 'newsletter' }], occurredAt), NOW)
          .thenError('invalid_occurred_at', 'occurredAt');
      },
    );

    it('accepts 4m59s in the future (client clock skew)', () => {
      const occurredAt = plusMs(NOW, 4 * 60_000 + 59_000).toISOString();
      spec(newsletter)
        .given([])
        .when(record([{ type: 'ConsentGranted', purpose: 'newsletter' }], occurredAt), NOW)
        .then([grant('newsletter', occurredAt, daysAfter(occurredAt, 1095))]);
    });

    it('rejects 5m01s in the future', () => {
      const occurredAt = plusMs(NOW, 5 * 60_000 + 1_000).toISOString();
      spec(newsletter)
        .given([])
        .when(record([{ type: 'ConsentGranted', purpose: 'newsletter' }], occurredAt), NOW)
        .thenError('occurred_at_in_future', 'occurredAt');
    });

    it('accepts a legacy consent collected before the purpose was first published', () => {
      const occurredAt = '2019-03-01T08:15:00.000Z';
      expect(Date.parse(occurredAt)).toBeLessThan(LAUNCH.getTime());
      spec(newsletter)
        .given([])
        .when(record([{ type: 'ConsentGranted', purpose: 'newsletter' }], occurredAt), NOW)
        .then([grant('newsletter', occurredAt, daysAfter(occurredAt, 1095))]);
    });
  });

  describe('batch', () => {
    it('records every choice of one banner submit with the same occurredAt, in order', () => {
      spec(newsletter, audience, offers)
        .given([])
        .when(
          record([
            { type: 'ConsentGranted', purpose: 'newsletter' },
            { type: 'ConsentRefused', purpose: 'audience-measurement' },
            { type: 'ObjectionRecorded', purpose: 'offers-similar-services' },
          ]),
          NOW,
        )
        .then([
          grant('newsletter', NOW_ISO, NEWSLETTER_EXPIRY),
          refusal('audience-measurement', NOW_ISO, daysAfter(NOW_ISO, 395)),
          objection('offers-similar-services', NOW_ISO),
        ]);
    });

    it('emits nothing when one choice is invalid (atomic)', () => {
      spec(newsletter, audience)
        .given([])
        .when(
          record([
            { type: 'ConsentGranted', purpose: 'newsletter' },
            { type: 'ConsentGranted', purpose: 'audience-measurement' },
            { type: 'ConsentGranted', purpose: 'cookies-publicitaires' },
          ]),
          NOW,
        )
        .thenError('unknown_purpose', 'events[2].purpose');
    });

    it('returns the first violation', () => {
      spec(newsletter, offers)
        .given([])
        .when(
          record([
            { type: 'ConsentGranted', purpose: 'newsletter' },
            { type: 'ConsentGranted', purpose: 'offers-similar-services' },
            { type: 'ConsentGranted', purpose: 'cookies-publicitaires' },
          ]),
          NOW,
        )
        .thenError('event_not_allowed_for_legal_basis', 'events[1].type');
    });

    it('checks occurredAt before any choice', () => {
      spec(newsletter)
        .given([])
        .when(record([{ type: 'ConsentGranted', purpose: 'inconnu' }], 'demain'), NOW)
        .thenError('invalid_occurred_at', 'occurredAt');
    });
  });

  it('rejects any choice for an erased subject', () => {
    spec(newsletter)
      .given([grant('newsletter', '2024-02-01T00:00:00.000Z', null), erasure('2024-03-01T00:00:00.000Z')])
      .when(record([{ type: 'ConsentWithdrawn', purpose: 'newsletter' }]), NOW)
      .thenError('subject_erased');
  });

  it('rejects an unknown purpose', () => {
    spec(newsletter)
      .given([])
      .when(record([{ type: 'ConsentGranted', purpose: 'cookies-publicitaires' }]), NOW)
      .thenError('unknown_purpose', 'events[0].purpose');
  });

  describe('purposeVersion', () => {
    it('defaults to the current version, whose validity applies', () => {
      spec(newsletterTwoVersions)
        .given([])
        .when(record([{ type: 'ConsentGranted', purpose: 'newsletter' }]), NOW)
        .then([grant('newsletter', NOW_ISO, daysAfter(NOW_ISO, 395), 2)]);
    });

    it('records the version the person was shown (a cached page), with that version\'s validity', () => {
      spec(newsletterTwoVersions)
        .given([])
        .when(record([{ type: 'ConsentGranted', purpose: 'newsletter', purposeVersion: 1 }]), NOW)
        .then([grant('newsletter', NOW_ISO, NEWSLETTER_EXPIRY, 1)]);
    });

    it.each([0, 3, 1.5])('rejects version %p, which does not exist', (purposeVersion) => {
      spec(newsletterTwoVersions)
        .given([])
        .when(record([{ type: 'ConsentGranted', purpose: 'newsletter', purposeVersion }]), NOW)
        .thenError('unknown_purpose_version', 'events[0].purposeVersion');
    });

    it('judges the legal basis by the version shown', () => {
      const basisChanged = purpose(
        OFFERS_V1,
        published('offers-similar-services', { version: 2, legalBasis: 'consent', validityDays: 1095, materialChange: true }),
      );
      spec(basisChanged)
        .given([])
        .when(record([{ type: 'ObjectionRecorded', purpose: 'offers-similar-services', purposeVersion: 1 }]), NOW)
        .then([objection('offers-similar-services', NOW_ISO, 1)]);
      spec(basisChanged)
        .given([])
        .when(record([{ type: 'ObjectionRecorded', purpose: 'offers-similar-services' }]), NOW)
        .thenError('event_not_allowed_for_legal_basis', 'events[0].type');
    });
  });

  describe('legal basis', () => {
    const expected: Record<LegalBasis, ChoiceType[]> = {
      consent: ['ConsentGranted', 'ConsentRefused', 'ConsentWithdrawn'],
      legitimate_interest: ['ObjectionRecorded', 'ObjectionLifted'],
      public_task: ['ObjectionRecorded', 'ObjectionLifted'],
      contract: [],
      legal_obligation: [],
      vital_interest: [],
    };

    it('allows the choices of the contract table', () => {
      expect(ALLOWED_CHOICES).toEqual(expected);
    });

    const cases = LEGAL_BASES.flatMap((basis) => CHOICE_TYPES.map((type) => [basis, type] as const));
    it.each(cases)('%s: %s', (basis, type) => {
      const finalite = purpose(published('finalite', { legalBasis: basis, validityDays: 30 }));
      const outcome = spec(finalite).given([]).when(record([{ type, purpose: 'finalite' }]), NOW);
      if (!expected[basis].includes(type)) {
        outcome.thenError('event_not_allowed_for_legal_basis', 'events[0].type');
        return;
      }
      const base = { type, subjectId: SUBJECT, purpose: 'finalite', purposeVersion: 1, occurredAt: NOW_ISO };
      const withExpiry = type === 'ConsentGranted' || type === 'ConsentRefused';
      outcome.then([(withExpiry ? { ...base, expiresAt: daysAfter(NOW_ISO, 30) } : base) as SubjectEvent]);
    });

    it('records an objection and its lifting on legitimate interest', () => {
      spec(offers)
        .given([objection('offers-similar-services', '2024-03-01T00:00:00.000Z')])
        .when(record([{ type: 'ObjectionLifted', purpose: 'offers-similar-services' }]), NOW)
        .then([objectionLifted('offers-similar-services', NOW_ISO)]);
    });

    it('records an objection to a public task', () => {
      spec(school)
        .given([])
        .when(record([{ type: 'ObjectionRecorded', purpose: 'school-registration' }]), NOW)
        .then([objection('school-registration', NOW_ISO)]);
    });

    it('records nothing for a contract', () => {
      spec(orders)
        .given([])
        .when(record([{ type: 'ConsentWithdrawn', purpose: 'order-processing' }]), NOW)
        .thenError('event_not_allowed_for_legal_basis', 'events[0].type');
    });
  });

  describe('retired purpose', () => {
    const retiredNewsletter = purpose(NEWSLETTER_V1, retired('newsletter', '2024-05-01T00:00:00.000Z'));
    const retiredOffers = purpose(OFFERS_V1, retired('offers-similar-services', '2024-05-01T00:00:00.000Z'));

    it('rejects a grant', () => {
      spec(retiredNewsletter)
        .given([])
        .when(record([{ type: 'ConsentGranted', purpose: 'newsletter' }]), NOW)
        .thenError('purpose_retired', 'events[0].purpose');
    });

    it('rejects lifting an objection, which would re-enable processing', () => {
      spec(retiredOffers)
        .given([objection('offers-similar-services', '2024-03-01T00:00:00.000Z')])
        .when(record([{ type: 'ObjectionLifted', purpose: 'offers-similar-services' }]), NOW)
        .thenError('purpose_retired', 'events[0].purpose');
    });

    it('still accepts a withdrawal, a refusal and an objection', () => {
      spec(retiredNewsletter)
        .given([grant('newsletter', '2024-02-01T00:00:00.000Z', null)])
        .when(record([{ type: 'ConsentWithdrawn', purpose: 'newsletter' }]), NOW)
        .then([withdrawal('newsletter', NOW_ISO)]);
      spec(retiredNewsletter)
        .given([])
        .when(record([{ type: 'ConsentRefused', purpose: 'newsletter' }]), NOW)
        .then([refusal('newsletter', NOW_ISO, NEWSLETTER_EXPIRY)]);
      spec(retiredOffers)
        .given([])
        .when(record([{ type: 'ObjectionRecorded', purpose: 'offers-similar-services' }]), NOW)
        .then([objection('offers-similar-services', NOW_ISO)]);
    });
  });

  describe('expiry carried by the event', () => {
    it('gives a refusal the same validity as a grant', () => {
      spec(audience)
        .given([])
        .when(record([{ type: 'ConsentRefused', purpose: 'audience-measurement' }]), NOW)
        .then([refusal('audience-measurement', NOW_ISO, '2025-07-01T10:00:00.000Z')]);
    });

    it('has no expiry under a null validity', () => {
      spec(social)
        .given([])
        .when(
          record([
            { type: 'ConsentGranted', purpose: 'social-sharing' },
            { type: 'ConsentRefused', purpose: 'social-sharing' },
          ]),
          NOW,
        )
        .then([grant('social-sharing', NOW_ISO, null), refusal('social-sharing', NOW_ISO, null)]);
    });
  });

  it('records a withdrawal when nothing was granted: the act is evidence', () => {
    spec(newsletter)
      .given([])
      .when(record([{ type: 'ConsentWithdrawn', purpose: 'newsletter' }]), NOW)
      .then([withdrawal('newsletter', NOW_ISO)]);
  });

  it('records a re-grant, which renews the expiry', () => {
    spec(newsletter)
      .given([grant('newsletter', '2024-02-01T00:00:00.000Z', daysAfter('2024-02-01T00:00:00.000Z', 1095))])
      .when(record([{ type: 'ConsentGranted', purpose: 'newsletter' }]), NOW)
      .then([grant('newsletter', NOW_ISO, NEWSLETTER_EXPIRY)]);
  });
});

describe('ExpireConsent', () => {
  const GRANTED_AT = '2023-05-01T12:00:00.000Z';
  const EXPIRES_AT = daysAfter(GRANTED_AT, 395);
  const expire: SubjectCommand = { type: 'ExpireConsent', subjectId: SUBJECT, purpose: 'audience-measurement' };

  it('expires a lapsed grant at the moment validity ran out, for the granted version', () => {
    spec(audience)
      .given([grant('audience-measurement', GRANTED_AT, EXPIRES_AT, 1)])
      .when(expire, NOW)
      .then([expiry('audience-measurement', EXPIRES_AT, 1)]);
  });

  it('expires exactly at expiresAt, not one millisecond before', () => {
    const given = spec(audience).given([grant('audience-measurement', GRANTED_AT, EXPIRES_AT)]);
    given.when(expire, new Date(EXPIRES_AT)).then([expiry('audience-measurement', EXPIRES_AT)]);
    given.when(expire, plusMs(new Date(EXPIRES_AT), -1)).thenNothing();
  });

  it('is idempotent: an expired grant is not expired again', () => {
    spec(audience)
      .given([grant('audience-measurement', GRANTED_AT, EXPIRES_AT), expiry('audience-measurement', EXPIRES_AT)])
      .when(expire, NOW)
      .thenNothing();
  });

  it('does nothing without a lapsed grant', () => {
    spec(audience).given([]).when(expire, NOW).thenNothing();
    spec(audience)
      .given([grant('audience-measurement', GRANTED_AT, EXPIRES_AT), withdrawal('audience-measurement', '2023-06-01T00:00:00.000Z')])
      .when(expire, NOW)
      .thenNothing();
    spec(audience)
      .given([refusal('audience-measurement', GRANTED_AT, EXPIRES_AT)])
      .when(expire, NOW)
      .thenNothing();
    spec(social)
      .given([grant('social-sharing', GRANTED_AT, null)])
      .when({ type: 'ExpireConsent', subjectId: SUBJECT, purpose: 'social-sharing' }, NOW)
      .thenNothing();
  });

  it('does nothing when a renewal replaced the lapsed grant', () => {
    spec(audience)
      .given([grant('audience-measurement', GRANTED_AT, EXPIRES_AT), grant('audience-measurement', '2024-05-01T00:00:00.000Z', daysAfter('2024-05-01T00:00:00.000Z', 395))])
      .when(expire, NOW)
      .thenNothing();
  });
});

describe('EraseSubject', () => {
  const erase: SubjectCommand = { type: 'EraseSubject', subjectId: SUBJECT };

  it('erases the subject at now', () => {
    spec().given([grant('newsletter', '2024-02-01T00:00:00.000Z', null)]).when(erase, NOW).then([erasure(NOW_ISO)]);
  });

  it('erases once', () => {
    spec().given([erasure('2024-03-01T00:00:00.000Z')]).when(erase, NOW).thenNothing();
  });
});

describe('evolveSubject', () => {
  const T1 = '2024-02-01T00:00:00.000Z';
  const T2 = '2024-03-01T00:00:00.000Z';
  const T3 = '2024-04-01T00:00:00.000Z';

  it('sets the record of each choice and counts the stream version', () => {
    const expiresAt = daysAfter(T1, 1095);
    const state = foldSubject(SUBJECT, [grant('newsletter', T1, expiresAt)]);
    expect(state).toEqual({
      subjectId: SUBJECT,
      version: 1,
      erasedAt: null,
      consents: {
        newsletter: { purpose: 'newsletter', status: 'granted', purposeVersion: 1, since: T1, expiresAt, streamVersion: 1 },
      },
    });
  });

  it.each([
    ['ConsentRefused', refusal('newsletter', T2, daysAfter(T2, 1095)), 'refused', daysAfter(T2, 1095)],
    ['ConsentWithdrawn', withdrawal('newsletter', T2), 'withdrawn', null],
    ['ConsentExpired', expiry('newsletter', T2), 'expired', T2],
    ['ObjectionRecorded', objection('newsletter', T2), 'objected', null],
    ['ObjectionLifted', objectionLifted('newsletter', T2), 'none', null],
  ] as const)('%s gives status %s', (_type, event, status, expiresAt) => {
    const state = foldSubject(SUBJECT, [grant('newsletter', T1, null), event]);
    expect(state.version).toBe(2);
    expect(state.consents.newsletter).toEqual({
      purpose: 'newsletter',
      status,
      purposeVersion: 1,
      since: T2,
      expiresAt,
      streamVersion: 2,
    });
  });

  it('records the erasure without touching what the person said', () => {
    const state = foldSubject(SUBJECT, [grant('newsletter', T1, null), erasure(T2)]);
    expect(state.erasedAt).toBe(T2);
    expect(state.version).toBe(2);
    expect(state.consents.newsletter.status).toBe('granted');
  });

  it('returns a new state and leaves the previous one untouched', () => {
    const before = foldSubject(SUBJECT, [grant('newsletter', T1, null)]);
    const snapshot = structuredClone(before);
    const after = evolveSubject(before, withdrawal('newsletter', T2));
    expect(before).toEqual(snapshot);
    expect(after).not.toBe(before);
    expect(after.consents.newsletter.status).toBe('withdrawn');
  });

  it('keeps purposes apart', () => {
    const state = foldSubject(SUBJECT, [grant('newsletter', T1, null), objection('offers-similar-services', T2)]);
    expect(state.consents.newsletter.status).toBe('granted');
    expect(state.consents['offers-similar-services'].status).toBe('objected');
  });

  it('never lets an old grant imported late override a later withdrawal', () => {
    const state = foldSubject(SUBJECT, [withdrawal('newsletter', T3), grant('newsletter', T1, null)]);
    expect(state.version).toBe(2);
    expect(state.consents.newsletter).toMatchObject({ status: 'withdrawn', since: T3, streamVersion: 1 });
  });

  it('lets a late-imported event that occurred later win', () => {
    const state = foldSubject(SUBJECT, [grant('newsletter', T1, null), withdrawal('newsletter', T3), grant('newsletter', T2, null)]);
    expect(state.consents.newsletter).toMatchObject({ status: 'withdrawn', streamVersion: 2 });
  });

  it('breaks a tie of occurredAt by stream order', () => {
    const state = foldSubject(SUBJECT, [grant('newsletter', T2, null), withdrawal('newsletter', T2)]);
    expect(state.consents.newsletter).toMatchObject({ status: 'withdrawn', streamVersion: 2 });
  });
});

describe('supersedes / recordOf', () => {
  const at = (since: string, streamVersion: number) => recordOf(withdrawal('newsletter', since), streamVersion);

  it('replaces nothing with anything', () => {
    expect(supersedes(at('2024-01-01T00:00:00.000Z', 1), undefined)).toBe(true);
  });

  it('orders by occurredAt, then stream version', () => {
    expect(supersedes(at('2024-02-01T00:00:00.000Z', 1), at('2024-01-01T00:00:00.000Z', 2))).toBe(true);
    expect(supersedes(at('2024-01-01T00:00:00.000Z', 3), at('2024-02-01T00:00:00.000Z', 2))).toBe(false);
    expect(supersedes(at('2024-01-01T00:00:00.000Z', 3), at('2024-01-01T00:00:00.000Z', 2))).toBe(true);
    expect(supersedes(at('2024-01-01T00:00:00.000Z', 2), at('2024-01-01T00:00:00.000Z', 3))).toBe(false);
  });

  it('compares instants, not strings', () => {
    expect(supersedes(at('2024-01-01T01:30:00+02:00', 1), at('2024-01-01T00:00:00.000Z', 2))).toBe(false);
  });

  it('keeps the validity of a grant or refusal, and the expiry instant of an expiry', () => {
    expect(recordOf(grant('newsletter', '2024-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', 2), 7)).toEqual({
      purpose: 'newsletter',
      status: 'granted',
      purposeVersion: 2,
      since: '2024-01-01T00:00:00.000Z',
      expiresAt: '2027-01-01T00:00:00.000Z',
      streamVersion: 7,
    });
    expect(recordOf(expiry('newsletter', '2027-01-01T00:00:00.000Z', 2), 8).expiresAt).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('subjectStateAt', () => {
  const T1 = '2024-02-01T00:00:00.000Z';
  const T2 = '2024-03-01T00:00:00.000Z';
  const T3 = '2024-04-01T00:00:00.000Z';
  const stream: SubjectEvent[] = [
    grant('newsletter', T1, null),
    withdrawal('newsletter', T3),
    // A grant collected at T2 by the legacy CRM, imported after the withdrawal.
    grant('audience-measurement', T2, daysAfter(T2, 395)),
    erasure('2024-05-01T00:00:00.000Z'),
  ];

  it('shows what held at a past instant', () => {
    const state = subjectStateAt(SUBJECT, stream, new Date('2024-03-15T00:00:00.000Z'));
    expect(state.consents.newsletter).toMatchObject({ status: 'granted', since: T1, streamVersion: 1 });
    expect(state.consents['audience-measurement']).toMatchObject({ status: 'granted', since: T2, streamVersion: 3 });
    expect(state.erasedAt).toBeNull();
  });

  it('counts every event of the stream in version, applied or not', () => {
    expect(subjectStateAt(SUBJECT, stream, new Date('2024-03-15T00:00:00.000Z')).version).toBe(4);
  });

  it('includes events that occurred exactly at the instant', () => {
    expect(subjectStateAt(SUBJECT, stream, new Date(T3)).consents.newsletter.status).toBe('withdrawn');
  });

  it('knows nothing before the first act', () => {
    expect(subjectStateAt(SUBJECT, stream, new Date('2024-01-01T00:00:00.000Z')).consents).toEqual({});
  });

  it('equals the full fold once every event has occurred', () => {
    expect(subjectStateAt(SUBJECT, stream, NOW)).toEqual(foldSubject(SUBJECT, stream));
  });
});
