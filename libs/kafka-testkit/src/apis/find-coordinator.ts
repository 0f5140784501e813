import { ApiKey } from '../protocol/api-key';
import { ErrorCode } from '../protocol/error-code';
import { Writer } from '../protocol/writer';
import { ApiHandler } from './api-handler';

/** FindCoordinator v0: the single broker coordinates every group. */
export const findCoordinator: ApiHandler = {
  apiKey: ApiKey.FindCoordinator,
  version: 0,
  handle(request, { endpoint }) {
    request.string();
    return new Writer().int16(ErrorCode.None).int32(endpoint.nodeId).string(endpoint.host).int32(endpoint.port);
  },
};
