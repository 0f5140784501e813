import { CommittedOffset } from '../groups/offset-store';
import { ApiKey } from '../protocol/api-key';
import { ErrorCode } from '../protocol/error-code';
import { mapPartitions, readTopicPartitions, writeTopicPartitions } from '../protocol/topic-partitions';
import { Writer } from '../protocol/writer';
import { ApiHandler } from './api-handler';

/**
 * OffsetFetch v1; v0 must never be advertised, kafkajs has no v0 and crashes. Every requested partition is
 * answered, with offset -1 where nothing is committed; an empty topic list asks for everything committed.
 */
export const offsetFetch: ApiHandler = {
  apiKey: ApiKey.OffsetFetch,
  version: 1,
  handle(request, { services }) {
    const groupId = request.string();
    const requested = readTopicPartitions(request, (partition) => partition.int32());
    const topics =
      requested.length === 0
        ? services.offsets.committedBy(groupId)
        : mapPartitions(requested, (topic, partition): CommittedOffset =>
            services.offsets.get(groupId, topic, partition) ?? { partition, offset: -1n, metadata: '' },
          );
    return writeTopicPartitions(new Writer(), topics, (committed, writer) =>
      writer.int32(committed.partition).int64(committed.offset).nullableString(committed.metadata).int16(ErrorCode.None),
    );
  },
};
