import { LEDGER_CLOCK, systemClock } from './clock';
import { ErasureController } from './erasure.controller';
import { ExportController } from './export.controller';
import { Iso27560Export } from './iso27560-export';
import { KeyTableVacuum } from './key-table-vacuum';
import { RetentionSweep } from './retention-sweep';
import { SubjectErasure } from './subject-erasure';
import { SubjectExport } from './subject-export';

/** The GDPR rights over the record (erasure, export, retention), registered in AppModule. */
export const RIGHTS_CONTROLLERS = [ErasureController, ExportController];
export const RIGHTS_PROVIDERS = [
  SubjectErasure, KeyTableVacuum, SubjectExport, Iso27560Export, RetentionSweep,
  { provide: LEDGER_CLOCK, useValue: systemClock },
];
