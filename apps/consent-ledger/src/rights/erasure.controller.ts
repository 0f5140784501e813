import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthenticatedRequest } from '../auth/authenticated-request';
import { RequireScope } from '../auth/scopes';
import { SubjectIdPipe } from '../http/path-params';
import { ErasureRequestDto } from './dto/erasure-request.dto';
import { ErasureView, SubjectErasure } from './subject-erasure';

@ApiTags('rights')
@ApiBearerAuth()
@Controller('v1/subjects/:subjectId/erasure')
export class ErasureController {
  constructor(private readonly erasure: SubjectErasure) {}

  /**
   * 201 when this call erased the subject; 200 with the same body when it already was (idempotent).
   * An unknown subject is erased too, so that a first choice racing with its erasure can never win.
   */
  @Post()
  @HttpCode(201)
  @RequireScope('subjects:erase')
  async erase(
    @Param('subjectId', SubjectIdPipe) subjectId: string,
    @Body() body: ErasureRequestDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ErasureView> {
    const { erasedNow, erasure } = await this.erasure.erase({ subjectId, reason: body.reason, actor: request.principal!.keyId });
    if (!erasedNow) reply.status(200);
    return erasure;
  }
}
