import { ApiKey } from '../protocol/api-key';
import { ErrorCode } from '../protocol/error-code';
import { Writer } from '../protocol/writer';
import { ApiHandler } from './api-handler';

/** LeaveGroup v0: the member goes and the others rebalance without waiting for its session to expire. */
export const leaveGroup: ApiHandler = {
  apiKey: ApiKey.LeaveGroup,
  version: 0,
  handle(request, { services }) {
    const groupId = request.string();
    const memberId = request.string();
    const errorCode = services.groups.find(groupId)?.leave(memberId) ?? ErrorCode.UnknownMemberId;
    return new Writer().int16(errorCode);
  },
};
