// The issuance schema's migration history, oldest first.
import * as createIssuance from './2026-11-24T20-00-00-create-issuance.ts';

export const issuanceMigrations = {
  schema: 'issuance',
  migrations: {
    '2026-11-24T20-00-00-create-issuance': createIssuance,
  },
};
