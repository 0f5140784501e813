import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AccessControl } from './auth/access-control';
import { AppConfig } from './config/app-config';
import { mountConsole } from './console/console-static';
import { answerClientError, sendFrameworkError } from './http/fastify-errors';
import { GracefulShutdown } from './http/graceful-shutdown';
import { parseJsonBody } from './http/json-body';
import { logLeanRoutes } from './http/lean-request-log';
import { openApiDocument } from './http/openapi';
import { ProblemFilter } from './http/problem.filter';
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
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  await registerSecurityHeaders(app, config);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', app.get(GracefulShutdown).onRequest);
  fastify.addHook('onRequest', app.get(AccessControl).onRequest);
  logLeanRoutes(fastify);
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

async function registerSecurityHeaders(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  // helmet's defaults (nosniff, frame and referrer policies, a strict CSP); swagger UI at /docs loads
  // only its own scripts and styles plus inline styles and data: images, which the defaults allow.
  await app.register(fastifyHelmet);
  if (config.corsOrigins) {
    await app.register(fastifyCors, {
      origin: config.corsOrigins,
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'sec-gpc', 'consent-token'],
      exposedHeaders: ['retry-after', 'consent-token'],
    });
  }
  // Every /v1 answer may carry personal data (choices, proofs, keys): no cache keeps a copy.
  app.getHttpAdapter().getInstance().addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.url.startsWith('/v1/') || request.url === '/v1') void reply.header('cache-control', 'no-store');
  });
}

function mountDocs(app: INestApplication): void {
  SwaggerModule.setup('docs', app, openApiDocument(app));
}
