import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiKeyEntity } from '@consent-ledger/ledger-store';
import { hash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { BOOTSTRAP_KEY_ID, Principal } from './principal';
import { SCOPES, Scope } from './scopes';

const CACHE_TTL_MS = 30_000;

export interface CreatedApiKey {
  id: string;
  name: string;
  scopes: Scope[];
  service?: string;
  secret: string;
}

/**
 * API keys are random secrets; only their SHA-256 is stored. Authenticated keys are cached
 * briefly because every request, the check hot path included, authenticates.
 */
@Injectable()
export class ApiKeyService {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();
  private readonly adminHash: Buffer | null;

  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.adminHash = config.adminKey ? sha256(config.adminKey) : null;
  }

  async create(name: string, scopes: Scope[], service?: string): Promise<CreatedApiKey> {
    const id = randomUUID();
    const secret = `clk_${randomBytes(32).toString('base64url')}`;
    await this.keys.insert({ id, name, scopes, secretHash: sha256(secret).toString('hex'), service: service ?? null });
    return { id, name, scopes, ...(service === undefined ? {} : { service }), secret };
  }

  async authenticate(secret: string): Promise<Principal | null> {
    const digest = sha256(secret);
    if (this.adminHash && timingSafeEqual(digest, this.adminHash)) {
      return { keyId: BOOTSTRAP_KEY_ID, name: 'bootstrap admin', scopes: new Set(SCOPES) };
    }
    const hex = digest.toString('hex');
    const cached = this.cache.get(hex);
    if (cached && cached.until > Date.now()) return cached.principal;
    const key = await this.keys.findOneBy({ secretHash: hex });
    const principal = key && !key.revokedAt
      ? { keyId: key.id, name: key.name, scopes: new Set(key.scopes as Scope[]), ...(key.service === null ? {} : { service: key.service }) }
      : null;
    this.cache.set(hex, { principal, until: Date.now() + CACHE_TTL_MS });
    return principal;
  }
}

/** crypto.hash, one call instead of a Hash object: this runs on every request. */
function sha256(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}
