/** Kafka request types this broker implements. */
export enum ApiKey {
  Produce = 0,
  Fetch = 1,
  ListOffsets = 2,
  Metadata = 3,
  OffsetCommit = 8,
  OffsetFetch = 9,
  FindCoordinator = 10,
  JoinGroup = 11,
  Heartbeat = 12,
  LeaveGroup = 13,
  SyncGroup = 14,
  DescribeGroups = 15,
  ApiVersions = 18,
  CreateTopics = 19,
  DeleteTopics = 20,
  InitProducerId = 22,
}
