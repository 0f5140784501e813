import { AppendResult } from '../log/partition-log';
import { Topic } from '../log/topic-registry';
import { ProtocolError } from '../protocol/protocol-error';
import { ApiKey } from '../protocol/api-key';
import { ErrorCode } from '../protocol/error-code';
import { CURRENT_MAGIC, RecordBatch, splitRecordSet } from '../protocol/record-batch';
import { mapPartitions, readTopicPartitions, writeTopicPartitions } from '../protocol/topic-partitions';
import { Writer } from '../protocol/writer';
import { ApiHandler } from './api-handler';

/** Produce v3, the first version carrying record batch v2 (headers, idempotence). */
export const produce: ApiHandler = {
  apiKey: ApiKey.Produce,
  version: 3,
  handle(request, { services }) {
    // Transactions are not supported, so the transactional id carries no meaning here.
    request.nullableString();
    const acks = request.int16();
    // The timeout bounds waiting for replicas; a single broker has none to wait for.
    request.int32();
    const topics = readTopicPartitions(request, (partition) => ({ partition: partition.int32(), recordSet: partition.nullableBytes() }));

    const results = mapPartitions(topics, (topic, { partition, recordSet }) => ({
      partition,
      ...appendRecordSet(services.topics.get(topic), partition, recordSet),
    }));
    if (acks === 0) return null;
    // logAppendTime -1: timestamps are the producer's (CreateTime).
    return writeTopicPartitions(new Writer(), results, (result, writer) =>
      writer.int32(result.partition).int16(result.errorCode).int64(result.baseOffset).int64(-1n),
    ).int32(0);
  },
};

/** Validates every batch before appending any, then appends them in order; answers with the first one's offset. */
function appendRecordSet(topic: Topic | undefined, partition: number, recordSet: Buffer | null): AppendResult {
  const log = topic?.partitions[partition];
  if (!topic || !log) return failure(ErrorCode.UnknownTopicOrPartition);
  const { batches, wholeLength } = splitRecordSet(recordSet ?? Buffer.alloc(0));
  if (batches.length === 0 || wholeLength !== recordSet?.length) return failure(ErrorCode.CorruptMessage);
  const invalid = batches.map((batch) => validate(batch, topic.config.compact)).find((errorCode) => errorCode !== ErrorCode.None);
  if (invalid !== undefined) return failure(invalid);

  const first = log.append(batches[0]);
  if (first.errorCode !== ErrorCode.None) return first;
  for (const batch of batches.slice(1)) {
    const result = log.append(batch);
    if (result.errorCode !== ErrorCode.None) return result;
  }
  return first;
}

function validate(batch: RecordBatch, compacted: boolean): ErrorCode {
  if (batch.magic !== CURRENT_MAGIC) return ErrorCode.UnsupportedForMessageFormat;
  if (!batch.isIntact()) return ErrorCode.CorruptMessage;
  // Kafka refuses a record without key on a compacted topic (CORRUPT_MESSAGE before Produce v8): compaction keeps records by key.
  return compacted && !everyRecordHasKey(batch) ? ErrorCode.CorruptMessage : ErrorCode.None;
}

/** Compressed records are opaque here (no codecs): such a batch is accepted, and compaction keeps it whole. */
function everyRecordHasKey(batch: RecordBatch): boolean {
  if (batch.isCompressed) return true;
  try {
    return batch.records().every((record) => record.key !== null);
  } catch (error) {
    if (error instanceof ProtocolError) return false;
    throw error;
  }
}

function failure(errorCode: ErrorCode): AppendResult {
  return { errorCode, baseOffset: -1n };
}
