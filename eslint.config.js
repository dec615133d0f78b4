// Lint rules for the whole tree: type-aware typescript-eslint, with prettier owning the layout.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The Bot Framework stays at the Teams edge: everything else talks to the core through ports. */
const botbuilderOutsideTeams = {
  patterns: [
    {
      group: ['botbuilder', 'botbuilder-*', 'botframework-*'],
      message: 'Keep Bot Framework imports inside src/teams/ and src/server.ts.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/', 'test-output/', 'node_modules/', 'devTools/', 'data/', 'build/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // Port implementations and test doubles are async without awaiting: the interface returns a promise, and an
      // async function turns a throw into a rejection, which is what callers handle.
      '@typescript-eslint/require-await': 'off',
      // A closure that runs later may read a variable assigned once after it (a server's handler and the server).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      'no-restricted-imports': ['error', botbuilderOutsideTeams],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportExpression[source.value=/^(botbuilder|botframework-)/]',
          message: 'Keep Bot Framework imports inside src/teams/ and src/server.ts.',
        },
      ],
    },
  },
  {
    // The Teams edge, and the tests that drive it through the Bot Framework's own test adapter.
    files: ['src/teams/**', 'src/server.ts', 'test/teams/**', 'test/support/dialogHarness.ts'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    // Tests read replies, cards and JSON bodies as they arrive over the wire (untyped) and check them with expect();
    // a wrong shape fails the assertion, which is the check these rules would otherwise ask for.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  prettier,
);
