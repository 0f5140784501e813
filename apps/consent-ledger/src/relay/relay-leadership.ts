import { Logger } from '@nestjs/common';
import { LeaderLock } from './leader-lock';

export type RelayRole = 'starting' | 'active' | 'standby' | 'stopped';

export interface LeadershipHooks {
  /** This instance just became the active relay (load the checkpoint). */
  acquired(): Promise<void>;
  /** This instance was active and lost the lock (its database session ended). */
  lost(): Promise<void>;
}

/**
 * Whether this instance is the active relay, and the transitions between active and standby, on top
 * of the session advisory lock (LeaderLock) that elects one relay across processes.
 */
export class RelayLeadership {
  private current: RelayRole = 'starting';

  constructor(
    private readonly lock: LeaderLock,
    private readonly hooks: LeadershipHooks,
    private readonly logger: Logger,
  ) {}

  get role(): RelayRole {
    return this.current;
  }

  /** Whether this instance is the active relay, taking the lock when it is free. */
  async lead(): Promise<boolean> {
    if (this.lock.isHeld) return true;
    if (this.current === 'active') {
      this.logger.warn('relay lock lost (its database session ended): standing by');
      this.current = 'standby';
      await this.hooks.lost();
    }
    if (!(await this.lock.tryAcquire())) {
      this.current = 'standby';
      return false;
    }
    await this.hooks.acquired();
    this.current = 'active';
    return true;
  }

  /** Ends the lock's session, which hands leadership to another instance. */
  async resign(): Promise<void> {
    await this.lock.release();
    this.current = 'stopped';
  }
}
