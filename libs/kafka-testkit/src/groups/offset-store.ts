import * as path from 'node:path';
import { TopicPartitions } from '../protocol/topic-partitions';
import { AppendOnlyFile, writeFileAtomically } from '../storage/append-only-file';

export interface CommittedOffset {
  readonly partition: number;
  /** Stored as sent, negative values included: kafkajs commits -1/-2 to request a reset. */
  readonly offset: bigint;
  readonly metadata: string | null;
}

export interface OffsetCommit extends CommittedOffset {
  readonly topic: string;
}

/** One line of the offsets file: a commit, or the deletion of a topic whose offsets go with it. */
type OffsetLogLine =
  | { readonly group: string; readonly topic: string; readonly partition: number; readonly offset: string; readonly metadata: string | null }
  | { readonly deletedTopic: string };

const OFFSETS_FILE = 'consumer-offsets.jsonl';

/** Committed consumer group offsets; with a data dir, an append-only JSON-lines file compacted at each start. */
export class OffsetStore {
  /** group → topic → partition → offset */
  private readonly groups = new Map<string, Map<string, Map<number, CommittedOffset>>>();

  private constructor(private readonly file: AppendOnlyFile | null) {}

  static open(dataDir: string | null): OffsetStore {
    if (dataDir === null) return new OffsetStore(null);
    const file = new AppendOnlyFile(path.join(dataDir, OFFSETS_FILE));
    const store = new OffsetStore(file);
    for (const line of file.readAll().toString('utf8').split('\n')) {
      const entry = parseLine(line);
      if (entry) store.apply(entry);
    }
    writeFileAtomically(file.path, toJsonLines(store.snapshot()));
    return store;
  }

  commit(group: string, commits: readonly OffsetCommit[]): void {
    this.write(commits.map((commit) => commitLine(group, commit)));
  }

  get(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.groups.get(group)?.get(topic)?.get(partition);
  }

  /** Everything the group committed, as OffsetFetch returns for an empty topic list. */
  committedBy(group: string): TopicPartitions<CommittedOffset>[] {
    const topics = this.groups.get(group) ?? new Map<string, Map<number, CommittedOffset>>();
    return [...topics].map(([topic, partitions]) => ({ topic, partitions: [...partitions.values()] }));
  }

  forgetTopic(topic: string): void {
    this.write([{ deletedTopic: topic }]);
  }

  close(): void {
    this.file?.close();
  }

  private write(lines: readonly OffsetLogLine[]): void {
    if (lines.length === 0) return;
    this.file?.append(Buffer.from(toJsonLines(lines)));
    for (const line of lines) this.apply(line);
  }

  private apply(line: OffsetLogLine): void {
    if ('deletedTopic' in line) {
      for (const topics of this.groups.values()) topics.delete(line.deletedTopic);
      return;
    }
    let topics = this.groups.get(line.group);
    if (!topics) this.groups.set(line.group, (topics = new Map()));
    let partitions = topics.get(line.topic);
    if (!partitions) topics.set(line.topic, (partitions = new Map()));
    partitions.set(line.partition, { partition: line.partition, offset: BigInt(line.offset), metadata: line.metadata });
  }

  private snapshot(): OffsetLogLine[] {
    return [...this.groups].flatMap(([group, topics]) =>
      [...topics].flatMap(([topic, partitions]) =>
        [...partitions.values()].map((committed) => commitLine(group, { topic, ...committed })),
      ),
    );
  }
}

function toJsonLines(lines: readonly OffsetLogLine[]): string {
  return lines.map((line) => `${JSON.stringify(line)}\n`).join('');
}

function commitLine(group: string, { topic, partition, offset, metadata }: OffsetCommit): OffsetLogLine {
  return { group, topic, partition, offset: offset.toString(), metadata };
}

/** Null for a blank line or a line torn by a crash mid-write. */
function parseLine(line: string): OffsetLogLine | null {
  if (line.trim() === '') return null;
  try {
    return JSON.parse(line) as OffsetLogLine;
  } catch {
    return null;
  }
}
