import { Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { pgPoolOf } from '@consent-ledger/ledger-store';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, register } from 'prom-client';
import { DataSource } from 'typeorm';
import { observeHttpRequests } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { registerPoolMetrics } from './pool-metrics';

@Module({ controllers: [MetricsController] })
export class MetricsModule implements OnModuleInit, OnModuleDestroy {
  private unregisterPool: (() => void) | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    // Several apps in one process (tests) share the default registry: register once.
    if (!register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();
    // Before Fastify is ready (app.init), so the hook applies to every route.
    observeHttpRequests(this.adapterHost.httpAdapter.getInstance<FastifyInstance>());
    this.unregisterPool = registerPoolMetrics(pgPoolOf(this.dataSource));
  }

  onModuleDestroy(): void {
    this.unregisterPool?.();
  }
}
