import { subjectStreamId } from '@consent-ledger/domain';
import { EventStore, StoredEventWithPersonal } from '@consent-ledger/ledger-store';

/** Events read per round trip: a page of decrypted events is a few hundred kB at most. */
const PAGE = 1_000;

/**
 * A subject's events in stream order, one page in memory at a time (keyset paging on stream_version),
 * up to `untilVersion`: an export describes the stream as it was when it started.
 */
export async function* subjectEventPages(
  store: EventStore,
  subjectId: string,
  untilVersion: number,
  purpose?: string,
): AsyncGenerator<StoredEventWithPersonal[]> {
  let after = 0;
  while (after < untilVersion) {
    const page = (await store.readStream(subjectStreamId(subjectId), { after, limit: PAGE, purpose }))
      .filter((event) => event.streamVersion <= untilVersion);
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1]!.streamVersion;
    if (page.length < PAGE) return;
  }
}
