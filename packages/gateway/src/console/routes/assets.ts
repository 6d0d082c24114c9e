// The console's stylesheet and icon, answered without a session.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const CSS = readFileSync(new URL('../assets/console.css', import.meta.url), 'utf8');
const FAVICON = readFileSync(new URL('../assets/favicon.svg', import.meta.url), 'utf8');

export async function assetRoutes(app: FastifyInstance): Promise<void> {
  app.get('/assets/console.css', async (_req, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(CSS),
  );
  app.get('/favicon.ico', async (_req, reply) =>
    reply
      .header('content-type', 'image/svg+xml')
      .header('cache-control', 'public, max-age=86400')
      .send(FAVICON),
  );
}
