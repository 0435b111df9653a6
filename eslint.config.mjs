// Lint enforces the layers of DESIGN.md: who may import what is checked here, not remembered.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'url', 'stream', 'events', 'util', 'worker_threads'];

const noElectron = { group: ['electron', 'electron/*', '@electron/*'], message: 'Only electron/main and electron/preload may import electron: this layer must run in plain Node.' };
const noRenderer = { group: ['**/renderer/**'], message: 'The renderer is reached only through the IPC contract.' };
const noServer = { group: ['**/server/**'], message: 'Talk to the server over HTTP, not by importing it.' };
const noCore = { group: ['**/electron/core', '**/electron/core/**'], message: 'The renderer reaches the core only through the IPC contract.' };
const noMain = { group: ['**/electron/main/**', '**/electron/web-host/**', '**/electron/preload/**', '**/main/**', '**/web-host/**', '**/preload/**'], message: 'Hosts compose the core; the core never imports a host.' };
const noNode = { group: NODE_BUILTINS, message: 'This layer runs in the browser: no Node modules.' };
const noNative = { group: ['better-sqlite3', 'fastify', 'ws', 'undici'], message: 'Node-only package in a browser layer.' };

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.electron-native/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  // shared/: contracts only. Isomorphic: no Node, no DOM, no Electron, no React.
  { files: ['shared/**'], rules: restrict(noElectron, noRenderer, noServer, noCore, noMain, noNode, noNative, { group: ['react', 'react-dom', '@mantine/*'], message: 'shared/ holds contracts, not UI.' }) },
  // server/: plain Node; never Electron, never the desktop.
  { files: ['server/**'], rules: restrict(noElectron, noRenderer, { group: ['**/electron/**'], message: 'The server knows nothing of the desktop app.' }) },
  // desktop core: plain Node with injected ports; never Electron, never a host, never the UI.
  { files: ['electron/core/**'], rules: restrict(noElectron, noRenderer, noMain) },
  // web host: dev/test only; plain Node, so it must not import electron either.
  { files: ['electron/web-host/**'], rules: restrict(noElectron, noRenderer, { group: ['**/main/**', '**/preload/**'], message: 'The web host composes the core itself.' }) },
  // preload: exposes the contract only.
  { files: ['electron/preload/**'], rules: restrict(noRenderer, noServer, noCore, noNative) },
  // renderer: browser code; reaches everything through the typed API.
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules, ...restrict(noElectron, noServer, noCore, noNode, noNative) },
  },
  // CLIs and scripts print to the terminal on purpose.
  { files: ['server/cli.ts', 'server/cli/**', 'electron/web-host/cli.ts', 'scripts/**', 'bench/**', 'test/**'], rules: { 'no-console': 'off' } },
);
