/** Spin variables (fermyon:spin/variables@2.0.0, spin:variables@3.0.0) and wasi:config/store. */
import { wasiError } from './wasi/io.ts';

const validName = /^[a-z][a-z0-9_]*$/;

export function variablesImports(current: () => Readonly<Record<string, string>>) {
  const get = (name: string): string => {
    if (!validName.test(name)) throw wasiError({ tag: 'invalid-name', val: name });
    const value = current()[name];
    if (value === undefined) throw wasiError({ tag: 'undefined', val: `no variable named ${name}` });
    return value;
  };
  return {
    'fermyon:spin/variables': { get },
    'spin:variables/variables': { get },
    'wasi:config/store': {
      get: (key: string): string | undefined => current()[key],
      getAll: (): Array<[string, string]> => Object.entries(current()),
    },
  };
}
