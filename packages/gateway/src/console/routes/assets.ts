// The console's stylesheet and icon, answered without a session.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

// Found through the package's own name, which resolves the same from the source and from the built
// CLI's chunks (npm run build), whose folder is not the source's.
const asset = (name: string): string =>
  readFileSync(new URL(import.meta.resolve(`@gaz-espm/gateway/console/assets/${name}`)), 'utf8');
const CSS = asset('console.css');
const FAVICON = asset('favicon.svg');

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
