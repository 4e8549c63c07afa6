/** A core module (binary version 1), as Spin 1.x apps are, rather than a component (version 0x0d, layer 1). */
export function isCoreModule(bytes: Uint8Array): boolean {
  return [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00].every((b, i) => bytes[i] === b);
}
