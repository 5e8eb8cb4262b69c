// The idempotency schema's migration history, oldest first.
import * as createIdempotencyKeys from './2026-11-23T20-45-00-create-idempotency-keys.ts';

export const idempotencyMigrations = {
  schema: 'idempotency',
  migrations: {
    '2026-11-23T20-45-00-create-idempotency-keys': createIdempotencyKeys,
  },
};
