/** WebAssembly features a host may lack, found by validating the smallest module that uses each. */

/** Two memories in one module: what write tracking adds (Safari and WebKit lack it). */
const twoMemories = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x05, 0x02, 0x00, 0x00, 0x00, 0x00]);

export function hostHasMultiMemory(): boolean {
  return WebAssembly.validate(twoMemories);
}
