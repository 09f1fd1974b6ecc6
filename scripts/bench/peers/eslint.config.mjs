// ESLint 9 with the typescript-eslint parser (no type information) and the five rules closest to
// Pattern Lens's syntactic gotchas.
import tsParser from '@typescript-eslint/parser';
import unicorn from 'eslint-plugin-unicorn';

export default [
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
    languageOptions: { parser: tsParser },
    plugins: { unicorn },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      eqeqeq: 'error',
      'no-loop-func': 'error',
      'use-isnan': 'error',
      'unicorn/no-array-fill-with-reference-type': 'error',
      'no-var': 'error',
    },
  },
];
