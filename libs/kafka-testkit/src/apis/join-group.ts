import { ApiKey } from '../protocol/api-key';
import { Writer } from '../protocol/writer';
import { ApiHandler } from './api-handler';

/** JoinGroup v1 (adds the rebalance timeout). The response is held until the rebalance completes. */
export const joinGroup: ApiHandler = {
  apiKey: ApiKey.JoinGroup,
  version: 1,
  async handle(request, { services, clientId, clientHost }) {
    const groupId = request.string();
    const sessionTimeoutMs = request.int32();
    const rebalanceTimeoutMs = request.int32();
    const memberId = request.string();
    const protocolType = request.string();
    const protocols = request.array((protocol) => ({
      name: protocol.string(),
      metadata: Buffer.from(protocol.nullableBytes() ?? []),
    }));

    const result = await services.groups.findOrCreate(groupId).join({
      memberId,
      clientId,
      clientHost,
      sessionTimeoutMs,
      rebalanceTimeoutMs,
      protocolType,
      protocols,
    });
    return new Writer()
      .int16(result.errorCode)
      .int32(result.generationId)
      .string(result.protocolName)
      .string(result.leaderId)
      .string(result.memberId)
      .array(result.members, (member, writer) => writer.string(member.memberId).bytes(member.metadata));
  },
};
