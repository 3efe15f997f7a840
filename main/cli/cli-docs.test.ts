import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { commands } from './commands/all.js';
import { presetTable } from './preset-table.js';

const readme = fileURLToPath(new URL('../../../README.md', import.meta.url));

/** The README's "Command line" section: its command table and the option tables under it. */
async function commandLineSection(): Promise<string> {
  const text = await fs.readFile(readme, 'utf8');
  const start = text.indexOf('## Command line');
  assert.ok(start >= 0, 'the README has a Command line section');
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

// `--color…` spellings are documented once, as a rule about every `--colour…` flag.
const documentedName = (name: string): string => name.replace('color', 'colour');

test('the README and each command’s --help name every flag its parser takes', async () => {
  const section = await commandLineSection();
  const missing: string[] = [];
  for (const command of commands) {
    for (const [name, spec] of Object.entries(command.options)) {
      const flag = `--${documentedName(name)}`;
      // A flag followed by anything but more of a name: --hold-end does not count as --hold.
      const named = new RegExp(`${flag}(?![a-z-])`);
      if (!named.test(section)) missing.push(`README: ${command.name} ${flag}`);
      // The help shows a flag with a short form by that form (-o OUT), the README both.
      if (spec.short === undefined ? !named.test(command.usage.replaceAll('--color', '--colour')) : !command.usage.includes(`-${spec.short} `)) {
        missing.push(`help: ${command.name} ${flag}`);
      }
      if (spec.short !== undefined && !section.includes(`\`-${spec.short}\``)) missing.push(`README: ${command.name} -${spec.short}`);
    }
    assert.ok(section.includes(`\`${command.name} `), `the README's table has a row for ${command.name}`);
  }
  assert.deepEqual(missing, []);
});

test('the README’s preset table is the presets’ own values', async () => {
  const section = await commandLineSection();
  assert.ok(section.includes(presetTable()), `the README's Command line section has the preset table:\n${presetTable()}`);
});
