import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/** dist/main/tools → the repository. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Without the variables a user would not have set, so the project's own files must do it. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^(npm_|ONNXRUNTIME_)/i.test(key)) delete env[key];
  return env;
}

describe('a fresh install reaches only the npm registry', () => {
  it("npm itself reads the project's skip of onnxruntime-node's CUDA download (npm 10 runs install steps)", () => {
    const value = execFileSync('npm', ['config', 'get', 'onnxruntime-node-install'], { cwd: root, env: cleanEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(value.trim(), 'skip');
  });

  it("onnxruntime-node's own install script, given that setting as npm passes it, exits at once without fetching", () => {
    const script = path.join(root, 'node_modules', 'onnxruntime-node', 'script', 'install.js');
    // An unreachable proxy: any download attempt fails instead of finishing quietly.
    const env = { ...cleanEnv(), npm_config_onnxruntime_node_install: 'skip', GLOBAL_AGENT_HTTPS_PROXY: 'http://127.0.0.1:9' };
    const run = spawnSync(process.execPath, [script], { cwd: path.dirname(script), env, encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
  });

  it('npm 11 keeps that step blocked through allowScripts, and denies nothing the app needs', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
    assert.equal(pkg.allowScripts?.['onnxruntime-node'], false);
    for (const name of ['sharp', 'gifski', 'electron']) assert.notEqual(pkg.allowScripts?.[name], false, name);
  });

  it(".ci/run runs the README's test command verbatim and sets no variable of its own", () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const ci = readFileSync(path.join(root, '.ci', 'run'), 'utf8');
    const testCommand = /Run the tests[\s\S]*?```sh\n(.+)\n```/.exec(readme)?.[1];
    assert.equal(testCommand, 'npm ci && npm test');
    const commands = ci.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
    assert.equal(commands.at(-1), testCommand);
    assert.deepEqual(commands.filter((line) => /^\s*export\s|^\s*[A-Z_]+=\S*\s+npm\b/.test(line)), []);
  });
});
