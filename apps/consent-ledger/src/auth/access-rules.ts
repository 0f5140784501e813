import { Injectable, OnModuleInit } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { ACCESS_METADATA } from './scopes';

/**
 * Every controller route declares who may call it, on its handler: AccessControl reads the rule from
 * the Fastify route config (onRequest, before the body), where a rule on a controller class would
 * never arrive, and it treats a route without one as outside Nest (the docs: public). So a handler
 * without its own rule stops the service at startup instead of being served, and no request pays a
 * guard for a mistake that can only be made in code.
 */
@Injectable()
export class AccessRules implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    const missing = this.discovery.getControllers().flatMap(({ metatype, instance }) => {
      if (!metatype || !instance) return [];
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      return this.scanner.getAllMethodNames(prototype)
        .filter((name) => Reflect.hasMetadata(PATH_METADATA, prototype[name] as object) && !Reflect.hasMetadata(ACCESS_METADATA, prototype[name] as object))
        .map((name) => `${metatype.name}.${name}`);
    });
    if (missing.length > 0) {
      throw new Error(`route handlers without an access rule (RequireScope, AnyApiKey or Public on the handler): ${missing.join(', ')}`);
    }
  }
}
