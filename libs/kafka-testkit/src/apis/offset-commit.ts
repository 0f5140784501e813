import { OffsetCommit } from '../groups/offset-store';
import { ApiKey } from '../protocol/api-key';
import { ErrorCode } from '../protocol/error-code';
import { mapPartitions, readTopicPartitions, writeTopicPartitions } from '../protocol/topic-partitions';
import { Writer } from '../protocol/writer';
import { ApiHandler } from './api-handler';

/** OffsetCommit v2. Generation -1 with no member id is a commit into a group used only for offsets. */
export const offsetCommit: ApiHandler = {
  apiKey: ApiKey.OffsetCommit,
  version: 2,
  handle(request, { services }) {
    const groupId = request.string();
    const generationId = request.int32();
    const memberId = request.string();
    // Retention time: committed offsets never expire here.
    request.int64();
    const topics = readTopicPartitions(request, (partition) => ({
      partition: partition.int32(),
      offset: partition.int64(),
      metadata: partition.nullableString(),
    }));

    const groupError = services.groups.findOrCreate(groupId).validateCommit(memberId, generationId);
    const accepted: OffsetCommit[] = [];
    const results = mapPartitions(topics, (topic, commit) => {
      const exists = services.topics.partition(topic, commit.partition) !== undefined;
      const errorCode = groupError !== ErrorCode.None || exists ? groupError : ErrorCode.UnknownTopicOrPartition;
      if (errorCode === ErrorCode.None) accepted.push({ topic, ...commit });
      return { partition: commit.partition, errorCode };
    });
    services.offsets.commit(groupId, accepted);
    return writeTopicPartitions(new Writer(), results, (result, writer) => writer.int32(result.partition).int16(result.errorCode));
  },
};
