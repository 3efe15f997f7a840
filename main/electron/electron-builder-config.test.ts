import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
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
const text = readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
const config = yaml.load(text) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('names the app and packs dist/ into an asar, tests, maps and bench left out', () => {
    assert.equal(config.productName, 'FlowGIF');
    assert.match(config.appId, /^[a-z]+(\.[a-z]+)+$/);
    assert.equal(config.directories.output, 'out');
    assert.equal(config.asar, true);
    assert.ok(config.files.includes('dist/**/*'));
    assert.ok(config.files.includes('package.json'));
    for (const excluded of ['!dist/**/*.test.js', '!dist/**/*.map', '!dist/main/bench/**']) assert.ok(config.files.includes(excluded), excluded);
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

  it('targets AppImage and deb, NSIS, and dmg', () => {
    assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
    assert.deepEqual(config.win.target, ['nsis']);
    assert.deepEqual(config.mac.target, ['dmg']);
  });

  it('unpacks every native module and the wasm binaries from the asar', () => {
    for (const entry of [
      'node_modules/sharp/**',
      'node_modules/@img/**',
      'node_modules/onnxruntime-node/**',
      'node_modules/@tensorflow/tfjs-node/**',
      'node_modules/@tensorflow/tfjs-node-gpu/**',
      'node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm',
    ]) {
      assert.ok(config.asarUnpack.includes(entry), entry);
    }
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
