// The headers every answer of the server carries, error answers included. They are set when a request
// arrives (onRequest), not when the answer is sent: an answer that fails on its way out (a header value
// Node refuses, a body too large) is still sent with them. A URL too malformed to be routed never reaches
// the hooks: Fastify's frameworkErrors answers it here, with them.
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** Sent when cookies are Secure (GATEWAY_CONSOLE_SECURE_COOKIES) or the request came over HTTPS. */
export const HSTS = 'max-age=31536000';

export function setSecurityHeaders(reply: FastifyReply, https: boolean): void {
  reply.headers(SECURITY_HEADERS);
  // Over HTTPS (here or at the proxy in front), browsers are told to stay on HTTPS.
  if (https) reply.header('strict-transport-security', HSTS);
}

/** Fastify's frameworkErrors: a URL that cannot be decoded (e.g. /%E0%A4%A) is a bad request. */
export function answerUnroutable(_error: Error, _req: FastifyRequest, reply: FastifyReply): void {
  reply.headers(SECURITY_HEADERS);
  void reply.code(400).header('content-type', 'text/plain; charset=utf-8').send('Bad request');
}
