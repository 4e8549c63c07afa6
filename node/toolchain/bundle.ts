import { build, type Message } from 'esbuild';
import { relative } from 'node:path';
import { TwirlError } from '../../shared/errors.ts';

/** Host interfaces stay as imports for componentize-js to bind against the world. */
const HOST_IMPORTS = ['fermyon:*', 'spin:*', 'wasi:*'];

export interface Bundle {
  code: string;
  /** Host interfaces the code imports, e.g. `fermyon:spin/key-value@2.0.0`. */
  hostImports: string[];
}

/** Bundles a JS/TS entry and its npm imports into one ES module. */
export async function bundleEntry(entry: string): Promise<Bundle> {
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      mainFields: ['module', 'main'],
      conditions: ['workerd', 'worker', 'browser'],
      external: HOST_IMPORTS,
      metafile: true,
      logLevel: 'silent',
    });
    const out = result.outputFiles[0];
    if (!out) throw new TwirlError('bundle-failed', `esbuild produced no output for ${entry}`);
    const hostImports = Object.values(result.metafile.outputs)
      .flatMap((o) => o.imports)
      .filter((i) => i.external)
      .map((i) => i.path);
    return { code: out.text, hostImports };
  } catch (err) {
    const errors = (err as { errors?: Message[] }).errors;
    if (!errors?.length) throw err;
    throw new TwirlError('bundle-failed', errors.map(formatMessage).join('\n'), { cause: err });
  }
}

/** `src/index.js:3:7: error: Expected ";" but found "x"` then the line itself. */
function formatMessage(m: Message): string {
  const loc = m.location;
  if (!loc) return `error: ${m.text}`;
  const file = relative(process.cwd(), loc.file) || loc.file;
  return `${file}:${loc.line}:${loc.column + 1}: error: ${m.text}\n    ${loc.lineText.trim()}`;
}

