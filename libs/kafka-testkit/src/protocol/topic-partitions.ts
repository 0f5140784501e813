import { Reader } from './reader';
import { Writer } from './writer';

/** The `[topic [partition ...]]` nesting that most Kafka requests and responses share. */
export interface TopicPartitions<T> {
  readonly topic: string;
  readonly partitions: readonly T[];
}

export function readTopicPartitions<T>(reader: Reader, readPartition: (reader: Reader) => T): TopicPartitions<T>[] {
  return reader.array((topicReader) => ({ topic: topicReader.string(), partitions: topicReader.array(readPartition) }));
}

export function writeTopicPartitions<T>(
  writer: Writer,
  topics: readonly TopicPartitions<T>[],
  writePartition: (partition: T, writer: Writer) => void,
): Writer {
  return writer.array(topics, (topic, topicWriter) => topicWriter.string(topic.topic).array(topic.partitions, writePartition));
}

export function mapPartitions<T, R>(
  topics: readonly TopicPartitions<T>[],
  mapPartition: (topic: string, partition: T) => R,
): TopicPartitions<R>[] {
  return topics.map(({ topic, partitions }) => ({ topic, partitions: partitions.map((partition) => mapPartition(topic, partition)) }));
}
