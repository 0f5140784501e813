import { ApiKey } from '../protocol/api-key';
import { ErrorCode } from '../protocol/error-code';
import { Writer } from '../protocol/writer';
import { ApiHandler } from './api-handler';

/** SyncGroup v0: the leader hands in every member's assignment; followers wait for it. */
export const syncGroup: ApiHandler = {
  apiKey: ApiKey.SyncGroup,
  version: 0,
  async handle(request, { services }) {
    const groupId = request.string();
    const generationId = request.int32();
    const memberId = request.string();
    const assignments = new Map(
      request.array((assignment) => [assignment.string(), Buffer.from(assignment.nullableBytes() ?? [])] as const),
    );

    const group = services.groups.find(groupId);
    const result = group
      ? await group.sync(memberId, generationId, assignments)
      : { errorCode: ErrorCode.UnknownMemberId, assignment: Buffer.alloc(0) };
    return new Writer().int16(result.errorCode).bytes(result.assignment);
  },
};
