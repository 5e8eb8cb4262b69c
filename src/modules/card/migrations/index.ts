// The card schema's migration history, oldest first.
import * as createCard from './2026-11-24T10-00-00-create-card.ts';

export const cardMigrations = {
  schema: 'card',
  migrations: {
    '2026-11-24T10-00-00-create-card': createCard,
  },
};
