import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/scopes';
import { SubjectIdPipe } from '../http/path-params';
import { ProofQueryDto } from './dto/proof-query.dto';
import { ProofBuilder } from './proof-builder';
import { SubjectProof } from '@consent-ledger/ledger-store';

@ApiTags('ledger')
@ApiBearerAuth()
@Controller('v1/subjects/:subjectId/proof')
export class SubjectProofController {
  constructor(private readonly builder: ProofBuilder) {}

  /** Proof of lawful basis at `at` (default now), verifiable offline with the verifier key alone. */
  @Get()
  @RequireScope('audit:read')
  proof(@Param('subjectId', SubjectIdPipe) subjectId: string, @Query() query: ProofQueryDto): Promise<SubjectProof> {
    return this.builder.build(subjectId, query.purpose, query.at ? new Date(query.at) : new Date());
  }
}
