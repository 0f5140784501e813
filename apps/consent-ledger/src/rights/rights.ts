import { ErasureController } from './erasure.controller';
import { KeyTableVacuum } from './key-table-vacuum';
import { SubjectErasure } from './subject-erasure';

/** The GDPR rights over the record (erasure, export, retention), registered in AppModule. */
export const RIGHTS_CONTROLLERS = [ErasureController];
export const RIGHTS_PROVIDERS = [SubjectErasure, KeyTableVacuum];
