/**
 * The layer table of docs/architecture.md, enforced (`npm run lint:deps`, run by .ci/run).
 * Imports point one way: domain <- db <- services <- (queue, dashboard) <- (api, cli, demo).
 * Type-only imports count too (tsPreCompilationDeps): a type cycle is still a cycle a newcomer
 * has to untangle, and none is needed.
 */
const layer = (name) => `^src/${name}/`;
const only = (from, allowed, comment) => ({
  name: `${from}-imports`,
  comment,
  severity: 'error',
  from: { path: layer(from) },
  to: { path: '^src/', pathNot: allowed.map((a) => (a.endsWith('.ts') ? `^src/${a}$` : layer(a))) },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles anywhere, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    only('domain', ['domain'], 'The domain core is pure: it imports nothing of the service.'),
    only('db', ['db', 'domain', 'config.ts', 'calling-rules-in-force.ts'], 'SQL modules know the domain types and nothing above them.'),
    only('connectors', ['connectors', 'domain'], 'CRM connectors know the domain types only.'),
    only('observability', ['observability', 'domain', 'config.ts'], 'Logs and metrics query nothing.'),
    only(
      'services',
      ['services', 'domain', 'db', 'connectors', 'observability', 'app-deps.ts', 'config.ts', 'calling-rules-in-force.ts'],
      'Use cases: no HTTP, no argv, no BullMQ.',
    ),
    only(
      'queue',
      ['queue', 'services', 'domain', 'connectors', 'observability', 'app-deps.ts', 'config.ts'],
      'BullMQ wiring: jobs call use cases; no SQL, no HTTP routes.',
    ),
    only(
      'web',
      ['web', 'services', 'domain'],
      'HTTP pieces shared by the API and the dashboards: the status table, the HTML shell, roles.',
    ),
    only(
      'dashboard',
      ['dashboard', 'services', 'domain', 'observability', 'queue', 'web', 'app-deps.ts', 'config.ts'],
      'Dashboards read through use cases, never SQL, and build no API error bodies of their own.',
    ),
    {
      name: 'api-composes-dashboards-in-one-place',
      comment: 'Only the composition (operations.ts) mounts the dashboards; API code shares HTML and errors through src/web/.',
      severity: 'error',
      from: { path: layer('api'), pathNot: '^src/api/operations\\.ts$' },
      to: { path: layer('dashboard') },
    },
    {
      name: 'adapters-do-not-import-each-other',
      comment: 'The CLI and the demo compose the API; the API never imports them.',
      severity: 'error',
      from: { path: layer('api') },
      to: { path: [layer('cli'), layer('demo')] },
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
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'import', 'default'] },
    exclude: { path: '^src/dashboard/client/' },
  },
};
