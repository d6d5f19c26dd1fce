// ESLint flat config: correctness rules, the layers of src/ (see ARCHITECTURE.md), and size limits.
// Formatting is Prettier's job (`npm run format`); no stylistic rules besides the line length.
// test/unit/layers.test.ts plants one violation per layer rule and checks each is reported.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// ---- The layers -------------------------------------------------------------------------------
// Every folder of src/ with what it may import from the rest of src/ (besides itself and npm
// packages). A rule is a set of forbidden import patterns plus the one-line reason shown when one
// is hit. Paths are matched on the relative specifier, e.g. '../host/config'.

/** Relative imports into `folder` (from a sibling folder of src/, or from src/ root files). */
const into = (folder) => `^\\.\\.?/(?:\\.\\./)*${folder}(?:/|$)`;

const PURE_FOLDERS = ['api', 'core', 'shared', 'webview'];
const SURFACES = ['chat', 'ask', 'insert', 'endpoint', 'history', 'lm'];
/** The only edges between surfaces: each names why it exists. */
const SURFACE_EDGES = {
  ask: ['chat'], // an ask is answered in the chat panel
  history: ['chat'], // history reopens conversations in the chat session
  chat: ['endpoint'], // "Regenerate with Another Model…" uses the endpoint surface's model picker
};

const WHY = {
  vscode:
    'pure layers (api, core, shared, webview, protocol) never depend on vscode, not even for types: ' +
    'they run in plain Node or a browser',
  apiAlone: 'src/api imports nothing outside src/api: the client is a library of its own, tested in plain Node',
  pureNoHost:
    'pure layers never import src/host (types included): host code needs vscode; pass plain values or an interface',
  pureNoSurface: 'pure layers never import a surface (chat, ask, insert, endpoint, history): arrows point down only',
  sharedAlone: 'src/shared is used by both bundles: it may import only src/protocol.ts',
  webviewOnly: 'the webview runs in a browser bundle: it may import only src/protocol.ts and src/shared',
  hostNoSurface: 'src/host serves every surface: it never imports one (that arrow would point up)',
  surfaceEdge: 'surfaces do not import each other except the edges listed in SURFACE_EDGES (eslint.config.mjs)',
  noWebview: 'extension-host code never imports the webview (browser code, its own bundle); share through src/shared',
  noEntry: 'nothing imports src/extension.ts: it is the top, it builds and registers the pieces',
  protocolAlone: 'src/protocol.ts is shared by both bundles: it imports types only, and only from src/api',
  typedConfig: 'settings are read only through src/host/config.ts (typed, restricted mode respected)',
};

const pattern = (regex, message, extra = {}) => ({ regex, message, ...extra });
const entryPattern = pattern('^\\.\\.?/(?:\\.\\./)*extension$', WHY.noEntry);

/** The forbidden relative imports of each folder of src/. */
function forbiddenFor(folder) {
  const forbidden = [entryPattern];
  const others = (list) => list.filter((name) => name !== folder);
  if (folder === 'api') return [pattern('^\\.\\./', WHY.apiAlone)];
  if (PURE_FOLDERS.includes(folder)) {
    forbidden.push(pattern(into('host'), WHY.pureNoHost));
    for (const surface of SURFACES) forbidden.push(pattern(into(surface), WHY.pureNoSurface));
  }
  if (folder === 'shared' || folder === 'webview') {
    const why = folder === 'shared' ? WHY.sharedAlone : WHY.webviewOnly;
    const allowed = folder === 'shared' ? ['protocol'] : ['protocol', 'shared'];
    // Anything relative that leaves the folder and is not an allowed target.
    forbidden.push(pattern(`^\\.\\./(?!(?:${allowed.join('|')})(?:/|$))`, why));
  }
  if (folder === 'core') forbidden.push(pattern(into('webview'), WHY.noWebview));
  if (folder === 'host') {
    for (const surface of SURFACES) forbidden.push(pattern(into(surface), WHY.hostNoSurface));
    forbidden.push(pattern(into('webview'), WHY.noWebview));
  }
  if (SURFACES.includes(folder)) {
    const allowed = SURFACE_EDGES[folder] ?? [];
    for (const surface of others(SURFACES)) {
      if (!allowed.includes(surface)) forbidden.push(pattern(into(surface), WHY.surfaceEdge));
    }
    forbidden.push(pattern(into('webview'), WHY.noWebview));
  }
  return forbidden;
}

const noVscodePath = { name: 'vscode', message: WHY.vscode };
// What an import rule does not see: require('vscode'), import('vscode'), type X = import('vscode').Y.
const noVscodeSyntax = [
  { selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']", message: WHY.vscode },
  { selector: "ImportExpression[source.value='vscode']", message: WHY.vscode },
  { selector: "TSImportType[argument.literal.value='vscode']", message: WHY.vscode },
];

/** One config object per folder: a rule set twice for the same file would replace, not add. */
function layerConfigs() {
  const folders = [...PURE_FOLDERS, 'host', ...SURFACES];
  const configs = folders.map((folder) => {
    const pure = PURE_FOLDERS.includes(folder);
    const rules = {
      // The typescript-eslint variant also covers `import type` and `import x = require(...)`.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: pure ? [noVscodePath] : [], patterns: forbiddenFor(folder) },
      ],
    };
    if (pure) rules['no-restricted-syntax'] = ['error', ...noVscodeSyntax];
    return { files: [`src/${folder}/**/*.ts`], rules };
  });
  configs.push({
    files: ['src/protocol.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [noVscodePath],
          patterns: [
            pattern('^\\./(?!api(?:/|$))', WHY.protocolAlone),
            pattern('^\\./api(?:/|$)', WHY.protocolAlone, { allowTypeImports: true }),
          ],
        },
      ],
      'no-restricted-syntax': ['error', ...noVscodeSyntax],
    },
  });
  return configs;
}

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
        // for the webview, the root one for the rest (src/protocol.ts and src/shared are in both).
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
      // Prettier wraps code at 120 but not strings or comments: this catches those.
      'max-len': ['error', { code: 120, ignoreUrls: true }],
    },
  },

  ...layerConfigs(),

  {
    // The pure folders cannot reach vscode at all; everywhere else settings come from one place.
    files: ['src/**/*.ts'],
    ignores: [...PURE_FOLDERS.map((folder) => `src/${folder}/**`), 'src/protocol.ts', 'src/host/config.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name='getConfiguration']", message: WHY.typedConfig },
      ],
    },
  },

  {
    // Small units: a longer function or file needs an eslint-disable comment that says why.
    files: ['src/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true, IIFEs: true }],
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
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
