import { TopicRegistry } from '../log/topic-registry';
import { ApiKey } from '../protocol/api-key';
import { ErrorCode } from '../protocol/error-code';
import { Writer } from '../protocol/writer';
import { ApiHandler } from './api-handler';

const CLUSTER_ID = 'kafka-testkit';

interface TopicMetadata {
  readonly name: string;
  readonly errorCode: ErrorCode;
  readonly partitionCount: number;
}

/**
 * Metadata v4: v1 added the controller id (without it kafkajs' admin and idempotent producer break) and
 * v4 the allowAutoTopicCreation flag, which kafkajs' admin sets to false. A null topic list means all topics.
 */
export const metadata: ApiHandler = {
  apiKey: ApiKey.Metadata,
  version: 4,
  handle(request, { services, endpoint }) {
    const requested = request.nullableArray((topic) => topic.string());
    const allowAutoTopicCreation = request.boolean();
    const topics =
      requested === null
        ? services.topics.all().map(({ name, partitions }) => ({ name, errorCode: ErrorCode.None, partitionCount: partitions.length }))
        : requested.map((name) => describeTopic(services.topics, name, allowAutoTopicCreation));

    const { nodeId } = endpoint;
    return new Writer()
      .int32(0)
      .array([endpoint], (broker, writer) => writer.int32(broker.nodeId).string(broker.host).int32(broker.port).nullableString(null))
      .nullableString(CLUSTER_ID)
      .int32(nodeId)
      .array(topics, (topic, writer) =>
        writer
          .int16(topic.errorCode)
          .string(topic.name)
          .boolean(false)
          // Partition: error, index, leader, replicas, in-sync replicas; this broker is all of them.
          .array(partitionIndexes(topic.partitionCount), (partition, partitionWriter) =>
            partitionWriter
              .int16(ErrorCode.None)
              .int32(partition)
              .int32(nodeId)
              .array([nodeId], writeNodeId)
              .array([nodeId], writeNodeId),
          ),
      );
  },
};

/** Creates a missing topic on the spot when allowed, so the client sees it at once. */
function describeTopic(registry: TopicRegistry, name: string, allowAutoTopicCreation: boolean): TopicMetadata {
  let errorCode = ErrorCode.None;
  if (!registry.get(name)) errorCode = allowAutoTopicCreation ? registry.autoCreate(name) : ErrorCode.UnknownTopicOrPartition;
  return { name, errorCode, partitionCount: registry.get(name)?.partitions.length ?? 0 };
}

function writeNodeId(nodeId: number, writer: Writer): void {
  writer.int32(nodeId);
}

function partitionIndexes(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}
