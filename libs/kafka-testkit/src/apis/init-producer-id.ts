import { ApiKey } from '../protocol/api-key';
import { ErrorCode } from '../protocol/error-code';
import { Writer } from '../protocol/writer';
import { ApiHandler } from './api-handler';

/** InitProducerId v0: an idempotent producer gets a fresh id at epoch 0. Transactions are not supported. */
export const initProducerId: ApiHandler = {
  apiKey: ApiKey.InitProducerId,
  version: 0,
  handle(request, { services }) {
    // Transactional id and transaction timeout: meaningful only for transactions.
    request.nullableString();
    request.int32();
    return new Writer().int32(0).int16(ErrorCode.None).int64(services.producerIds.allocate()).int16(0);
  },
};
