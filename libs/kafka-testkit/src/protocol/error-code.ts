/** Kafka protocol error codes this broker returns. */
export enum ErrorCode {
  None = 0,
  OffsetOutOfRange = 1,
  CorruptMessage = 2,
  UnknownTopicOrPartition = 3,
  InvalidTopic = 17,
  IllegalGeneration = 22,
  InconsistentGroupProtocol = 23,
  UnknownMemberId = 25,
  RebalanceInProgress = 27,
  UnsupportedVersion = 35,
  TopicAlreadyExists = 36,
  InvalidPartitions = 37,
  InvalidConfig = 40,
  UnsupportedForMessageFormat = 43,
  OutOfOrderSequenceNumber = 45,
  InvalidProducerEpoch = 47,
}
