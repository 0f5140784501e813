import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCode } from '../protocol/error-code';
import { AppendOnlyFile, writeFileAtomically } from '../storage/append-only-file';
import { PartitionLog } from './partition-log';
import { DEFAULT_TOPIC_CONFIG, parseTopicConfig, TopicConfig, TopicConfigEntries } from './topic-config';

export interface Topic {
  readonly name: string;
  readonly partitions: readonly PartitionLog[];
  readonly config: TopicConfig;
}

export interface TopicRegistrySettings {
  /** Null keeps everything in memory. */
  readonly dataDir: string | null;
  readonly defaultPartitions: number;
  readonly autoCreateTopics: boolean;
  readonly logger: (message: string) => void;
}

/** Kafka's legal topic names, which are also safe as directory names. */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const TOPIC_FILE = 'topic.json';

interface TopicFile {
  readonly partitions: number;
  /** The config entries given at creation; absent in files written before topics had configs. */
  readonly configs?: TopicConfigEntries;
}

/**
 * All topics. With a data dir each topic is a directory holding topic.json (written once, at creation)
 * and one append-only `<partition>.log` of record batches per partition.
 */
export class TopicRegistry {
  private readonly topics = new Map<string, Topic>();

  private constructor(private readonly settings: TopicRegistrySettings) {}

  static open(settings: TopicRegistrySettings): TopicRegistry {
    const registry = new TopicRegistry(settings);
    if (settings.dataDir !== null) registry.loadTopics(topicsRoot(settings.dataDir));
    return registry;
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  all(): Topic[] {
    return [...this.topics.values()];
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  /** numPartitions -1 means the broker default. */
  create(name: string, numPartitions: number, configs: TopicConfigEntries = {}): ErrorCode {
    if (!TOPIC_NAME.test(name) || name === '.' || name === '..') return ErrorCode.InvalidTopic;
    if (this.topics.has(name)) return ErrorCode.TopicAlreadyExists;
    const count = numPartitions === -1 ? this.settings.defaultPartitions : numPartitions;
    if (!Number.isInteger(count) || count < 1) return ErrorCode.InvalidPartitions;
    const config = parseTopicConfig(configs);
    if (config === ErrorCode.InvalidConfig) return config;

    const directory = this.topicDirectory(name);
    if (directory !== null) {
      // Whatever an interrupted creation left there is not part of the topic.
      fs.rmSync(directory, { recursive: true, force: true });
      fs.mkdirSync(directory, { recursive: true });
      const topicFile: TopicFile = { partitions: count, configs };
      writeFileAtomically(path.join(directory, TOPIC_FILE), JSON.stringify(topicFile));
    }
    const partitions = Array.from({ length: count }, (_, index) =>
      directory === null ? PartitionLog.inMemory() : PartitionLog.open(partitionFile(directory, index)).log,
    );
    this.topics.set(name, { name, partitions, config });
    return ErrorCode.None;
  }

  /** What a Metadata request that allows auto-creation does for a missing topic. */
  autoCreate(name: string): ErrorCode {
    return this.settings.autoCreateTopics ? this.create(name, -1) : ErrorCode.UnknownTopicOrPartition;
  }

  delete(name: string): ErrorCode {
    const topic = this.topics.get(name);
    if (!topic) return ErrorCode.UnknownTopicOrPartition;
    this.topics.delete(name);
    for (const log of topic.partitions) log.delete();
    const directory = this.topicDirectory(name);
    if (directory !== null) fs.rmSync(directory, { recursive: true, force: true });
    return ErrorCode.None;
  }

  /** Releases file handles; logs reopen them on the next append. */
  close(): void {
    for (const topic of this.topics.values()) for (const log of topic.partitions) log.close();
  }

  producerIds(): bigint[] {
    return this.all().flatMap((topic) => topic.partitions.flatMap((log) => [...log.producerIds()]));
  }

  private topicDirectory(name: string): string | null {
    return this.settings.dataDir === null ? null : path.join(topicsRoot(this.settings.dataDir), name);
  }

  private loadTopics(root: string): void {
    fs.mkdirSync(root, { recursive: true });
    for (const name of fs.readdirSync(root)) {
      const directory = path.join(root, name);
      const topicFilePath = path.join(directory, TOPIC_FILE);
      // A directory without topic.json is a creation interrupted before it was acknowledged.
      if (!fs.existsSync(topicFilePath)) continue;
      const { partitions, configs } = JSON.parse(fs.readFileSync(topicFilePath, 'utf8')) as TopicFile;
      const config = configs === undefined ? DEFAULT_TOPIC_CONFIG : parseTopicConfig(configs);
      // Only valid configs are ever written: one edited into an invalid value stops the start rather than change what the topic keeps.
      if (config === ErrorCode.InvalidConfig) throw new Error(`kafka-testkit: invalid configs in ${topicFilePath}`);
      const logs = Array.from({ length: partitions }, (_, index) => {
        const { log, droppedBytes } = PartitionLog.open(partitionFile(directory, index));
        if (droppedBytes > 0) this.settings.logger(`kafka-testkit: dropped a torn tail of ${droppedBytes} bytes from ${name}-${index}`);
        return log;
      });
      this.topics.set(name, { name, partitions: logs, config });
    }
  }
}

function topicsRoot(dataDir: string): string {
  return path.join(dataDir, 'topics');
}

function partitionFile(directory: string, partition: number): AppendOnlyFile {
  return new AppendOnlyFile(path.join(directory, `${partition}.log`));
}
