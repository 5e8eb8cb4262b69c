// The audit schema's migration history, oldest first.
import * as createAuditRecords from './2026-11-23T19-50-00-create-audit-records.ts';

export const auditMigrations = {
  schema: 'audit',
  migrations: {
    '2026-11-23T19-50-00-create-audit-records': createAuditRecords,
  },
};
