import { PartitionLog } from '../log/partition-log';
import { ApiKey } from '../protocol/api-key';
import { ErrorCode } from '../protocol/error-code';
import { mapPartitions, readTopicPartitions, writeTopicPartitions } from '../protocol/topic-partitions';
import { Writer } from '../protocol/writer';
import { ApiHandler } from './api-handler';

const LATEST = -1n;
const EARLIEST = -2n;
/** ListOffsets' value for "no timestamp" and "no offset". */
const UNKNOWN = -1n;

interface OffsetLookup {
  readonly errorCode: ErrorCode;
  readonly timestamp: bigint;
  readonly offset: bigint;
}

/** ListOffsets v1: one offset per partition for a timestamp, or the latest (-1) or earliest (-2) offset. */
export const listOffsets: ApiHandler = {
  apiKey: ApiKey.ListOffsets,
  version: 1,
  handle(request, { services }) {
    // Only consumers ask: there are no follower replicas.
    request.int32();
    const topics = readTopicPartitions(request, (partition) => ({ partition: partition.int32(), timestamp: partition.int64() }));
    const results = mapPartitions(topics, (topic, { partition, timestamp }) => ({
      partition,
      ...lookUp(services.topics.partition(topic, partition), timestamp),
    }));
    return writeTopicPartitions(new Writer(), results, (result, writer) =>
      writer.int32(result.partition).int16(result.errorCode).int64(result.timestamp).int64(result.offset),
    );
  },
};

function lookUp(log: PartitionLog | undefined, timestamp: bigint): OffsetLookup {
  if (!log) return { errorCode: ErrorCode.UnknownTopicOrPartition, timestamp: UNKNOWN, offset: UNKNOWN };
  if (timestamp === LATEST) return { errorCode: ErrorCode.None, timestamp: UNKNOWN, offset: log.highWatermark };
  if (timestamp === EARLIEST) return { errorCode: ErrorCode.None, timestamp: UNKNOWN, offset: log.logStartOffset };
  const found = log.offsetAtTime(timestamp);
  return { errorCode: ErrorCode.None, timestamp: found?.timestamp ?? UNKNOWN, offset: found?.offset ?? UNKNOWN };
}
