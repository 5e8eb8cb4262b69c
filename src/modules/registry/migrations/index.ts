// The registry schema's migration history, oldest first.
import * as createRegistry from './2026-11-23T20-00-00-create-registry.ts';

export const registryMigrations = {
  schema: 'registry',
  migrations: {
    '2026-11-23T20-00-00-create-registry': createRegistry,
  },
};
