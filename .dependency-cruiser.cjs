/**
 * Wijzer's layers, lowest first (ARCHITECTURE.md draws them). A module imports its own layer and the layers below
 * it, never one above; no two files import each other, however indirectly. `npm run lint:deps` checks both.
 */
const LAYERS = [
  // Content schemas and their loader, the environment's schema, the logger: they import nothing of Wijzer.
  { name: 'base', path: '^src/(content/|config/|log\\.ts$)' },
  // The interview and what every feature shares: the store and outbox ports, markup, dates, plurals, a keyed lock,
  // the guard for a value the code's construction guarantees, the test for a JSON object.
  {
    name: 'core',
    path: '^src/(interview/|ports/|markup\\.ts$|time\\.ts$|plural\\.ts$|keyedLock\\.ts$|defined\\.ts$|plainObject\\.ts$)',
  },
  // The features, each using only those listed before it: the research export reads sorts, the analysis reads
  // them through the export, the digest shows the analysis, and the researcher's commands drive all three.
  { name: 'export', path: '^src/export/' },
  { name: 'analysis', path: '^src/analysis/' },
  { name: 'digest', path: '^src/digest/' },
  { name: 'research', path: '^src/research/' },
  // The adapters: the stores behind the ports, HTTP helpers, then the Teams edge (which uses the stores' pseudonyms).
  { name: 'storage', path: '^src/(storage|http)/' },
  { name: 'teams', path: '^src/teams/' },
  // What wires it all together and starts it: the server, the entry point, the command-line scripts.
  { name: 'app', path: '^(src/(server|main)\\.ts$|src/app/|scripts/)' },
];

const upwardImports = LAYERS.slice(0, -1).map((layer, index) => ({
  name: `${layer.name}-imports-upward`,
  comment: `${layer.name} may not import a layer above it: ${LAYERS.slice(index + 1)
    .map((above) => above.name)
    .join(', ')}`,
  severity: 'error',
  from: { path: layer.path },
  to: { path: LAYERS.slice(index + 1).map((above) => above.path) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Two modules that import each other (directly or through others) cannot be read, tested or moved alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upwardImports,
    {
      name: 'botbuilder-outside-teams',
      comment: 'The Bot Framework (its types too) stays at the Teams edge: src/teams/ and the server that wires it.',
      severity: 'error',
      // The bench's server child also runs a bare botbuilder echo bot, the baseline Wijzer is measured against.
      from: {
        path: '^(src|scripts)/',
        pathNot: ['^src/teams/', '^src/server\\.ts$', '^scripts/bench/serverChild\\.ts$'],
      },
      to: { path: '(^|/)node_modules/(botbuilder|botframework-)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type cycle or an upward type import couples the layers just the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
