// One lint config for the api, the web app, the contracts, and the .mjs scripts, browser tests and benchmarks. Type-aware rules catch
// the promise mistakes that lose messages (a floating promise in a gateway).
import tseslint from 'typescript-eslint';

/**
 * What a feature module of the api may not import from another: its repositories (each owns its
 * tables; go through the module's service), its row shapes, its entities (outside entities and
 * repositories) and the prepared-statement helper. The membership and role repositories are the
 * exception: they are the shared aggregate the access checks read, and a workspace's members and
 * roles change together inside one transaction (creating a workspace, accepting an invite).
 */
const MODULE_BOUNDARIES = [
  {
    regex: '^\\.\\./[^/]+/(?!membership\\.repository$|role\\.repository$).*\\.repository$',
    message: "Another module's repository is its own: call that module's service (membership and roles are shared).",
  },
  { regex: '^\\.\\./\\.\\./', message: 'Import through @api/… (tsconfig.base.json paths) rather than climbing folders.' },
  { regex: '^\\.\\./[^/]+/.*-(rows|mapper)$', message: "Row shapes are their module's own: use the DTOs from @parley/contracts." },
];

const EVENTS_ONLY_THROUGH_THE_MAP = {
  // Internal events go through the typed map (apps/api/src/events): EventBus.emit and @OnAppEvent.
  name: '@nestjs/event-emitter',
  message: 'Emit with EventBus and listen with @OnAppEvent (apps/api/src/events), so names and payloads are checked.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.angular/**', 'data/**', 'coverage/**', '**/*.js', '**/*.cjs', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  {
    // The shared contracts are plain types and constants: they import nothing but each other.
    files: ['libs/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^[^.]', message: 'libs/contracts imports nothing: it is shared by the api and the web app as is.' }] }],
    },
  },
  {
    files: ['apps/api/src/**/*.ts'],
    ignores: ['apps/api/src/events/**', 'apps/api/src/app.module.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [EVENTS_ONLY_THROUGH_THE_MAP], patterns: MODULE_BOUNDARIES }],
    },
  },
  {
    // SQL lives in repositories (and migrations): a service, listener, controller or the gateway calls them.
    files: ['apps/api/src/**/*.ts'],
    ignores: ['apps/api/src/**/*.repository.ts', 'apps/api/src/database/**', 'apps/api/src/**/*.spec.ts', 'apps/api/src/events/**', 'apps/api/src/app.module.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [EVENTS_ONLY_THROUGH_THE_MAP],
          patterns: [...MODULE_BOUNDARIES, { regex: 'database/prepared$', message: 'Prepared statements are run by repositories only.' }],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(query|createQueryBuilder|getRepository)$/]',
          message: 'Queries belong in a repository (<module>/<name>.repository.ts); call its method instead.',
        },
      ],
    },
  },
  {
    // Imports that climb two folders or more use the aliases (tsconfig.base.json); the apps never import each other.
    files: ['apps/web/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\./\\.\\./', message: "Import through @web/… (tsconfig.base.json paths) rather than climbing folders." },
            { regex: '^@api/', message: 'The web app talks to the api over HTTP and sockets; shared shapes live in @parley/contracts.' },
          ],
        },
      ],
    },
  },
  {
    // The api's tests import the code through @api/…; only the helpers shared with e2e/ and bench/ sit outside.
    files: ['apps/api/test/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(\\.\\./)+src/', message: 'Import the api through @api/… (tsconfig.base.json paths).' }] },
      ],
    },
  },
);
