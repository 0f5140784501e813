import { Injectable } from '@nestjs/common';

/**
 * Time for enforcement decisions (acknowledgements, pending, SLA breaches), injected so that tests can
 * move past an SLA without waiting for it.
 */
@Injectable()
export class EnforcementClock {
  now(): Date {
    return new Date();
  }
}
