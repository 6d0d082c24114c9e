export * from './types.ts';
export * from './enums.ts';
export * from './sample-customer.ts';
export * from './client/client.ts';
export * from './client/errors.ts';
export * from './client/limiter.ts';
export type { AttemptRecord, EspmConnection } from './client/transport.ts';
export { MAX_ENTRIES_PER_DOCUMENT } from './xml/meter-data.ts';
