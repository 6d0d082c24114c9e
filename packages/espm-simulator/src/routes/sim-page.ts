// Serves the customer page's static files from src/page (a fixed list: nothing else is reachable).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';

const PAGE_DIR = new URL('../page/', import.meta.url);
const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'i18n.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

export function simPageRoutes(app: FastifyInstance): void {
  app.get('/', (_req, reply) => reply.redirect('/sim/customer/'));
  app.get('/sim/customer', (_req, reply) => reply.redirect('/sim/customer/'));
  app.get('/favicon.ico', (_req, reply) => reply.code(204).send());
  const serve = async (file: string, reply: FastifyReply) => {
    const type = FILES[file];
    if (!type) return reply.code(404).type('text/plain').send('Not found');
    const body = await readFile(new URL(file, PAGE_DIR), 'utf8');
    return reply.type(type).header('Cache-Control', 'no-store').send(body);
  };
  app.get('/sim/customer/', (_req, reply) => serve('index.html', reply));
  app.get('/sim/customer/:file', (req, reply) => serve((req.params as { file: string }).file, reply));
}
