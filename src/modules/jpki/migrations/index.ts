// The jpki schema's migration history, oldest first.
import * as createJpki from './2026-11-23T21-20-00-create-jpki.ts';
import * as certificates from './2026-11-24T00-00-00-certificates.ts';
import * as verifiers from './2026-11-24T01-00-00-verifiers.ts';
import * as crls from './2026-11-24T02-00-00-crls.ts';

export const jpkiMigrations = {
  schema: 'jpki',
  migrations: {
    '2026-11-23T21-20-00-create-jpki': createJpki,
    '2026-11-24T00-00-00-certificates': certificates,
    '2026-11-24T01-00-00-verifiers': verifiers,
    '2026-11-24T02-00-00-crls': crls,
  },
};
