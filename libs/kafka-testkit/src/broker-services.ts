import * as fs from 'node:fs';
import { GroupCoordinator } from './groups/group-coordinator';
import { OffsetStore } from './groups/offset-store';
import { TopicRegistry, TopicRegistrySettings } from './log/topic-registry';
import { ProducerIdAllocator } from './producers/producer-id-allocator';

/** The broker's state, shared by every connection and kept across restart(). */
export interface BrokerServices {
  readonly topics: TopicRegistry;
  readonly groups: GroupCoordinator;
  readonly offsets: OffsetStore;
  readonly producerIds: ProducerIdAllocator;
}

/** Loads everything a data dir holds, or starts empty in memory. */
export function openBrokerServices(settings: TopicRegistrySettings): BrokerServices {
  if (settings.dataDir !== null) fs.mkdirSync(settings.dataDir, { recursive: true });
  const topics = TopicRegistry.open(settings);
  return {
    topics,
    groups: new GroupCoordinator(),
    offsets: OffsetStore.open(settings.dataDir),
    producerIds: new ProducerIdAllocator(topics.producerIds()),
  };
}

export function closeBrokerFiles(services: BrokerServices): void {
  services.topics.close();
  services.offsets.close();
}
