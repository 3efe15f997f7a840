// @ts-check
import tseslint from 'typescript-eslint';

/**
 * The layering table of STYLE.md, enforced: each folder names what it may import.
 * A file's folder is its runtime; crossing a boundary is a lint error, not a review comment.
 */
const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'stream', 'url', 'util', 'events', 'http', 'net', 'zlib', 'readline'];

const noNodeNoDom = {
  patterns: [
    { group: nodeBuiltins, message: 'shared/ is plain TypeScript: no Node built-ins.' },
    { group: ['electron', 'electron/*'], message: 'shared/ must not import electron.' },
    { group: ['**/main/**', '../main/*', '**/renderer/**'], message: 'shared/ imports only shared/.' },
    { group: ['sharp', 'onnxruntime-node', '@tensorflow/*', 'gifski'], message: 'shared/ must stay free of Node libraries.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'artifacts/**', 'renderer/dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', noNodeNoDom],
      'no-restricted-globals': ['error',
        { name: 'window', message: 'shared/ has no DOM.' },
        { name: 'document', message: 'shared/ has no DOM.' },
        { name: 'process', message: 'shared/ has no Node.' },
        { name: 'Buffer', message: 'shared/ has no Node.' },
        { name: 'require', message: 'shared/ has no Node.' },
      ],
    },
  },
  {
    // Tests of shared code run under Node's test runner; the code under test stays pure.
    files: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: noNodeNoDom.patterns.slice(1) }],
    },
  },
  {
    files: ['main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'The engine runs in plain Node: no electron.' },
          { group: ['**/cli/**', '**/web/**', '**/electron/**', '**/renderer/**'], message: 'The engine must not import a host or the renderer.' },
        ],
      }],
    },
  },
  {
    files: ['main/engine/ode/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'The engine runs in plain Node: no electron.' },
          { group: ['../flow/*', '../train/*', '../image/*', '../render/*', '../encode/*', '../quality/*', '../project/*'], message: 'ode/ knows nothing of flows: it solves ODEs.' },
        ],
      }],
    },
  },
  {
    files: ['main/cli/**/*.ts', 'main/web/**/*.ts', 'main/bench/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'The CLI and web hosts run in plain Node: no electron.' },
          { group: ['**/electron/**', '**/renderer/**'], message: 'Hosts never import each other.' },
        ],
      }],
    },
  },
);
