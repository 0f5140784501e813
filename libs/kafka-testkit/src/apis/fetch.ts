import { PartitionLog } from '../log/partition-log';
import { TopicRegistry } from '../log/topic-registry';
import { ApiKey } from '../protocol/api-key';
import { ErrorCode } from '../protocol/error-code';
import { TopicPartitions, mapPartitions, readTopicPartitions, writeTopicPartitions } from '../protocol/topic-partitions';
import { Writer } from '../protocol/writer';
import { ApiHandler } from './api-handler';

interface PartitionFetch {
  readonly partition: number;
  readonly fetchOffset: bigint;
  readonly maxBytes: number;
}

interface PartitionData {
  readonly partition: number;
  readonly errorCode: ErrorCode;
  readonly highWatermark: bigint;
  readonly records: readonly Buffer[];
}

interface FetchResult {
  readonly topics: TopicPartitions<PartitionData>[];
  readonly size: number;
  /** Nothing to wait for, as in Kafka: no partitions were asked for, or one of them has an error to report. */
  readonly complete: boolean;
}

/** Fetch v4, the first version returning record batch v2. Long-polls until minBytes are available or maxWait passes. */
export const fetch: ApiHandler = {
  apiKey: ApiKey.Fetch,
  version: 4,
  async handle(request, { services, connectionClosed }) {
    // Only consumers fetch: there are no follower replicas.
    request.int32();
    const maxWaitMs = request.int32();
    const minBytes = request.int32();
    const maxBytes = request.int32();
    // Without transactions, read_committed and read_uncommitted see the same records.
    request.int8();
    const topics = readTopicPartitions(request, (partition) => ({
      partition: partition.int32(),
      fetchOffset: partition.int64(),
      maxBytes: partition.int32(),
    }));

    const deadline = Date.now() + maxWaitMs;
    let result = readPartitions(services.topics, topics, maxBytes);
    while (!result.complete && result.size < minBytes && !connectionClosed.aborted && Date.now() < deadline) {
      await nextAppend(logsOf(services.topics, topics), deadline - Date.now(), connectionClosed);
      result = readPartitions(services.topics, topics, maxBytes);
    }

    // Without transactions the last stable offset is the high watermark and the aborted transactions are none (an empty array).
    return writeTopicPartitions(new Writer().int32(0), result.topics, (data, writer) =>
      writer
        .int32(data.partition)
        .int16(data.errorCode)
        .int64(data.highWatermark)
        .int64(data.highWatermark)
        .int32(0)
        .concatenatedBytes(data.records),
    );
  },
};

/** Every partition gets at least one batch when it has any, so a batch larger than the limits is never stuck. */
function readPartitions(registry: TopicRegistry, topics: readonly TopicPartitions<PartitionFetch>[], maxBytes: number): FetchResult {
  let remainingBytes = maxBytes;
  const result = mapPartitions(topics, (topic, { partition, fetchOffset, maxBytes: partitionMaxBytes }): PartitionData => {
    const log = registry.partition(topic, partition);
    if (!log) return { partition, errorCode: ErrorCode.UnknownTopicOrPartition, highWatermark: -1n, records: [] };
    const highWatermark = log.highWatermark;
    if (fetchOffset < log.logStartOffset || fetchOffset > highWatermark) {
      return { partition, errorCode: ErrorCode.OffsetOutOfRange, highWatermark, records: [] };
    }
    const records = log.read(fetchOffset, Math.min(partitionMaxBytes, remainingBytes));
    remainingBytes -= byteLength(records);
    return { partition, errorCode: ErrorCode.None, highWatermark, records };
  });
  const partitions = result.flatMap((topic) => topic.partitions);
  const complete = partitions.length === 0 || partitions.some((data) => data.errorCode !== ErrorCode.None);
  return { topics: result, size: maxBytes - remainingBytes, complete };
}

function byteLength(buffers: readonly Buffer[]): number {
  return buffers.reduce((total, buffer) => total + buffer.length, 0);
}

function logsOf(registry: TopicRegistry, topics: readonly TopicPartitions<PartitionFetch>[]): PartitionLog[] {
  return topics.flatMap(({ topic, partitions }) =>
    partitions.flatMap(({ partition }) => registry.partition(topic, partition) ?? []),
  );
}

/** Resolves on the first append to any of the logs, after timeoutMs, or when the connection closes: no polling. */
function nextAppend(logs: readonly PartitionLog[], timeoutMs: number, connectionClosed: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribes = logs.map((log) => log.onAppend(wake));
    const timer = setTimeout(wake, timeoutMs);
    connectionClosed.addEventListener('abort', wake);
    function wake(): void {
      clearTimeout(timer);
      for (const unsubscribe of unsubscribes) unsubscribe();
      connectionClosed.removeEventListener('abort', wake);
      resolve();
    }
  });
}
