import {
  decidePurpose,
  DEFAULT_VALIDITY_DAYS,
  evolvePurpose,
  foldPurpose,
  initialPurpose,
  PublishPurpose,
  PurposeCommand,
  PurposeEvent,
  PurposePublished,
} from '../src';
import { deciderSpec } from './support/given-when-then';
import { LAUNCH, NEWSLETTER_V1, NOW, published, retired } from './support/fixtures';

const spec = deciderSpec<ReturnType<typeof foldPurpose>, PurposeCommand, PurposeEvent>(decidePurpose, foldPurpose);

const publishNewsletter = (overrides: Partial<PublishPurpose> = {}): PublishPurpose => ({
  type: 'PublishPurpose',
  purposeId: 'newsletter',
  title: { fr: "Lettre d'information", en: 'Newsletter' },
  description: {
    fr: 'Vous adresser une newsletter ainsi que des offres commerciales sur nos services.',
    en: 'Send you a newsletter and commercial offers about our services.',
  },
  legalBasis: 'consent',
  validityDays: 1095,
  ...overrides,
});

/** The PurposePublished expected for newsletter at NOW: version 2 unless told. */
const publishedNow = (fields: Partial<PurposePublished> = {}): PurposePublished => ({
  ...NEWSLETTER_V1,
  version: 2,
  occurredAt: NOW.toISOString(),
  ...fields,
});

describe('PublishPurpose', () => {
  it('publishes the first version as version 1 at now', () => {
    spec.given([]).when(publishNewsletter(), NOW).then([publishedNow({ version: 1 })]);
  });

  it('defaults validity to the CNIL 13 months (395 days)', () => {
    spec
      .given([])
      .when(publishNewsletter({ validityDays: undefined }), NOW)
      .then([publishedNow({ version: 1, validityDays: DEFAULT_VALIDITY_DAYS })]);
    expect(DEFAULT_VALIDITY_DAYS).toBe(395);
  });

  it('keeps null validity: the consent never expires', () => {
    spec
      .given([])
      .when(publishNewsletter({ validityDays: null }), NOW)
      .then([publishedNow({ version: 1, validityDays: null })]);
  });

  it.each([0, -1, 36_501, 1.5, Number.NaN])('rejects validityDays %p', (validityDays) => {
    spec.given([]).when(publishNewsletter({ validityDays }), NOW).thenError('invalid_validity_days', 'validityDays');
  });

  it.each([1, 36_500])('accepts validityDays %p', (validityDays) => {
    spec
      .given([])
      .when(publishNewsletter({ validityDays }), NOW)
      .then([publishedNow({ version: 1, validityDays })]);
  });

  it('publishes a changed body as current + 1, with the materialChange the caller gave', () => {
    const description = { fr: 'Une lettre mensuelle et nos offres partenaires.', en: 'A monthly letter and partner offers.' };
    spec
      .given([NEWSLETTER_V1])
      .when(publishNewsletter({ description, materialChange: true }), NOW)
      .then([publishedNow({ description, materialChange: true })]);
    spec
      .given([NEWSLETTER_V1])
      .when(publishNewsletter({ description }), NOW)
      .then([publishedNow({ description, materialChange: false })]);
  });

  it('treats a change of validity alone as a new version', () => {
    spec
      .given([NEWSLETTER_V1])
      .when(publishNewsletter({ validityDays: 395 }), NOW)
      .then([publishedNow({ validityDays: 395 })]);
  });

  it('is a no-op for a body identical to the current version, whatever materialChange says', () => {
    spec.given([NEWSLETTER_V1]).when(publishNewsletter(), NOW).thenNothing();
    spec.given([NEWSLETTER_V1]).when(publishNewsletter({ materialChange: true }), NOW).thenNothing();
  });

  it('compares localized texts regardless of key order', () => {
    const { fr, en } = publishNewsletter().title as Record<string, string>;
    spec.given([NEWSLETTER_V1]).when(publishNewsletter({ title: { en, fr } }), NOW).thenNothing();
  });

  it('compares the effective validity: an omitted validity equals an explicit 395', () => {
    const v1 = published('audience-measurement', { legalBasis: 'consent', validityDays: 395, title: 't', description: 'd' });
    spec
      .given([v1])
      .when(
        { type: 'PublishPurpose', purposeId: 'audience-measurement', title: 't', description: 'd', legalBasis: 'consent' },
        NOW,
      )
      .thenNothing();
  });

  it('compares with the latest version, not the first', () => {
    const v2 = publishedNow({ title: 'Newsletter v2' });
    spec.given([NEWSLETTER_V1, v2]).when(publishNewsletter({ title: 'Newsletter v2' }), NOW).thenNothing();
    spec
      .given([NEWSLETTER_V1, v2])
      .when(publishNewsletter(), NOW)
      .then([publishedNow({ version: 3 })]);
  });

  it('forces materialChange when the legal basis changes', () => {
    spec
      .given([NEWSLETTER_V1])
      .when(publishNewsletter({ legalBasis: 'legitimate_interest', materialChange: false }), NOW)
      .then([publishedNow({ legalBasis: 'legitimate_interest', materialChange: true })]);
  });

  it('refuses to publish on a retired purpose and says to use a new purposeId', () => {
    const error = spec
      .given([NEWSLETTER_V1, retired('newsletter', LAUNCH.toISOString())])
      .when(publishNewsletter({ title: 'Newsletter relaunched' }), NOW)
      .thenError('purpose_retired');
    expect(error.message).toMatch(/new purposeId/);
  });

  it('refuses even an identical body on a retired purpose', () => {
    spec
      .given([NEWSLETTER_V1, retired('newsletter', LAUNCH.toISOString())])
      .when(publishNewsletter(), NOW)
      .thenError('purpose_retired');
  });
});

describe('RetirePurpose', () => {
  const retire: PurposeCommand = { type: 'RetirePurpose', purposeId: 'newsletter' };

  it('retires a published purpose at now', () => {
    spec.given([NEWSLETTER_V1]).when(retire, NOW).then([retired('newsletter', NOW.toISOString())]);
  });

  it('reports an unknown purpose', () => {
    spec.given([]).when(retire, NOW).thenError('purpose_not_found');
  });

  it('is idempotent', () => {
    spec.given([NEWSLETTER_V1, retired('newsletter', LAUNCH.toISOString())]).when(retire, NOW).thenNothing();
  });
});

describe('evolvePurpose', () => {
  it('starts from no purpose', () => {
    expect(initialPurpose()).toBeNull();
    expect(foldPurpose([])).toBeNull();
  });

  it('appends versions oldest first, publishedAt being the event time', () => {
    const v2 = publishedNow({ title: 'v2', materialChange: true });
    expect(foldPurpose([NEWSLETTER_V1, v2])).toEqual({
      purposeId: 'newsletter',
      retiredAt: null,
      versions: [
        {
          version: 1,
          title: NEWSLETTER_V1.title,
          description: NEWSLETTER_V1.description,
          legalBasis: 'consent',
          validityDays: 1095,
          materialChange: false,
          publishedAt: LAUNCH.toISOString(),
        },
        {
          version: 2,
          title: 'v2',
          description: NEWSLETTER_V1.description,
          legalBasis: 'consent',
          validityDays: 1095,
          materialChange: true,
          publishedAt: NOW.toISOString(),
        },
      ],
    });
  });

  it('records the retirement without mutating the previous state', () => {
    const before = foldPurpose([NEWSLETTER_V1]);
    const after = evolvePurpose(before, retired('newsletter', NOW.toISOString()));
    expect(after.retiredAt).toBe(NOW.toISOString());
    expect(before?.retiredAt).toBeNull();
  });
});
