import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import gateway from './scripts/eslint/no-await-in-promise-all.js';

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'data/**', 'artifacts/**', 'packages/gateway/dist*/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // A promise nobody awaits or catches ends the process when it rejects (issue 12).
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { gateway },
    rules: {
      'gateway/no-await-in-promise-all': 'error',
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after'],
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/espm-simulator/src/page/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
