import { ApiKey } from '../protocol/api-key';
import { ErrorCode } from '../protocol/error-code';
import { Writer } from '../protocol/writer';
import { ApiHandler } from './api-handler';

/** Heartbeat v0: keeps the session alive and tells the member when it must rejoin (error 27). */
export const heartbeat: ApiHandler = {
  apiKey: ApiKey.Heartbeat,
  version: 0,
  handle(request, { services }) {
    const groupId = request.string();
    const generationId = request.int32();
    const memberId = request.string();
    const errorCode = services.groups.find(groupId)?.heartbeat(memberId, generationId) ?? ErrorCode.UnknownMemberId;
    return new Writer().int16(errorCode);
  },
};
