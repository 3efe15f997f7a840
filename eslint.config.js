// @ts-check
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';

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

/** What renderer/ must not import: `builtins` are the Node modules it may not use. */
function rendererImports(/** @type {string[]} */ builtins) {
  return [
    { group: builtins, message: 'renderer/ runs in the browser: no Node built-ins.' },
    { group: ['electron', 'electron/*'], message: 'renderer/ reaches Electron only through window.flowgif (the preload).' },
    { group: ['**/main/**', '../main/*'], message: 'renderer/ imports only shared/ and browser libraries.' },
    { group: ['sharp', 'onnxruntime-node', '@tensorflow/*', 'gifski', 'ws'], message: 'renderer/ must stay free of Node libraries.' },
  ];
}

/** What every engine file must not import, whatever its stage. */
const engineBase = [
  { group: ['electron', 'electron/*'], message: 'The engine runs in plain Node: no electron.' },
  { group: ['**/cli/**', '**/web/**', '**/electron/**', '**/renderer/**'], message: 'The engine must not import a host or the renderer.' },
];

/**
 * The engine's stages, earliest first: no stage imports a later one (STYLE.md). The order is the
 * one the imports of the non-test code follow today:
 *   ode       solves ODEs, imports no other stage
 *   image     picture → density (uses project/'s file helpers, below)
 *   flow      ode, image
 *   quality   image, flow, ode (scores a field against its picture)
 *   train     flow, image, ode
 *   onnx      flow, train (a trained model as an ONNX graph)
 *   inference flow, train, onnx (trained models as velocity fields: onnxruntime, tfjs fallback)
 *   render    flow, image, ode (trajectories and scenes of any field)
 *   encode    frames → GIF/MP4/PNG files (project/'s file helpers only)
 *   project   the .flow file: flow, image, train
 *   pipeline  composes them all
 * project/ holds two levels: the .flow format sits late, while its file helpers (atomic writes,
 * owned temp folders, bounded reads) know no stage and serve image/, inference/ and encode/. Those
 * helpers are the one exception every later stage may import. Tests and test utilities may reach
 * later stages (flow's tests score with quality/), so the order binds the shipped code only.
 */
const engineStages = ['ode', 'image', 'flow', 'quality', 'train', 'onnx', 'inference', 'render', 'encode', 'project', 'pipeline'];
const projectFileHelpers = ['read-regular-file', 'owned-temp', 'write-atomic'];
const engineTests = ['main/engine/**/*.test.ts', 'main/engine/**/*.bench.ts', 'main/engine/**/*.test-util.ts'];

function engineStageRules() {
  const restrict = (/** @type {object[]} */ patterns) => ({ rules: { 'no-restricted-imports': ['error', { patterns: [...engineBase, ...patterns] }] } });
  const laterThan = (/** @type {number} */ index, /** @type {string} */ who) => {
    const later = engineStages.slice(index + 1);
    if (later.length === 0) return [];
    const group = later.map((stage) => `../${stage}/*`);
    if (later.includes('project')) group.push(...projectFileHelpers.map((name) => `!../project/${name}.js`));
    return [{ group, message: `${who} must not import a later stage (${later.join(', ')}): the engine's stages run ${engineStages.join(' → ')}.` }];
  };
  const helperFiles = projectFileHelpers.map((name) => `main/engine/project/${name}.ts`);
  return [
    { files: ['main/engine/**/*.ts'], ...restrict([]) },
    ...engineStages.map((stage, index) => ({
      files: [`main/engine/${stage}/**/*.ts`],
      ignores: [...engineTests, ...(stage === 'project' ? helperFiles : [])],
      ...restrict(stage === 'ode'
        ? [{ group: engineStages.slice(1).map((s) => `../${s}/*`), message: 'ode/ knows nothing of flows: it solves ODEs.' }]
        : laterThan(index, `${stage}/`)),
    })),
    {
      files: helperFiles,
      ignores: engineTests,
      ...restrict([{ group: engineStages.map((s) => `../${s}/*`), message: "project/'s file helpers sit below every stage: they import none." }]),
    },
  ];
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'artifacts/**', 'renderer/dist/**'] },
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    // Components and rune modules: the Svelte parser, with TypeScript inside <script lang="ts">.
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
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
  ...engineStageRules(),
  {
    // The engine service runs under every host (utility process, forked worker, tests).
    files: ['main/service/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'The service runs in plain Node (a utilityProcess is Node too): no electron.' },
          { group: ['**/cli/**', '**/web/**', '**/electron/**', '**/renderer/**'], message: 'The service must not import a host or the renderer.' },
        ],
      }],
    },
  },
  {
    // What the UI hosts share (asset types, CSP): used by hosts, imports none of them.
    files: ['main/hosting/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'Shared hosting code runs in plain Node: no electron.' },
          { group: ['**/cli/**', '**/web/**', '**/electron/**', '**/renderer/**', '**/engine/**', '**/service/**'], message: 'main/hosting serves the hosts and imports none of them.' },
        ],
      }],
    },
  },
  {
    files: ['main/web/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'The web host runs in plain Node: no electron.' },
          { group: ['**/electron/**', '**/cli/**', '**/renderer/**'], message: 'Hosts never import each other; the web host serves the built renderer, it does not import it.' },
        ],
      }],
    },
  },
  {
    files: ['main/cli/**/*.ts', 'main/bench/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'The CLI and web hosts run in plain Node: no electron.' },
          { group: ['**/electron/**', '**/renderer/**'], message: 'Hosts never import each other.' },
        ],
      }],
    },
  },
  {
    // The Electron shell: electron, the engine, shared/ and the service; never another host or the UI.
    files: ['main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/cli/**', '**/web/**', '**/renderer/**'], message: 'Hosts never import each other, nor the renderer.' },
        ],
      }],
    },
  },
  {
    // The preload runs sandboxed: at run time only `electron` exists; shared/ is bundled in.
    files: ['main/electron/preload.ts', 'main/electron/preload-api.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'A sandboxed preload has no Node built-ins.' },
          { group: ['**/engine/**', '**/service/**', '**/cli/**', '**/web/**', '**/renderer/**'], message: 'The preload imports only electron and shared/.' },
          { group: ['./*', '!./preload-api.js'], message: 'The preload imports only electron, shared/ and its API generator.' },
          { group: ['sharp', 'onnxruntime-node', '@tensorflow/*', 'gifski', 'ws'], message: 'The preload imports only electron and shared/.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'A sandboxed preload must not read process (no process.env in the page).' },
        { name: 'require', message: 'A sandboxed preload can require only electron: import it.' },
        { name: 'Buffer', message: 'A sandboxed preload has no Buffer.' },
      ],
    },
  },
  {
    // The renderer is a browser page: DOM and shared/ only. Its build configs run in Node.
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    ignores: ['renderer/vite.config.ts', 'renderer/vite.test.config.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: rendererImports(nodeBuiltins) }],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'renderer/ has no Node.' },
        { name: 'Buffer', message: 'renderer/ has no Node.' },
        { name: 'require', message: 'renderer/ has no Node.' },
      ],
    },
  },
  {
    // The renderer's unit tests run the state in plain Node: node:test and node:assert, no
    // more (renderer/src/node-test.d.ts declares just those), so the code under test stays the page's.
    files: ['renderer/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: rendererImports([...nodeBuiltins, '!node:test', '!node:assert']) }],
    },
  },
  {
    // End-to-end specs drive the running UI as a user would: Node, playwright-core (with the
    // system Chromium, or Electron through _electron) and the web host's entry. The UI and the
    // engine are black boxes: no renderer/ or shared/ internals, nothing else of main/.
    files: ['e2e/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/renderer/**', '../renderer/*'], message: 'e2e drives the built UI through the page; it does not import renderer/.' },
          { group: ['**/shared/**', '../shared/*'], message: 'e2e checks what the user sees; the contract in shared/ is for the UI and the engine.' },
          { regex: '(^|/)main/(?!web/web-host\\.js$)', message: 'e2e starts the web host (main/web/web-host.js) and imports nothing else of main/.' },
          { group: ['electron', 'electron/*'], message: 'e2e launches Electron through playwright-core (_electron), never imports it.' },
          { group: ['playwright', 'playwright/*', '@playwright/test', '@playwright/test/*'], message: 'Use playwright-core with the system Chromium: the other packages download browsers.' },
        ],
      }],
    },
  },
);
