/** Bad command-line usage: exit code 2 and the usage text, never a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
