/**
 * esbuild plugin for jco's bindgen (`@bytecodealliance/jco-transpile/component`): its core
 * modules arrive as files fetched at run time and as base64 compiled at run time, and workerd
 * allows neither. Each becomes an import of a Wasm module, collected here so the caller can hand
 * them to the isolate.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Plugin } from 'esbuild';

const bindgenFile = /jco-transpile[\\/]vendor[\\/]js-component-bindgen-component\.js$/;

/** `wasm` receives module name → bytes for every core module the bindgen needs. */
export function bindgenWasmModules(wasm: Map<string, Uint8Array>): Plugin {
  return {
    name: 'twirl-bindgen-wasm-modules',
    setup(build) {
      build.onResolve({ filter: /^\.\/bindgen\// }, ({ path }) => ({ path, external: true }));
      build.onLoad({ filter: bindgenFile }, async ({ path }) => {
        let source = await readFile(path, 'utf8');
        const imports: string[] = [];
        const add = (name: string, bytes: Uint8Array): string => {
          wasm.set(name, bytes);
          const local = `__bindgen_${imports.length}`;
          imports.push(`import ${local} from ${JSON.stringify(`./${name}`)};`);
          return `Promise.resolve(${local})`;
        };
        const files = [...source.matchAll(/fetchCompile\(new URL\('\.\/([\w.-]+\.wasm)', import\.meta\.url\)\)/g)];
        for (const [call, file] of files) source = source.replace(call, add(`bindgen/${file}`, await readFile(join(dirname(path), file!))));
        let inline = 0;
        source = source.replace(/base64Compile\('([A-Za-z0-9+/=]+)'\)/g, (_call, base64: string) => add(`bindgen/inline${inline++}.wasm`, Buffer.from(base64, 'base64')));
        if (files.length === 0) throw new Error('jco bindgen: no core modules found to rewrite; its layout changed');
        if (/\bbase64Compile\(|fetchCompile\(new URL/.test(source.replace(/^(const base64Compile|async function fetchCompile).*$/gm, ''))) {
          throw new Error('jco bindgen: a core module is still compiled at run time after rewriting');
        }
        return { contents: imports.join('\n') + '\n' + source, loader: 'js' };
      });
    },
  };
}
