import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Emitter } from './emitter.js';

describe('Emitter', () => {
  it('fires to every listener until its disposer is called; disposing twice is harmless', () => {
    const emitter = new Emitter<number>(() => assert.fail('no listener throws'));
    const a: number[] = [];
    const b: number[] = [];
    const offA = emitter.event((n) => a.push(n));
    emitter.event((n) => b.push(n));
    emitter.fire(1);
    offA();
    offA();
    emitter.fire(2);
    assert.deepEqual(a, [1]);
    assert.deepEqual(b, [1, 2]);
  });

  it('the same function subscribed twice is two subscriptions', () => {
    const emitter = new Emitter<number>(() => {});
    const seen: number[] = [];
    const listener = (n: number): void => void seen.push(n);
    const first = emitter.event(listener);
    emitter.event(listener);
    emitter.fire(1);
    first();
    emitter.fire(2);
    assert.deepEqual(seen, [1, 1, 2]);
  });

  it('a throwing listener is reported after the others have heard, and stops none of them', () => {
    const reported: unknown[] = [];
    const emitter = new Emitter<string>((error) => reported.push(error));
    const heard: string[] = [];
    emitter.event((v) => heard.push(`a ${v}`));
    emitter.event(() => {
      assert.equal(reported.length, 0, 'not reported in the middle of the firing');
      throw new Error('listener bug');
    });
    emitter.event((v) => heard.push(`c ${v}`));
    emitter.fire('x');
    assert.deepEqual(heard, ['a x', 'c x']);
    assert.equal(reported.length, 1);
    assert.match(String(reported[0]), /listener bug/);
  });

  it('a listener unsubscribed by an earlier one during a firing hears nothing more', () => {
    const emitter = new Emitter<number>(() => {});
    const seen: number[] = [];
    let offB = (): void => {};
    emitter.event(() => offB());
    offB = emitter.event((n) => seen.push(n));
    emitter.fire(1);
    assert.deepEqual(seen, []);
  });
});
