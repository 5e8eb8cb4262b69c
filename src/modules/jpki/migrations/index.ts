// The jpki schema's migration history, oldest first.
import * as createJpki from './2026-11-23T21-20-00-create-jpki.ts';

export const jpkiMigrations = {
  schema: 'jpki',
  migrations: {
    '2026-11-23T21-20-00-create-jpki': createJpki,
  },
};
