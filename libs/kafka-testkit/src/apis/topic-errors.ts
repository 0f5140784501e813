import { ErrorCode } from '../protocol/error-code';
import { Writer } from '../protocol/writer';

export interface TopicError {
  readonly topic: string;
  readonly errorCode: ErrorCode;
}

/** The `[topic error_code]` response body of CreateTopics v0 and DeleteTopics v0. */
export function writeTopicErrors(writer: Writer, results: readonly TopicError[]): Writer {
  return writer.array(results, (result, resultWriter) => resultWriter.string(result.topic).int16(result.errorCode));
}
