/** Host functions that may suspend the component while the host awaits (storage, network, timers). */
export const asyncImports: readonly string[] = [
  'wasi:io/poll#poll',
  'wasi:io/poll#[method]pollable.block',
  'wasi:io/streams#[method]input-stream.blocking-read',
  'wasi:io/streams#[method]input-stream.blocking-skip',
  'wasi:io/streams#[method]output-stream.blocking-flush',
  'wasi:io/streams#[method]output-stream.blocking-write-and-flush',
  'wasi:io/streams#[method]output-stream.blocking-write-zeroes-and-flush',
  'wasi:io/streams#[method]output-stream.blocking-splice',
  ...['fermyon:spin/key-value', 'spin:key-value/key-value'].flatMap((iface) => [
    `${iface}#[static]store.open`,
    ...['get', 'set', 'delete', 'exists', 'get-keys'].map((m) => `${iface}#[method]store.${m}`),
  ]),
  'wasi:keyvalue/store#open',
  ...['get', 'set', 'delete', 'exists', 'list-keys'].map((m) => `wasi:keyvalue/store#[method]bucket.${m}`),
  'wasi:keyvalue/atomics#increment',
];

const asyncImportSet = new Set(asyncImports);

/** Whether a core module's import (`wasi:io/poll@0.2.10`, `poll`) is one of the host functions above. */
export const isAsyncImport = (module: string, name: string): boolean => asyncImportSet.has(`${module.replace(/@[^/#]*$/, '')}#${name}`);
