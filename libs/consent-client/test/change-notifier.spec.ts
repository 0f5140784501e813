import { ChangeNotifier } from '../src/change-notifier';
import { ConsentChange } from '../src/consent-change';

const change: ConsentChange = { subjectId: 'alice', purpose: 'newsletter', allowed: false, status: 'withdrawn', eventId: 'e1' };

describe('ChangeNotifier', () => {
  it('calls every listener, survives a failing one, and lets settled() wait for slow ones', async () => {
    const errors: unknown[] = [];
    const notifier = new ChangeNotifier({ info: () => undefined, warn: () => undefined, error: (bindings) => errors.push(bindings) });
    const seen: ConsentChange[] = [];
    let finishSlow: () => void = () => undefined;
    let slowDone = false;
    notifier.add(() => {
      throw new Error('listener bug');
    });
    notifier.add(() => new Promise<void>((resolve) => (finishSlow = resolve)).then(() => void (slowDone = true)));
    notifier.add((received) => void seen.push(received));

    notifier.notify(change);
    const settled = notifier.settled();
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([change]);
    expect(errors).toHaveLength(1);
    expect(slowDone).toBe(false);

    finishSlow();
    await settled;
    expect(slowDone).toBe(true);
  });

  it('stops calling a listener once it is removed', async () => {
    const notifier = new ChangeNotifier({ info: () => undefined, warn: () => undefined, error: () => undefined });
    const seen: ConsentChange[] = [];
    const remove = notifier.add((received) => void seen.push(received));

    notifier.notify(change);
    remove();
    notifier.notify(change);
    await notifier.settled();

    expect(seen).toHaveLength(1);
  });
});
