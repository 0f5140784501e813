import { ApiKey } from '../protocol/api-key';
import { ErrorCode } from '../protocol/error-code';
import { Writer } from '../protocol/writer';
import { ApiHandler } from './api-handler';
import { writeTopicErrors } from './topic-errors';

/** DeleteTopics v0: the topic's records and every group's committed offsets for it go. */
export const deleteTopics: ApiHandler = {
  apiKey: ApiKey.DeleteTopics,
  version: 0,
  handle(request, { services }) {
    const names = request.array((name) => name.string());
    // The timeout bounds waiting for the deletion to propagate; deletion here is immediate.
    request.int32();

    const results = names.map((topic) => {
      const errorCode = services.topics.delete(topic);
      if (errorCode === ErrorCode.None) services.offsets.forgetTopic(topic);
      return { topic, errorCode };
    });
    return writeTopicErrors(new Writer(), results);
  },
};
