import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hasPendingLedgerMigrations } from '@consent-ledger/ledger-store';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/**
 * With MIGRATIONS_AUTO=false the schema is someone else's job (the migration job of a deployment):
 * a replica that finds it behind refuses to start, rather than serve with queries that would fail.
 */
@Injectable()
export class SchemaGuard implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.migrationsAuto) return;
    if (await hasPendingLedgerMigrations(this.dataSource)) {
      throw new Error('the database schema is behind this build and MIGRATIONS_AUTO=false: run `node dist/apps/consent-ledger/main.js migrate` first');
    }
  }
}
