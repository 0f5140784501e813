import * as fs from 'node:fs';
import { GroupCoordinator } from './groups/group-coordinator';
import { OffsetStore } from './groups/offset-store';
import { BrokerSettings } from './broker-options';
import { LogCleaner } from './log/log-cleaner';
import { TopicRegistry } from './log/topic-registry';
import { ProducerIdAllocator } from './producers/producer-id-allocator';

/** The broker's state, shared by every connection and kept across restart(). */
export interface BrokerServices {
  readonly topics: TopicRegistry;
  readonly groups: GroupCoordinator;
  readonly offsets: OffsetStore;
  readonly producerIds: ProducerIdAllocator;
  readonly cleaner: LogCleaner;
}

/** Loads everything a data dir holds, or starts empty in memory. */
export function openBrokerServices(settings: BrokerSettings): BrokerServices {
  if (settings.dataDir !== null) fs.mkdirSync(settings.dataDir, { recursive: true });
  const topics = TopicRegistry.open(settings);
  return {
    topics,
    groups: new GroupCoordinator(),
    offsets: OffsetStore.open(settings.dataDir),
    producerIds: new ProducerIdAllocator(topics.producerIds()),
    cleaner: new LogCleaner(topics, settings.compaction, settings.logger),
  };
}

export function closeBrokerFiles(services: BrokerServices): void {
  services.topics.close();
  services.offsets.close();
}
