import fastifyStatic from '@fastify/static';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { problem } from '../http/problem';

/**
 * Scripts, styles, images and API calls from this origin only; nothing inline, no plugin, no
 * framing, no form posting elsewhere. The console needs nothing more.
 */
export const CONSOLE_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "font-src 'self'",
  "connect-src 'self'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/** Where `npm run build:console` (apps/console/build.mjs) writes the console. */
export const CONSOLE_DIR = resolve('dist/console');

/**
 * Serves the auditor's console at /console as static files, outside the API's guard: the page holds
 * no data; every call it makes carries the API key the person typed. Hashed assets never change, so
 * browsers keep them; index.html is revalidated every time so a new build is picked up at once.
 */
export async function mountConsole(app: NestFastifyApplication, root = CONSOLE_DIR): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  // The app's base, its asset URLs and hash routes all live under /console/.
  fastify.get('/console', (_request, reply) => reply.redirect('/console/', 301));
  if (!existsSync(join(root, 'index.html'))) {
    fastify.get('/console/*', (_request, reply) => {
      void reply.status(404).header('content-type', 'application/problem+json; charset=utf-8')
        .send(problem(404, 'console_not_built', 'the console is not built: run npm run build:console'));
    });
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/console/',
    index: ['index.html'],
    dotfiles: 'ignore',
    cacheControl: false,
    setHeaders: (reply: FastifyReply, path: string) => {
      const hashedAsset = path.includes(`${sep}assets${sep}`);
      reply.header('cache-control', hashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache');
      reply.header('content-security-policy', CONSOLE_CSP);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
    },
  });
}
