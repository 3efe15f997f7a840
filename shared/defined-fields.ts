/**
 * The fields of `input` that are set: an unset flag or form field is undefined, and spreading it
 * over a default (or a preset's value) would erase what it should keep.
 */
export function definedFields<T extends object>(input: T): T {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as T;
}
