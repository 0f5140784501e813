import { ApiKey } from '../protocol/api-key';
import { ErrorCode } from '../protocol/error-code';
import { Writer } from '../protocol/writer';
import { ApiHandler } from './api-handler';

export interface ApiVersionsHandlers {
  readonly supported: ApiHandler;
  /**
   * kafkajs asks with its newest ApiVersions version first and falls back on error 35 (UNSUPPORTED_VERSION),
   * which it decodes in the v0 layout; so every other version of ApiVersions gets this answer.
   */
  readonly unsupportedVersion: ApiHandler;
}

/** ApiVersions v0, advertising every handler given plus itself, each with min = max = its one version. */
export function apiVersionsHandlers(others: readonly ApiHandler[]): ApiVersionsHandlers {
  const respond = (errorCode: ErrorCode) => (): Writer =>
    new Writer()
      .int16(errorCode)
      .array(advertised, (handler, writer) => writer.int16(handler.apiKey).int16(handler.version).int16(handler.version));
  const supported: ApiHandler = { apiKey: ApiKey.ApiVersions, version: 0, handle: respond(ErrorCode.None) };
  const advertised = [...others, supported];
  return { supported, unsupportedVersion: { ...supported, handle: respond(ErrorCode.UnsupportedVersion) } };
}
