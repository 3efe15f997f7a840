import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/** dist/main/electron → the repository. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const requireHere = createRequire(path.join(root, 'package.json'));

interface FileSet {
  readonly from: string;
  readonly to: string;
  readonly filter?: readonly string[];
}

interface BuilderConfig {
  readonly appId: string;
  readonly productName: string;
  readonly directories: { readonly output: string };
  readonly files: readonly string[];
  readonly asar: boolean;
  readonly disableAsarIntegrity?: boolean;
  readonly electronFuses?: Readonly<Record<string, unknown>>;
  readonly asarUnpack: readonly string[];
  readonly extraResources: readonly FileSet[];
  readonly linux: { readonly target: readonly string[]; readonly extraResources: readonly FileSet[] };
  readonly win: { readonly target: readonly string[]; readonly extraResources: readonly FileSet[] };
  readonly mac: { readonly target: readonly string[]; readonly extraResources: readonly FileSet[] };
}

// js-yaml comes with electron-builder; no types are installed, so take only what is used.
const yaml = requireHere('js-yaml') as { load(text: string): unknown };
// electron-builder matches its file patterns with minimatch; the tests match them the same way.
const minimatch = (requireHere('minimatch') as { minimatch: (path: string, pattern: string, options?: { dot?: boolean }) => boolean }).minimatch;
const text = readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
const config = yaml.load(text) as BuilderConfig;

describe('electron-builder.yml', () => {
  it("packs what the app runs (package.json's main, the preload, the renderer) and none of the tests, maps or bench", () => {
    // electron-builder's rule: patterns in order, a later '!' pattern takes a file back out.
    const packed = (file: string): boolean =>
      config.files.reduce((inside, pattern) => (pattern.startsWith('!') ? inside && !minimatch(file, pattern.slice(1), { dot: true }) : inside || minimatch(file, pattern, { dot: true })), false);
    const main = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string }).main;
    const built = filesUnder(path.join(root, 'dist')).map((file) => `dist/${file}`);
    assert.ok(built.includes(main), `${main} is built`);
    for (const needed of [main, 'package.json', 'dist/main/electron/preload.cjs', 'dist/renderer/index.html', 'dist/main/service/worker-entry.js']) {
      assert.ok(packed(needed), `${needed} is packed`);
    }
    const leaked = built.filter((file) => packed(file) && /\.(test|test-util)\.js$|\.map$|\.d\.ts$|^dist\/main\/(bench|tools)\//.test(file));
    assert.deepEqual(leaked, [], 'no tests, source maps, declarations, bench or tools in the package');
    assert.equal(config.asar, true);
  });

  it("sets Electron's fuses: no Node mode, no NODE_OPTIONS, no --inspect, only a validated app.asar", () => {
    const fuses = config.electronFuses;
    assert.ok(fuses !== undefined && fuses !== null, 'electron-builder.yml has an electronFuses section');
    // Strict booleans: a YAML typo such as "no" or "off" must not pass for false.
    assert.equal(fuses['runAsNode'], false, 'runAsNode off: ELECTRON_RUN_AS_NODE is ignored');
    assert.equal(fuses['enableNodeOptionsEnvironmentVariable'], false, 'NODE_OPTIONS is ignored');
    assert.equal(fuses['enableNodeCliInspectArguments'], false, '--inspect and SIGUSR1 are ignored');
    assert.equal(fuses['enableEmbeddedAsarIntegrityValidation'], true, 'app.asar is checked against its embedded hash');
    assert.equal(fuses['onlyLoadAppFromAsar'], true, 'the app loads from app.asar only');
    // Integrity validation needs the hash electron-builder computes, which this key would turn off.
    assert.notEqual(config.disableAsarIntegrity, true);
    assert.equal(config.asar, true);
  });

  it('names only fuses electron-builder knows, spelled as its FuseOptionsV1 spells them', () => {
    const declarations = readFileSync(requireHere.resolve('app-builder-lib/out/configuration.d.ts'), 'utf8');
    const known = declarations.match(/interface FuseOptionsV1 \{([\s\S]*?)\n\}/)?.[1] ?? '';
    for (const name of Object.keys(config.electronFuses ?? {})) assert.match(known, new RegExp(`\\b${name}\\?:`), name);
  });

  it('unpacks every native binary the app depends on, and the wasm binaries, from the asar', () => {
    const unpacked = (file: string): boolean => config.asarUnpack.some((pattern) => minimatch(file, pattern, { dot: true }));
    const binaries = productionPackages().flatMap((dir) => filesUnder(path.join(root, dir)).filter((f) => f.endsWith('.node')).map((f) => `${dir}/${f}`));
    assert.ok(binaries.some((file) => file.includes('sharp')), `sharp's binary is among the app's: ${binaries.join(', ')}`);
    for (const file of binaries) assert.ok(unpacked(file), `${file} is loaded by path, so it must be unpacked`);
    const wasm = filesUnder(path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')).filter((f) => f.endsWith('.wasm'));
    assert.ok(wasm.length > 0);
    for (const file of wasm) assert.ok(unpacked(`node_modules/@tensorflow/tfjs-backend-wasm/dist/${file}`), file);
  });

  it('ships samples, ffmpeg and each platform\'s gifski into Resources/bin, where the encoder finder looks', () => {
    const to = (sets: readonly FileSet[]) => sets.map((set) => `${set.from} -> ${set.to}`);
    assert.ok(to(config.extraResources).includes('resources/samples -> samples'));
    assert.ok(to(config.extraResources).includes('node_modules/@ffmpeg-installer/${platform}-${arch} -> bin'));
    const gifski = { linux: 'debian', win: 'windows', mac: 'macos' } as const;
    for (const os of ['linux', 'win', 'mac'] as const) {
      const set = config[os].extraResources.find((entry) => entry.from === `node_modules/gifski/bin/${gifski[os]}`);
      assert.equal(set?.to, 'bin', os);
    }
  });

  it('points at files that exist: samples, the icon, the gifski binaries', () => {
    assert.ok(existsSync(path.join(root, 'resources', 'samples')));
    const icon = readFileSync(path.join(root, 'resources', 'icons', 'icon.png'));
    // PNG signature, then IHDR width and height (big-endian) at bytes 16..23.
    assert.equal(icon.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [512, 512]);
    for (const binary of ['debian/gifski', 'macos/gifski', 'windows/gifski.exe']) {
      assert.ok(existsSync(path.join(root, 'node_modules', 'gifski', 'bin', binary)), binary);
    }
  });

  it("passes electron-builder's own schema", async (t) => {
    let validate: ((config: unknown, logger: unknown) => Promise<void>) | undefined;
    try {
      // An internal module of electron-builder: if a release moves it, skip rather than fail.
      const builderRequire = createRequire(requireHere.resolve('electron-builder/package.json'));
      validate = (builderRequire('app-builder-lib/out/util/config/config.js') as { validateConfiguration: typeof validate }).validateConfiguration;
    } catch {
      validate = undefined;
    }
    if (validate === undefined) {
      t.skip("app-builder-lib's validateConfiguration not found");
      return;
    }
    await validate(config, { isEnabled: false, add: () => {} });
  });
});

/** Every file below a folder, relative to it, with '/' separators. */
function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  // parentPath is Node 20.12's name for what 20.9 calls path.
  return (readdirSync(folder, { recursive: true, withFileTypes: true }) as { name: string; parentPath?: string; path?: string; isFile(): boolean }[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath ?? entry.path ?? folder, entry.name)).split(path.sep).join('/'));
}

/** node_modules folders of the app's dependencies and theirs (what electron-builder packs), as installed here. */
function productionPackages(): string[] {
  const seen = new Set<string>();
  const visit = (name: string, from: string): void => {
    // Node's lookup: a copy nested under the dependent first, then the hoisted one.
    const dir = [path.posix.join(from, 'node_modules', name), path.posix.join('node_modules', name)].find((d) => existsSync(path.join(root, d, 'package.json')));
    if (dir === undefined || seen.has(dir)) return;
    seen.add(dir);
    for (const next of dependencyNames(path.join(root, dir, 'package.json'))) visit(next, dir);
  };
  for (const name of dependencyNames(path.join(root, 'package.json'))) visit(name, '.');
  return [...seen];
}

function dependencyNames(packageJson: string): string[] {
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
  return [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {})];
}
