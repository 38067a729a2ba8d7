// One lint config for the api, the web app and the contracts. Type-aware rules catch
// the promise mistakes that lose messages (a floating promise in a gateway).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.angular/**', 'data/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs', 'test-results/**'] },
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
    // Internal events go through the typed map (apps/api/src/events): EventBus.emit and @OnAppEvent.
    files: ['apps/api/src/**/*.ts'],
    ignores: ['apps/api/src/events/**', 'apps/api/src/app.module.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@nestjs/event-emitter',
              message: 'Emit with EventBus and listen with @OnAppEvent (apps/api/src/events), so names and payloads are checked.',
            },
          ],
        },
      ],
    },
  },
);
