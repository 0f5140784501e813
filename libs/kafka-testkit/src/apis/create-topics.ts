import { ApiKey } from '../protocol/api-key';
import { Writer } from '../protocol/writer';
import { ApiHandler } from './api-handler';
import { writeTopicErrors } from './topic-errors';

/**
 * CreateTopics v0. An existing topic is error 36, which kafkajs' admin turns into `false`. Config entries
 * are kept with the topic; cleanup.policy=compact, delete.retention.ms and min.cleanable.dirty.ratio act
 * (an invalid value is error 40), the others are accepted and have no effect.
 */
export const createTopics: ApiHandler = {
  apiKey: ApiKey.CreateTopics,
  version: 0,
  handle(request, { services }) {
    const requests = request.array((topic) => {
      const name = topic.string();
      const numPartitions = topic.int32();
      // The replication factor is ignored so production settings work unchanged: one broker holds the only replica.
      topic.int16();
      const replicaAssignment = topic.array((assignment) => ({ partition: assignment.int32(), replicas: assignment.array((replica) => replica.int32()) }));
      const entries = topic.array((config) => [config.string(), config.nullableString()] as const);
      // A null value asks for the broker's default, which is what an absent entry gets.
      const configs = Object.fromEntries(entries.filter((entry): entry is readonly [string, string] => entry[1] !== null));
      // An explicit replica assignment (with numPartitions -1) fixes the partition count.
      return { name, configs, partitions: numPartitions === -1 && replicaAssignment.length > 0 ? replicaAssignment.length : numPartitions };
    });
    // The timeout bounds waiting for the creation to propagate; creation here is immediate.
    request.int32();

    const results = requests.map(({ name, partitions, configs }) => ({ topic: name, errorCode: services.topics.create(name, partitions, configs) }));
    return writeTopicErrors(new Writer(), results);
  },
};
