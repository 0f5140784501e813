import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/error-code';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

export interface GroupProtocol {
  readonly name: string;
  /** Opaque to the broker: the client's subscription, interpreted only by the group leader. */
  readonly metadata: Buffer;
}

export interface JoinRequest {
  /** Empty for a member joining for the first time. */
  readonly memberId: string;
  readonly clientId: string;
  readonly clientHost: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly GroupProtocol[];
}

export interface MemberMetadata {
  readonly memberId: string;
  readonly metadata: Buffer;
}

export interface JoinResult {
  readonly errorCode: ErrorCode;
  readonly generationId: number;
  readonly protocolName: string;
  readonly leaderId: string;
  readonly memberId: string;
  /** Only the leader receives the members, each with its metadata for the chosen protocol. */
  readonly members: readonly MemberMetadata[];
}

export interface SyncResult {
  readonly errorCode: ErrorCode;
  /** Opaque to the broker; empty rather than null for a member given nothing, since kafkajs cannot decode null. */
  readonly assignment: Buffer;
}

export interface MemberDescription extends MemberMetadata {
  readonly clientId: string;
  readonly clientHost: string;
  readonly assignment: Buffer;
}

export interface GroupDescription {
  readonly state: GroupState;
  readonly protocolType: string;
  readonly protocolName: string;
  readonly members: readonly MemberDescription[];
}

/** The responses a member can be kept waiting for: JoinGroup until the rebalance completes, SyncGroup until the leader's assignments. */
interface HeldResults {
  readonly awaitingJoin: JoinResult;
  readonly awaitingSync: SyncResult;
}

type HeldResponses = { -readonly [K in keyof HeldResults]: ((result: HeldResults[K]) => void) | null };

interface Member extends HeldResponses {
  readonly memberId: string;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: readonly GroupProtocol[];
  assignment: Buffer;
  lastHeartbeat: number;
}

const NO_BYTES = Buffer.alloc(0);

/**
 * The group membership protocol of Kafka's GroupCoordinator, for one group:
 * Empty → PreparingRebalance (collect JoinGroups) → CompletingRebalance (await the leader's SyncGroup) → Stable.
 */
export class ConsumerGroup {
  private state: GroupState = 'Empty';
  private generationId = 0;
  private protocolType = '';
  private protocolName = '';
  private leaderId = '';
  private readonly members = new Map<string, Member>();
  private rebalanceTimer: NodeJS.Timeout | null = null;

  join(request: JoinRequest): Promise<JoinResult> {
    if (!this.supportsProtocols(request)) return Promise.resolve(joinError(ErrorCode.InconsistentGroupProtocol, request.memberId));
    const member = request.memberId === '' ? this.addMember(request) : this.members.get(request.memberId);
    if (!member) return Promise.resolve(joinError(ErrorCode.UnknownMemberId, request.memberId));
    Object.assign(member, memberSettings(request));
    this.protocolType = request.protocolType;

    return new Promise((resolve) => {
      // A member that sends JoinGroup again (e.g. from a new connection) supersedes its earlier request.
      answer(member, 'awaitingJoin', joinError(ErrorCode.RebalanceInProgress, member.memberId));
      member.awaitingJoin = resolve;
      if (this.state === 'PreparingRebalance') this.completeJoinIfAllRejoined();
      else this.prepareRebalance();
    });
  }

  sync(memberId: string, generationId: number, assignments: ReadonlyMap<string, Buffer>): Promise<SyncResult> {
    const member = this.checkMember(memberId, generationId);
    if (typeof member === 'number') return Promise.resolve({ errorCode: member, assignment: NO_BYTES });
    if (this.state === 'PreparingRebalance') return Promise.resolve({ errorCode: ErrorCode.RebalanceInProgress, assignment: NO_BYTES });
    if (this.state === 'Stable') return Promise.resolve({ errorCode: ErrorCode.None, assignment: member.assignment });

    return new Promise((resolve) => {
      answer(member, 'awaitingSync', { errorCode: ErrorCode.RebalanceInProgress, assignment: NO_BYTES });
      member.awaitingSync = resolve;
      if (memberId !== this.leaderId) return;
      this.state = 'Stable';
      for (const each of this.members.values()) {
        each.assignment = assignments.get(each.memberId) ?? NO_BYTES;
        answer(each, 'awaitingSync', { errorCode: ErrorCode.None, assignment: each.assignment });
      }
    });
  }

  heartbeat(memberId: string, generationId: number): ErrorCode {
    const member = this.checkMember(memberId, generationId);
    if (typeof member === 'number') return member;
    member.lastHeartbeat = Date.now();
    return this.state === 'PreparingRebalance' ? ErrorCode.RebalanceInProgress : ErrorCode.None;
  }

  leave(memberId: string): ErrorCode {
    const member = this.members.get(memberId);
    if (!member) return ErrorCode.UnknownMemberId;
    this.removeMember(member);
    return ErrorCode.None;
  }

  /**
   * Commits are accepted while a rebalance is being prepared: kafkajs commits what it processed right
   * before rejoining, and refusing that commit makes the next owner consume those messages again.
   */
  validateCommit(memberId: string, generationId: number): ErrorCode {
    // A group used only to store offsets (admin tools, manual commits) has no members or generation.
    if (generationId < 0 && memberId === '' && this.state === 'Empty') return ErrorCode.None;
    const member = this.checkMember(memberId, generationId);
    if (typeof member === 'number') return member;
    if (this.state === 'CompletingRebalance') return ErrorCode.RebalanceInProgress;
    member.lastHeartbeat = Date.now();
    return ErrorCode.None;
  }

  /** Removes members silent for longer than their session timeout; those waiting on a response are not silent. */
  expireSessions(now: number): void {
    for (const member of this.members.values()) {
      const waiting = member.awaitingJoin !== null || member.awaitingSync !== null;
      if (!waiting && now - member.lastHeartbeat > member.sessionTimeoutMs) this.removeMember(member);
    }
  }

  describe(): GroupDescription {
    return {
      state: this.state,
      protocolType: this.protocolType,
      protocolName: this.protocolName,
      members: [...this.members.values()].map((member) => ({
        memberId: member.memberId,
        clientId: member.clientId,
        clientHost: member.clientHost,
        metadata: this.chosenMetadata(member),
        assignment: member.assignment,
      })),
    };
  }

  /** While the broker is down: the held responses' connections are gone, and no timer may fire. */
  suspend(): void {
    this.clearRebalanceTimer();
    for (const member of this.members.values()) {
      answer(member, 'awaitingJoin', joinError(ErrorCode.RebalanceInProgress, member.memberId));
      answer(member, 'awaitingSync', { errorCode: ErrorCode.RebalanceInProgress, assignment: NO_BYTES });
    }
  }

  /** Back up: the downtime does not count against anyone's session. */
  resume(now: number): void {
    for (const member of this.members.values()) member.lastHeartbeat = now;
    if (this.state === 'PreparingRebalance') this.armRebalanceTimer();
  }

  private addMember(request: JoinRequest): Member {
    const member: Member = {
      memberId: `${request.clientId}-${randomUUID()}`,
      ...memberSettings(request),
      assignment: NO_BYTES,
      lastHeartbeat: Date.now(),
      awaitingJoin: null,
      awaitingSync: null,
    };
    this.members.set(member.memberId, member);
    return member;
  }

  private removeMember(member: Member): void {
    answer(member, 'awaitingJoin', joinError(ErrorCode.UnknownMemberId, member.memberId));
    answer(member, 'awaitingSync', { errorCode: ErrorCode.UnknownMemberId, assignment: NO_BYTES });
    this.members.delete(member.memberId);
    if (this.state === 'PreparingRebalance') this.completeJoinIfAllRejoined();
    else if (this.state !== 'Empty') this.prepareRebalance();
  }

  private checkMember(memberId: string, generationId: number): Member | ErrorCode {
    const member = this.members.get(memberId);
    if (!member) return ErrorCode.UnknownMemberId;
    if (generationId !== this.generationId) return ErrorCode.IllegalGeneration;
    return member;
  }

  private supportsProtocols(request: JoinRequest): boolean {
    if (request.protocols.length === 0) return false;
    const others = [...this.members.values()].filter((member) => member.memberId !== request.memberId);
    if (others.length === 0) return true;
    return (
      request.protocolType === this.protocolType &&
      request.protocols.some(({ name }) => others.every((member) => supports(member, name)))
    );
  }

  private prepareRebalance(): void {
    for (const member of this.members.values()) {
      answer(member, 'awaitingSync', { errorCode: ErrorCode.RebalanceInProgress, assignment: NO_BYTES });
    }
    this.state = 'PreparingRebalance';
    this.armRebalanceTimer();
    this.completeJoinIfAllRejoined();
  }

  private armRebalanceTimer(): void {
    this.clearRebalanceTimer();
    const timeoutMs = Math.max(0, ...[...this.members.values()].map((member) => member.rebalanceTimeoutMs));
    this.rebalanceTimer = setTimeout(() => this.completeJoin(), timeoutMs);
    this.rebalanceTimer.unref();
  }

  private clearRebalanceTimer(): void {
    if (this.rebalanceTimer !== null) clearTimeout(this.rebalanceTimer);
    this.rebalanceTimer = null;
  }

  private completeJoinIfAllRejoined(): void {
    if ([...this.members.values()].every((member) => member.awaitingJoin !== null)) this.completeJoin();
  }

  /** Ends the join phase: members that did not rejoin in time are dropped, as in Kafka. */
  private completeJoin(): void {
    this.clearRebalanceTimer();
    for (const member of this.members.values()) {
      if (member.awaitingJoin === null) this.members.delete(member.memberId);
    }
    this.generationId++;
    if (this.members.size === 0) {
      this.state = 'Empty';
      this.protocolType = this.protocolName = this.leaderId = '';
      return;
    }
    if (!this.members.has(this.leaderId)) this.leaderId = this.members.keys().next().value ?? '';
    this.protocolName = this.chooseProtocol();
    this.state = 'CompletingRebalance';

    const everyone = [...this.members.values()].map((member) => ({ memberId: member.memberId, metadata: this.chosenMetadata(member) }));
    for (const member of this.members.values()) {
      member.assignment = NO_BYTES;
      answer(member, 'awaitingJoin', {
        errorCode: ErrorCode.None,
        generationId: this.generationId,
        protocolName: this.protocolName,
        leaderId: this.leaderId,
        memberId: member.memberId,
        members: member.memberId === this.leaderId ? everyone : [],
      });
    }
  }

  /** The leader's most preferred protocol that every member supports; supportsProtocols guarantees one exists. */
  private chooseProtocol(): string {
    const members = [...this.members.values()];
    const leader = this.members.get(this.leaderId) ?? members[0];
    const common = leader.protocols.find(({ name }) => members.every((member) => supports(member, name)));
    return (common ?? leader.protocols[0]).name;
  }

  private chosenMetadata(member: Member): Buffer {
    return member.protocols.find(({ name }) => name === this.protocolName)?.metadata ?? NO_BYTES;
  }
}

function memberSettings(request: JoinRequest): Pick<Member, 'clientId' | 'clientHost' | 'sessionTimeoutMs' | 'rebalanceTimeoutMs' | 'protocols'> {
  const { clientId, clientHost, sessionTimeoutMs, rebalanceTimeoutMs, protocols } = request;
  return { clientId, clientHost, sessionTimeoutMs, rebalanceTimeoutMs, protocols };
}

function supports(member: Member, protocolName: string): boolean {
  return member.protocols.some(({ name }) => name === protocolName);
}

function joinError(errorCode: ErrorCode, memberId: string): JoinResult {
  return { errorCode, generationId: -1, protocolName: '', leaderId: '', memberId, members: [] };
}

/** Answers a held response, if any. A member that was kept waiting starts its session afresh. */
function answer<K extends keyof HeldResults>(member: Member, held: K, result: HeldResults[K]): void {
  const responses: HeldResponses = member;
  const respond = responses[held];
  if (respond === null) return;
  responses[held] = null;
  member.lastHeartbeat = Date.now();
  respond(result);
}
