// ESLint flat config: correctness rules only. Formatting is Prettier's job (`npm run format`);
// no stylistic rules are enabled, so eslint-config-prettier is not needed.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// vscode exists only inside the extension host. The API client is unit-tested in plain Node and
// the webview runs in a browser, so neither may depend on it, not even for types.
const noVscode =
  'src/api and src/webview must not depend on vscode (the client runs in plain Node, the webview in a browser)';

export default defineConfig(
  {
    ignores: ['dist/', 'out/', 'node_modules/', '.vscode-test/', '**/*.vsix', 'test/bench/results/'],
  },

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked with its nearest tsconfig.json: src/webview/tsconfig.json (DOM libs)
        // for the webview, the root one for the rest (src/protocol.ts is in both).
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Part of recommendedTypeChecked already; spelled out because they are why this config exists.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Same convention as tsc's noUnusedParameters: a leading _ marks a deliberately unused parameter.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Off: `async` without `await` is deliberate here (async generator fixtures that yield
      // synchronously; functions that must return a promise). Promise misuse is caught by the two above.
      '@typescript-eslint/require-await': 'off',
    },
  },

  {
    files: ['src/api/**', 'src/webview/**'],
    rules: {
      // The typescript-eslint variant also covers `import type` and `import x = require(...)`.
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: noVscode }] }],
      // What an import rule does not see: require('vscode'), import('vscode'), type X = import('vscode').Y.
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']", message: noVscode },
        { selector: "ImportExpression[source.value='vscode']", message: noVscode },
        { selector: "TSImportType[argument.literal.value='vscode']", message: noVscode },
      ],
    },
  },

  {
    // Plain JavaScript (esbuild.js, this file): no tsconfig covers it, so no type-aware rules.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // A CommonJS Node script: require() is how it loads modules.
    files: ['esbuild.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
