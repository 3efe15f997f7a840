import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowGifError } from '../../../shared/errors.js';
import { noopJobContext } from '../../../shared/job.js';
import { findGifski } from './find-encoders.js';
import { lastLines, runProcess, type Binary } from './run-process.js';

const node: Binary = { name: 'node', path: process.execPath, installHint: 'Install Node.' };

test('arguments reach the program verbatim, with no shell in between', async () => {
  const tricky = ['a b', '$HOME', '"quoted"', ';', '*'];
  const { stdout } = await runProcess(
    node,
    ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...tricky],
    noopJobContext.signal,
  );
  assert.deepEqual(JSON.parse(stdout), tricky);
});

test('a missing program is ENCODER_MISSING naming it, its path and the fix', async () => {
  const missing: Binary = { name: 'gifski', path: '/nonexistent/gifski', installHint: 'Reinstall gifski.' };
  await assert.rejects(runProcess(missing, ['--version'], noopJobContext.signal), (error: unknown) => {
    assert.ok(error instanceof FlowGifError);
    assert.equal(error.code, 'ENCODER_MISSING');
    assert.match(error.message, /gifski was not found at \/nonexistent\/gifski/);
    assert.equal(error.hint, 'Reinstall gifski.');
    return true;
  });
});

test('a non-zero exit is ENCODER_FAILED carrying the last lines of stderr', async () => {
  const script = 'for (let i = 1; i <= 20; i++) console.error("line " + i); process.exit(3)';
  await assert.rejects(runProcess(node, ['-e', script], noopJobContext.signal, { tailLines: 3 }), (error: unknown) => {
    assert.ok(error instanceof FlowGifError);
    assert.equal(error.code, 'ENCODER_FAILED');
    assert.match(error.message, /exited with code 3:\nline 18\nline 19\nline 20$/);
    return true;
  });
});

test('cancelling kills the program and rejects with AbortError, not a failure', async () => {
  const controller = new AbortController();
  let pid = 0;
  const running = runProcess(node, ['-e', 'console.log(process.pid); setInterval(() => {}, 1000)'], controller.signal, {
    onLine: (line) => {
      pid = Number(line);
      controller.abort();
    },
  });
  await assert.rejects(running, { name: 'AbortError' });
  assert.ok(pid > 0);
  assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'the child is gone');
});

test('an already-aborted signal never starts the program', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(runProcess(node, ['-e', ''], controller.signal), { name: 'AbortError' });
});

test('stdin streams with backpressure: everything arrives, in order', async () => {
  const chunks = 64;
  const chunkBytes = 256 * 1024;
  let produced = 0;
  async function* source(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < chunks; i++) {
      produced++;
      yield new Uint8Array(chunkBytes).fill(i);
    }
  }
  // The reader sums byte values slowly enough that an unthrottled writer would run far ahead.
  const reader = `let n = 0, sum = 0; process.stdin.on('data', (b) => { n += b.length; for (const x of b) sum += x; });
    process.stdin.on('end', () => console.log(n + ' ' + sum));`;
  const { stdout } = await runProcess(node, ['-e', reader], noopJobContext.signal, { stdin: source() });
  const expectedSum = (chunkBytes * (chunks * (chunks - 1))) / 2;
  assert.equal(stdout.trim(), `${chunks * chunkBytes} ${expectedSum}`);
  assert.equal(produced, chunks);
});

test('a failing stdin source stops the program and rejects with the source error', async () => {
  let pid = 0;
  let started: () => void = () => {};
  const running = new Promise<void>((resolve) => (started = resolve));
  async function* source(): AsyncGenerator<Uint8Array> {
    yield new Uint8Array(10);
    await running;
    throw new Error('renderer broke');
  }
  const script = 'console.log(process.pid); process.stdin.resume(); process.stdin.on("end", () => process.exit(0))';
  await assert.rejects(
    runProcess(node, ['-e', script], noopJobContext.signal, {
      stdin: source(),
      onLine: (line) => {
        pid = Number(line);
        started();
      },
    }),
    { message: 'renderer broke' },
  );
  assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
});

test('lastLines treats carriage returns as line ends and drops blank lines', () => {
  assert.equal(lastLines('a\r\nb\rc\n\n d  \n', 2), 'c\n d');
});

test('a real gifski failure reads as ENCODER_FAILED with gifski’s own words', async () => {
  const gifski = await findGifski();
  await assert.rejects(runProcess(gifski, ['--fps', '1000', '-o', 'x.gif', 'a.png', 'b.png'], noopJobContext.signal), {
    code: 'ENCODER_FAILED',
    message: /^gifski exited with code 1:\n.*100 fps is maximum/s,
  });
});
