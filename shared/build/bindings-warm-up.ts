/**
 * A warm-up appended to the splice's bindings (the initializer script), run once when the
 * engine is initialised. Every request starts from the snapshot, so whatever the engine does the
 * first time a piece of JavaScript runs (SpiderMonkey's first-run work for a function and its
 * property accesses) is otherwise paid again by every request: the key-value counter spent
 * ~100 µs of its ~500 µs in the first `Store.open` of each request, ~15 µs in the second. Running
 * the bindings' shared helpers once here puts that work in the snapshot.
 *
 * Nothing here reaches the app: the initializer has a global of its own, runs before the app's
 * module, calls no import of the host, and leaves nothing allocated or registered. The helpers
 * are componentize-js's; each is looked up first, so a version without one warms the others.
 */

/** What the bindings' lowering and lifting of strings, bytes, results and resources run on every call. */
const WARM_UP = `
;(() => {
  try {
    if (typeof _debugLog === 'function') _debugLog('warm-up', {});
    if (typeof _utf8AllocateAndEncode !== 'function' || typeof $dealloc !== 'function') return;
    const { ptr, len } = _utf8AllocateAndEncode('warm-up', $realloc, $memory);
    if (typeof dataView === 'function') dataView($memory).getUint8(ptr, true);
    if (typeof TEXT_DECODER_UTF8 === 'object') TEXT_DECODER_UTF8.decode(new Uint8Array($memory.buffer, ptr, len));
    // Bytes (list<u8>) lowered into the guest's memory and lifted out of it.
    const bytes = new Uint8Array(len);
    Array.isArray(bytes);
    new Uint8Array($memory.buffer, ptr, len).set(new Uint8Array(bytes.buffer, bytes.byteOffset, len));
    new Uint8Array($memory.buffer.slice(ptr, ptr + len));
    $dealloc(ptr, len, 1);
    for (const [registry, prototype] of [__RESOURCES__]) {
      const resource = Object.create(prototype);
      Object.defineProperty(resource, symbolRscHandle, { writable: true, value: 0 });
      registry.register(resource, 0, resource);
      registry.unregister(resource);
    }
  } catch {}
})();
`;

/**
 * The imported resources: each one's finalization registry, which every new handle of it joins,
 * and its class, whose instances the handles are. componentize-js names them
 * `finalizationRegistry_import$<interface>$<resource>` and `import_<interface>$<Resource>`.
 */
function importedResources(bindings: string): string[] {
  const classes = new Map<string, string>();
  for (const [, name] of bindings.matchAll(/^class (import_[\w$]+)\s*\{/gm)) classes.set(name!.toLowerCase(), name!);
  const pairs: string[] = [];
  for (const [, registry, iface, resource] of bindings.matchAll(/^const (finalizationRegistry_import\$([\w]+)\$([\w]+)) = new FinalizationRegistry\(/gm)) {
    const cls = classes.get(`import_${iface}$${resource}`.toLowerCase());
    if (cls) pairs.push(`[${registry}, ${cls}.prototype]`);
  }
  return pairs;
}

/** The bindings with the warm-up after them. */
export function withWarmUp(bindings: string): string {
  return bindings + WARM_UP.replace('__RESOURCES__', importedResources(bindings).join(', '));
}
