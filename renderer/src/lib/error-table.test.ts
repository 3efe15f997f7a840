import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeError, errorTable } from './error-table.js';

test('the app names its own controls, never a command-line flag', () => {
  for (const [code, entry] of Object.entries(errorTable)) {
    assert.ok(!/(^|\s)--[a-z]/.test(`${entry.title} ${entry.action}`), `${code} speaks of a flag`);
  }
  // The engine leaves IMAGE_NO_MASS without a hint, so the app's own words show.
  const shown = describeError({ name: 'FlowGifError', code: 'IMAGE_NO_MASS', message: 'Nothing to draw: white.png is all one colour, its background.', file: 'white.png' });
  assert.ok(/under Shape/.test(shown.action ?? ''), shown.action);
});
