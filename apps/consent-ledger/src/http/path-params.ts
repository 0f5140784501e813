import { PipeTransform } from '@nestjs/common';
import { PURPOSE_ID_PATTERN, SERVICE_ID_PATTERN, SUBJECT_ID_PATTERN } from '@consent-ledger/domain';
import { ProblemException } from './problem';

class PatternPipe implements PipeTransform<string, string> {
  constructor(
    private readonly field: string,
    private readonly pattern: RegExp,
    private readonly rule: string,
  ) {}

  transform(value: string): string {
    if (typeof value !== 'string' || !this.pattern.test(value)) {
      throw ProblemException.of(400, 'validation_failed', `invalid ${this.field}`, [{ field: this.field, message: this.rule }]);
    }
    return value;
  }
}

export const SubjectIdPipe = new PatternPipe('subjectId', SUBJECT_ID_PATTERN, 'subjectId must be 1-128 characters of [A-Za-z0-9._:@+-]');
export const ServiceIdPipe = new PatternPipe('serviceId', SERVICE_ID_PATTERN, 'serviceId must match ^[a-z0-9][a-z0-9._-]{0,63}$');
export const PurposeIdPipe = new PatternPipe('purposeId', PURPOSE_ID_PATTERN, 'purposeId must match ^[a-z0-9][a-z0-9._-]{0,63}$');
