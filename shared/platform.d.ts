/**
 * The few globals that both Node and browsers provide and that shared/ may use. Declared here
 * because shared/ compiles with neither DOM nor Node types, so nothing else leaks in.
 */
declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
