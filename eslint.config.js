// Lint: the recommended rules of eslint and typescript-eslint, plus the layering rule of
// docs/ARCHITECTURE.md (no library module below cli/ and data/ touches the file system).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'coverage/**', '**/*.generated.*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/data/node/**', 'src/node/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'path', 'node:path', 'os', 'node:os', 'child_process', 'node:child_process'].map((name) => ({
          name,
          message: 'Library modules must run in a browser: pass bytes in; file access belongs in src/cli or src/data/node.',
        })),
      }],
    },
  },
);
