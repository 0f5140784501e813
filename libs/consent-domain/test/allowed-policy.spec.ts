import { consentEntry, ConsentEntry, Purpose, purposeAsOf, SubjectEvent, subjectStateAt } from '../src';
import {
  accounting,
  audience,
  daysAfter,
  emergency,
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
  ORDERS_V1,
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

/** given the subject's events, the entry a caller gets for `p` at `at`. */
const entry = (p: Purpose, events: SubjectEvent[], at: Date = NOW): ConsentEntry => {
  const state = subjectStateAt(SUBJECT, events, at);
  return consentEntry(state.consents[p.purposeId], p, at, state.erasedAt);
};

const GRANTED_AT = '2024-02-01T08:00:00.000Z';
const NEWSLETTER_EXPIRY = daysAfter(GRANTED_AT, 1095);

describe('consent basis', () => {
  it('denies when the person never decided', () => {
    expect(entry(newsletter, [])).toEqual({
      purpose: 'newsletter',
      purposeVersion: null,
      currentPurposeVersion: 1,
      legalBasis: 'consent',
      status: 'none',
      allowed: false,
      reason: 'no_consent',
      since: null,
      expiresAt: null,
      reconsentRequired: false,
    });
  });

  it('allows a live grant', () => {
    expect(entry(newsletter, [grant('newsletter', GRANTED_AT, NEWSLETTER_EXPIRY)])).toEqual({
      purpose: 'newsletter',
      purposeVersion: 1,
      currentPurposeVersion: 1,
      legalBasis: 'consent',
      status: 'granted',
      allowed: true,
      reason: 'consent_granted',
      since: GRANTED_AT,
      expiresAt: NEWSLETTER_EXPIRY,
      reconsentRequired: false,
    });
  });

  it('denies a refusal and a withdrawal', () => {
    expect(entry(newsletter, [refusal('newsletter', GRANTED_AT, NEWSLETTER_EXPIRY)])).toMatchObject({
      status: 'refused',
      allowed: false,
      reason: 'consent_refused',
    });
    const withdrawn = entry(newsletter, [
      grant('newsletter', GRANTED_AT, NEWSLETTER_EXPIRY),
      withdrawal('newsletter', '2024-04-01T00:00:00.000Z'),
    ]);
    expect(withdrawn).toMatchObject({ status: 'withdrawn', allowed: false, reason: 'consent_withdrawn', expiresAt: null });
  });

  describe('expiry', () => {
    const grantedAt = '2023-05-01T12:00:00.000Z';
    const expiresAt = daysAfter(grantedAt, 395);
    const events = [grant('audience-measurement', grantedAt, expiresAt)];

    it('allows one millisecond before validityDays have passed, and expires at that instant', () => {
      expect(entry(audience, events, plusMs(new Date(expiresAt), -1))).toMatchObject({ status: 'granted', allowed: true });
      expect(entry(audience, events, new Date(expiresAt))).toMatchObject({
        status: 'expired',
        allowed: false,
        reason: 'consent_expired',
        expiresAt,
      });
    });

    it('expires at read time, before the ConsentExpired event is written', () => {
      expect(entry(audience, events)).toMatchObject({ status: 'expired', allowed: false, reason: 'consent_expired' });
    });

    it('shows the written ConsentExpired the same way', () => {
      expect(entry(audience, [...events, expiry('audience-measurement', expiresAt)])).toMatchObject({
        status: 'expired',
        allowed: false,
        reason: 'consent_expired',
        since: expiresAt,
      });
    });

    it('expires a refusal too, leaving the person free to be asked again', () => {
      expect(entry(audience, [refusal('audience-measurement', grantedAt, expiresAt)])).toMatchObject({
        status: 'expired',
        reason: 'consent_expired',
        allowed: false,
      });
      expect(entry(audience, [refusal('audience-measurement', grantedAt, expiresAt)], new Date(grantedAt))).toMatchObject({
        status: 'refused',
        reason: 'consent_refused',
      });
    });

    it('never expires under a null validity', () => {
      const fiftyYearsOn = new Date('2074-01-01T00:00:00.000Z');
      expect(entry(social, [grant('social-sharing', GRANTED_AT, null)], fiftyYearsOn)).toMatchObject({
        status: 'granted',
        allowed: true,
        expiresAt: null,
      });
    });
  });

  describe('material change', () => {
    const V2_AT = '2024-05-01T00:00:00.000Z';
    const material = purpose(
      NEWSLETTER_V1,
      published('newsletter', { version: 2, legalBasis: 'consent', validityDays: 1095, materialChange: true, occurredAt: V2_AT }),
    );
    const grantedV1 = grant('newsletter', GRANTED_AT, NEWSLETTER_EXPIRY, 1);

    it('requires re-consent of a grant of an earlier version', () => {
      expect(entry(material, [grantedV1])).toMatchObject({
        status: 'granted',
        purposeVersion: 1,
        currentPurposeVersion: 2,
        allowed: false,
        reason: 'reconsent_required',
        reconsentRequired: true,
      });
    });

    it('does not reach back before the new version was published', () => {
      expect(entry(material, [grantedV1], new Date('2024-04-30T23:59:59.999Z'))).toMatchObject({
        currentPurposeVersion: 1,
        allowed: true,
        reconsentRequired: false,
      });
    });

    it('is restored by a grant of the new version', () => {
      const regrantAt = '2024-05-10T00:00:00.000Z';
      expect(entry(material, [grantedV1, grant('newsletter', regrantAt, daysAfter(regrantAt, 1095), 2)])).toMatchObject({
        status: 'granted',
        purposeVersion: 2,
        currentPurposeVersion: 2,
        allowed: true,
        reason: 'consent_granted',
        reconsentRequired: false,
        since: regrantAt,
      });
    });

    it('applies to a grant shown a cached earlier version after the change', () => {
      expect(entry(material, [grant('newsletter', '2024-05-02T00:00:00.000Z', null, 1)])).toMatchObject({
        allowed: false,
        reconsentRequired: true,
      });
    });

    it('is only required for a live grant', () => {
      expect(entry(material, [refusal('newsletter', GRANTED_AT, NEWSLETTER_EXPIRY, 1)])).toMatchObject({
        reconsentRequired: false,
        reason: 'consent_refused',
      });
    });

    it('leaves a grant valid across a non-material version', () => {
      const minor = purpose(
        NEWSLETTER_V1,
        published('newsletter', { version: 2, legalBasis: 'consent', validityDays: 1095, occurredAt: V2_AT, title: 'Typo fixed' }),
      );
      expect(entry(minor, [grantedV1])).toMatchObject({ currentPurposeVersion: 2, allowed: true, reconsentRequired: false });
    });
  });

  it('resolves a legacy consent dated before the first publication against the first version', () => {
    const legacyAt = '2019-03-01T08:15:00.000Z';
    const beforeLaunch = new Date('2020-01-01T00:00:00.000Z');
    expect(beforeLaunch.getTime()).toBeLessThan(LAUNCH.getTime());
    expect(entry(newsletter, [grant('newsletter', legacyAt, daysAfter(legacyAt, 1095))], beforeLaunch)).toMatchObject({
      currentPurposeVersion: 1,
      legalBasis: 'consent',
      status: 'granted',
      allowed: true,
    });
  });
});

describe('other legal bases', () => {
  it('allows legitimate interest by default, denies it on objection, allows it again once lifted', () => {
    expect(entry(offers, [])).toMatchObject({
      status: 'none',
      allowed: true,
      reason: 'legitimate_interest',
      legalBasis: 'legitimate_interest',
    });
    const objected = [objection('offers-similar-services', '2024-03-01T00:00:00.000Z')];
    expect(entry(offers, objected)).toMatchObject({ status: 'objected', allowed: false, reason: 'objected' });
    expect(entry(offers, [...objected, objectionLifted('offers-similar-services', '2024-04-01T00:00:00.000Z')])).toMatchObject({
      status: 'none',
      allowed: true,
      reason: 'legitimate_interest',
      since: '2024-04-01T00:00:00.000Z',
    });
  });

  it('allows a public task unless objected', () => {
    expect(entry(school, [])).toMatchObject({ allowed: true, reason: 'public_task' });
    expect(entry(school, [objection('school-registration', GRANTED_AT)])).toMatchObject({ allowed: false, reason: 'objected' });
  });

  it.each([
    [orders, 'contract'],
    [accounting, 'legal_obligation'],
    [emergency, 'vital_interest'],
  ] as const)('allows %#: %s', (p, basis) => {
    expect(entry(p, [])).toMatchObject({ status: 'none', legalBasis: basis, allowed: true, reason: basis });
  });

  it('follows the basis of the current version after a basis change', () => {
    const toConsent = purpose(
      OFFERS_V1,
      published('offers-similar-services', { version: 2, legalBasis: 'consent', validityDays: 1095, materialChange: true }),
    );
    expect(entry(toConsent, [])).toMatchObject({ legalBasis: 'consent', allowed: false, reason: 'no_consent' });
  });
});

describe('erased subject', () => {
  const ERASED_AT = '2024-05-01T00:00:00.000Z';

  it('allows nothing resting on consent', () => {
    const events = [grant('newsletter', GRANTED_AT, NEWSLETTER_EXPIRY), erasure(ERASED_AT)];
    expect(entry(newsletter, events)).toMatchObject({ status: 'granted', allowed: false, reason: 'subject_erased' });
    expect(entry(newsletter, events, new Date('2024-04-30T00:00:00.000Z'))).toMatchObject({ allowed: true });
  });

  it('allows nothing resting on legitimate interest', () => {
    expect(entry(offers, [erasure(ERASED_AT)])).toMatchObject({ allowed: false, reason: 'subject_erased' });
  });

  it('denies a public task the person objected to, and keeps the others', () => {
    expect(entry(school, [objection('school-registration', GRANTED_AT), erasure(ERASED_AT)])).toMatchObject({
      allowed: false,
      reason: 'subject_erased',
    });
    expect(entry(school, [erasure(ERASED_AT)])).toMatchObject({ allowed: true, reason: 'public_task' });
  });

  it('keeps what a contract, a legal obligation or a vital interest requires', () => {
    expect(entry(orders, [erasure(ERASED_AT)])).toMatchObject({ allowed: true, reason: 'contract' });
    expect(entry(accounting, [erasure(ERASED_AT)])).toMatchObject({ allowed: true, reason: 'legal_obligation' });
    expect(entry(emergency, [erasure(ERASED_AT)])).toMatchObject({ allowed: true, reason: 'vital_interest' });
  });
});

describe('retired purpose', () => {
  const RETIRED_AT = '2024-05-01T00:00:00.000Z';
  const retiredNewsletter = purpose(NEWSLETTER_V1, retired('newsletter', RETIRED_AT));

  it('allows nothing, while the status still shows what the person said', () => {
    expect(entry(retiredNewsletter, [grant('newsletter', GRANTED_AT, NEWSLETTER_EXPIRY)])).toMatchObject({
      status: 'granted',
      allowed: false,
      reason: 'purpose_retired',
    });
    const retiredOrders = purpose(ORDERS_V1, retired('order-processing', RETIRED_AT));
    expect(entry(retiredOrders, [])).toMatchObject({ allowed: false, reason: 'purpose_retired' });
  });

  it('allowed what it allowed before the retirement', () => {
    expect(
      entry(retiredNewsletter, [grant('newsletter', GRANTED_AT, NEWSLETTER_EXPIRY)], new Date('2024-04-30T00:00:00.000Z')),
    ).toMatchObject({ allowed: true, reason: 'consent_granted' });
  });
});

describe('purposeAsOf', () => {
  const v2 = published('newsletter', { version: 2, legalBasis: 'consent', validityDays: 1095, occurredAt: '2024-05-01T00:00:00.000Z' });
  const twoVersions = purpose(NEWSLETTER_V1, v2);

  it('keeps the versions published at or before the instant', () => {
    expect(purposeAsOf(twoVersions, NOW).map((v) => v.version)).toEqual([1, 2]);
    expect(purposeAsOf(twoVersions, new Date('2024-05-01T00:00:00.000Z')).map((v) => v.version)).toEqual([1, 2]);
    expect(purposeAsOf(twoVersions, new Date('2024-04-30T23:59:59.999Z')).map((v) => v.version)).toEqual([1]);
  });

  it('falls back to the first version before the first publication', () => {
    expect(purposeAsOf(twoVersions, new Date('2019-01-01T00:00:00.000Z')).map((v) => v.version)).toEqual([1]);
  });
});
