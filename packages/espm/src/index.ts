export * from './types.ts';
export * from './enums.ts';
export * from './client/client.ts';
export * from './client/errors.ts';
export * from './client/limiter.ts';
export type { AttemptRecord, EspmConnection } from './client/transport.ts';
