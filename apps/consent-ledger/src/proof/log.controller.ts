import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
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
  async checkpoint(): Promise<string> {
    return (await this.reader.latest()).note;
  }

  @Get('checkpoints/:treeSize')
  @RequireScope('audit:read')
  @Header('content-type', TEXT)
  async checkpointOfSize(@Param('treeSize') treeSize: string): Promise<string> {
    return (await this.reader.ofSize(parseTreeSize(treeSize))).note;
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
