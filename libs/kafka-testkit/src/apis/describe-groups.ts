import { ApiKey } from '../protocol/api-key';
import { ErrorCode } from '../protocol/error-code';
import { Writer } from '../protocol/writer';
import { ApiHandler } from './api-handler';

/** DescribeGroups v0, which kafkajs' admin uses before setting or resetting a group's offsets. */
export const describeGroups: ApiHandler = {
  apiKey: ApiKey.DescribeGroups,
  version: 0,
  handle(request, { services }) {
    const groupIds = request.array((groupId) => groupId.string());
    return new Writer().array(groupIds, (groupId, writer) => {
      const description = services.groups.find(groupId)?.describe();
      // An unknown group is described as Dead, without error, as Kafka does.
      writer
        .int16(ErrorCode.None)
        .string(groupId)
        .string(description?.state ?? 'Dead')
        .string(description?.protocolType ?? '')
        .string(description?.protocolName ?? '')
        .array(description?.members ?? [], (member, memberWriter) =>
          memberWriter
            .string(member.memberId)
            .string(member.clientId)
            .string(member.clientHost)
            .bytes(member.metadata)
            .bytes(member.assignment),
        );
    });
  },
};
