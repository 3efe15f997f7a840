/**
 * The little of Node's test runner that the renderer's unit tests touch. The renderer's type
 * world is the DOM's, and @types/node would bring Node's globals into every renderer file, so
 * the tests declare these two modules themselves (as e2e/ declares the little of the page it
 * touches). Lint allows them in *.test.ts files only.
 */
declare module 'node:test' {
  export function test(name: string, fn: () => void | Promise<void>): Promise<void>;
}

declare module 'node:assert/strict' {
  interface Assert {
    (value: unknown, message?: string): asserts value;
    ok(value: unknown, message?: string): asserts value;
    equal<T>(actual: unknown, expected: T, message?: string): asserts actual is T;
    notEqual(actual: unknown, expected: unknown, message?: string): void;
    deepEqual<T>(actual: unknown, expected: T, message?: string): asserts actual is T;
  }
  const assert: Assert;
  export default assert;
}
