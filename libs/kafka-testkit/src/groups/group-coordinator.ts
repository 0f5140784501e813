import { ConsumerGroup } from './consumer-group';

/** Short enough for tests that use session timeouts of a few hundred milliseconds. */
const SESSION_SWEEP_INTERVAL_MS = 25;

/** Every consumer group of the broker, and the sweep that expires silent members. */
export class GroupCoordinator {
  private readonly groups = new Map<string, ConsumerGroup>();
  private sweepTimer: NodeJS.Timeout | null = null;

  find(groupId: string): ConsumerGroup | undefined {
    return this.groups.get(groupId);
  }

  findOrCreate(groupId: string): ConsumerGroup {
    let group = this.groups.get(groupId);
    if (!group) this.groups.set(groupId, (group = new ConsumerGroup()));
    return group;
  }

  resume(): void {
    const now = Date.now();
    for (const group of this.groups.values()) group.resume(now);
    this.sweepTimer = setInterval(() => {
      const sweepTime = Date.now();
      for (const group of this.groups.values()) group.expireSessions(sweepTime);
    }, SESSION_SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
  }

  suspend(): void {
    if (this.sweepTimer !== null) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    for (const group of this.groups.values()) group.suspend();
  }
}
