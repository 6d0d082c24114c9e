// A stand-in for ESPM's web services in the client's tests, so that each test chooses the exact answer:
// the handler given reads every request with its whole body.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export function standInEspm(handle: Handler): { start(): Promise<string>; stop(): void } {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => handle(req, res, body));
  });
  return {
    /** Listens on a free local port; returns the base URL, ending in /ws/. */
    async start() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/ws/`;
    },
    stop() {
      server.closeAllConnections();
      server.close();
    },
  };
}
