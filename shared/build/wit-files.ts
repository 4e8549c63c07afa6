/**
 * The WIT files JS components are built against, on strings only: Twirl's worlds and Spin
 * interfaces (`shared/wit/*.wit`) plus jco's WASI packages at the WASI version the engine
 * exports. Node reads the inputs from disk, the browser build imports them as text.
 */

import { TwirlError } from '../errors.ts';

/** The WASI version StarlingMonkey (componentize-js 0.23) exports; worlds must match it. */
export const WASI_VERSION = '0.2.10';
/** The WASI version of the WIT jco ships (`lib/wit/builtin/<version>/`). */
export const JCO_WASI_VERSION = '0.2.12';
/** jco's WASI packages the worlds depend on, by folder name. */
export const WASI_PACKAGES = ['wasi-http', 'wasi-io', 'wasi-cli', 'wasi-clocks', 'wasi-random', 'wasi-filesystem', 'wasi-sockets'] as const;

/** The root file, holding Twirl's worlds: what `witAsOneText` puts first. */
const ROOT_FILE = 'world.wit';
const WORLDS_FILE = 'worlds.wit';

/**
 * Every file of the WIT dir, relative path → text. `twirlWit` maps `shared/wit/` file names to
 * their text; `jcoWasi` maps each of `WASI_PACKAGES` to jco's `package.wit` for it;
 * `extraWorlds` is WIT text appended to the root package (`twirl:app`).
 */
export function witFiles(twirlWit: ReadonlyMap<string, string>, jcoWasi: ReadonlyMap<string, string>, extraWorlds = ''): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of [...twirlWit.keys()].filter((n) => n.endsWith('.wit')).sort()) {
    const text = twirlWit.get(name)!;
    // worlds.wit holds the root package; the others are deps, one package each.
    if (name === WORLDS_FILE) files.set(ROOT_FILE, text + extraWorlds);
    else files.set(`deps/${name.replace(/\.wit$/, '')}/package.wit`, text);
  }
  for (const pkg of WASI_PACKAGES) {
    const text = jcoWasi.get(pkg);
    if (text === undefined) throw new TwirlError('bad-wit', `jco's WIT for ${pkg} is missing`);
    files.set(`deps/${pkg}/package.wit`, text.replaceAll(`@${JCO_WASI_VERSION}`, `@${WASI_VERSION}`));
  }
  return files;
}
