/**
 * Code for other isolates, built into the platform worker by node/workerd/platform-build.ts: each
 * `id` is a content hash, so cached isolates and prepared output never outlive their code.
 */
declare module 'twirl:isolates' {
  /** The app runtime of a published app's isolate (isolates/published-entry.ts). */
  export const publishedRuntime: { id: string; source: string };
  /** jco's bindgen (isolates/transpiler-entry.ts) and its core modules by module name. */
  export const transpiler: { id: string; source: string; wasm: Record<string, ArrayBuffer> };
}
