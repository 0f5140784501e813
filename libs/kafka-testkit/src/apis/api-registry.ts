import { ApiKey } from '../protocol/api-key';
import { ApiHandler } from './api-handler';
import { apiVersionsHandlers } from './api-versions';
import { createTopics } from './create-topics';
import { deleteTopics } from './delete-topics';
import { describeGroups } from './describe-groups';
import { fetch } from './fetch';
import { findCoordinator } from './find-coordinator';
import { heartbeat } from './heartbeat';
import { initProducerId } from './init-producer-id';
import { joinGroup } from './join-group';
import { leaveGroup } from './leave-group';
import { listOffsets } from './list-offsets';
import { metadata } from './metadata';
import { offsetCommit } from './offset-commit';
import { offsetFetch } from './offset-fetch';
import { produce } from './produce';
import { syncGroup } from './sync-group';

const handlers: readonly ApiHandler[] = [
  produce,
  fetch,
  listOffsets,
  metadata,
  offsetCommit,
  offsetFetch,
  findCoordinator,
  joinGroup,
  heartbeat,
  leaveGroup,
  syncGroup,
  describeGroups,
  createTopics,
  deleteTopics,
  initProducerId,
];
const apiVersions = apiVersionsHandlers(handlers);
const handlersByKey = new Map<number, ApiHandler>([...handlers, apiVersions.supported].map((handler) => [handler.apiKey, handler]));

/** The handler for exactly this API version; undefined means the connection must be closed, as Kafka does. */
export function findApiHandler(apiKey: number, apiVersion: number): ApiHandler | undefined {
  const handler = handlersByKey.get(apiKey);
  if (handler?.version === apiVersion) return handler;
  return apiKey === ApiKey.ApiVersions ? apiVersions.unsupportedVersion : undefined;
}
