// Enforces DESIGN §2: modules meet only through src/modules/<name>/index.ts, the kernel depends on
// no module, and there are no import cycles. Part of `npm test` (through `npm run lint`).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make modules impossible to reason about one at a time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-deep-import-into-module',
      severity: 'error',
      comment: 'Another module may be reached only through its index.ts (DESIGN §2).',
      from: { path: '^src/modules/([^/]+)/' },
      to: {
        path: '^src/modules/([^/]+)/.+',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'no-deep-import-from-outside',
      severity: 'error',
      comment: 'Code outside the modules (http, cli, bench, test) uses a module through its index.ts only.',
      from: { pathNot: '^src/modules/' },
      to: { path: '^src/modules/[^/]+/.+', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'kernel-depends-on-no-module',
      severity: 'error',
      comment: 'The kernel is shared infrastructure and knows no domain module.',
      from: { path: '^src/kernel/' },
      to: { path: '^src/(modules|http|cli)/' },
    },
    {
      name: 'migrations-import-nothing-from-src',
      severity: 'error',
      comment: 'Migrations are frozen in time (STYLE habit 7): they import only kysely.',
      from: { path: '/migrations/' },
      to: { path: '^src/', pathNot: '/migrations/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.d.ts'] },
  },
};
