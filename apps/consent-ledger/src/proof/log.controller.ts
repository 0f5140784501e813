import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { StoredCheckpoint } from '@consent-ledger/ledger-store';
import { JWK } from 'jose';
import { Public, RequireScope } from '../auth/scopes';
import { ConsistencyQueryDto } from './dto/consistency-query.dto';
import { LogKey } from './log-key';
import { LogReader } from './log-reader';
import { parseTreeSize } from './tree-size';

const TEXT = 'text/plain; charset=utf-8';

/** The transparency log's public face: signed checkpoints (C2SP tlog-checkpoint), consistency proofs, keys. */
@ApiTags('ledger')
@ApiBearerAuth()
@Controller('v1/ledger')
export class LogController {
  constructor(
    private readonly reader: LogReader,
    private readonly key: LogKey,
  ) {}

  @Get('checkpoint')
  @RequireScope('audit:read')
  @Header('content-type', TEXT)
  async checkpoint(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return signedNote(await this.reader.latest(), reply);
  }

  @Get('checkpoints/:treeSize')
  @RequireScope('audit:read')
  @Header('content-type', TEXT)
  async checkpointOfSize(@Param('treeSize') treeSize: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return signedNote(await this.reader.ofSize(parseTreeSize(treeSize)), reply);
  }

  /** RFC 9162 2.1.4 consistency proof between two tree sizes. */
  @Get('consistency')
  @RequireScope('audit:read')
  async consistency(@Query() query: ConsistencyQueryDto): Promise<{ from: number; to: number; proof: string[] }> {
    const proof = await this.reader.consistency(query.from, query.to);
    return { from: query.from, to: query.to, proof: proof.map((hash) => hash.toString('base64')) };
  }

  /** The signed-note verifier key (Go sumdb/note vkey). */
  @Get('verifier-key')
  @Public()
  @Header('content-type', TEXT)
  verifierKey(): string {
    return `${this.key.vkey}\n`;
  }

  /** The same key as a JWK set, to verify receipts with any JOSE library. */
  @Get('public-key')
  @Public()
  publicKey(): { keys: JWK[] } {
    return { keys: [this.key.jwk] };
  }
}

/** The note, with when it was signed as Last-Modified (the console shows a checkpoint's age from it). */
function signedNote(checkpoint: StoredCheckpoint, reply: FastifyReply): string {
  reply.header('last-modified', new Date(checkpoint.signedAt).toUTCString());
  return checkpoint.note;
}
