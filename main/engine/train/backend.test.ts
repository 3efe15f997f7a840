import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBackend } from './backend.js';

test('a backend loads, is reported, and computes', async () => {
  const backend = await loadBackend();
  assert.ok(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'].includes(backend.name));
  assert.equal(backend.tf.getBackend(), backend.name.startsWith('tensorflow') ? 'tensorflow' : backend.name);
  const product = backend.tf.matMul(backend.tf.tensor2d([[1, 2]]), backend.tf.tensor2d([[3], [4]]));
  assert.deepEqual(Array.from(product.dataSync()), [11]);
  product.dispose();
});
