import { Controller, Get, Module } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { AccessRules } from '../../apps/consent-ledger/src/auth/access-rules';
import { Public, RequireScope } from '../../apps/consent-ledger/src/auth/scopes';

@Controller('ruled')
class RuledController {
  @Get()
  @RequireScope('consents:read')
  read(): string {
    return 'ok';
  }

  @Get('open')
  @Public()
  open(): string {
    return 'ok';
  }

  /** Not a route: needs no rule. */
  helper(): string {
    return 'helper';
  }
}

// The rule on the class reaches neither the handler's metadata nor the Fastify route config.
@Public()
@Controller('forgotten')
class ForgottenController {
  @Get()
  list(): string {
    return 'served to anyone';
  }
}

const appWith = (controllers: unknown[]) => {
  @Module({ imports: [DiscoveryModule], controllers: controllers as never[], providers: [AccessRules] })
  class TestModule {}
  return NestFactory.createApplicationContext(TestModule, { logger: false });
};

/** A controller route without an access rule on its handler stops the service at startup instead of being served. */
describe('access rules', () => {
  it('start when every route handler declares one', async () => {
    const app = await appWith([RuledController]);
    await app.close();
  });

  it('refuse to start naming each handler without one, a rule on the class not counting', async () => {
    await expect(appWith([RuledController, ForgottenController])).rejects.toThrow(/ForgottenController\.list$/);
  });
});
