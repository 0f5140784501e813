import fastifyCors from '@fastify/cors';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { AccessControl } from './auth/access-control';
import { AppConfig } from './config/app-config';
import { mountConsole } from './console/console-static';
import { answerClientError, sendFrameworkError } from './http/fastify-errors';
import { GracefulShutdown } from './http/graceful-shutdown';
import { parseJsonBody } from './http/json-body';
import { openApiDocument } from './http/openapi';
import { ProblemFilter } from './http/problem.filter';
import { RateLimit } from './http/rate-limit';
import { logRequests, serviceLoggers } from './http/request-log';
import { addSecurityHeaders } from './http/security-headers';
import { createValidationPipe } from './http/validation.pipe';

/** DESIGN allows 128-character subjectIds; percent-encoding can triple their length in a path. */
const MAX_PARAM_LENGTH = 3 * 128;

/** The HTTP application on Fastify, as `npm start` and the end-to-end tests run it. */
export async function createHttpApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), fastifyAdapter(config), {
    bufferLogs: true,
    // Nest's parsers would replace ours (json-body.ts); form bodies are not part of this API (415).
    bodyParser: false,
  });
  const logs = serviceLoggers(config.logLevel);
  app.useLogger(logs.nest);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  const fastify = app.getHttpAdapter().getInstance();
  addSecurityHeaders(fastify);
  if (config.corsOrigins) await registerCors(app, config.corsOrigins);
  fastify.addHook('onRequest', app.get(GracefulShutdown).onRequest);
  fastify.addHook('onRequest', app.get(AccessControl).onRequest);
  fastify.addHook('onRequest', app.get(RateLimit).onRequest);
  logRequests(fastify, logs.root);
  mountDocs(app);
  await mountConsole(app);
  await app.init();
  return app;
}

function fastifyAdapter(config: AppConfig): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimit,
    // request.ip, which the per-address limits key on, is the client's and not a shared proxy's.
    ...(config.trustProxy === undefined ? {} : { trustProxy: config.trustProxy }),
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Route schemas (the check's query) refuse what whitelisting refuses instead of dropping it, take
    // query strings as they are, and report every failure with the rule its schema describes.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true, verbose: true } },
    // Errors Fastify answers itself, before any route or Nest filter runs, are problems too.
    frameworkErrors: sendFrameworkError,
    clientErrorHandler: answerClientError,
  });
  const fastify = adapter.getInstance();
  // JSON only: any other body is 415 rather than a string the validators would misreport.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  return adapter;
}

async function registerCors(app: NestFastifyApplication, origins: NonNullable<AppConfig['corsOrigins']>): Promise<void> {
  await app.register(fastifyCors, {
    origin: origins,
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'sec-gpc', 'consent-token'],
    exposedHeaders: ['retry-after', 'consent-token'],
  });
}

function mountDocs(app: INestApplication): void {
  SwaggerModule.setup('docs', app, openApiDocument(app));
}
