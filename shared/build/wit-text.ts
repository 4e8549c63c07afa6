/**
 * A WIT folder (a root package plus `deps/`) as one WIT text, each dependency a nested
 * `package name { ... }`: the splicer takes WIT as text, so no host file system is needed.
 */
import { TwirlError } from '../errors.ts';

const PACKAGE_LINE = /^[ \t]*package[ \t]+([^\s;{]+)[ \t]*;[ \t]*$/m;

/**
 * `files` maps paths to WIT text: exactly one file outside `deps/` (the root package, holding
 * the worlds), and dependencies as `deps/<name>.wit` or `deps/<name>/*.wit`, one package per
 * name. Dependency files may not use top-level `use` (nested packages cannot hold it).
 */
export function witAsOneText(files: ReadonlyMap<string, string>): string {
  const roots = [...files.keys()].filter((path) => !path.startsWith('deps/'));
  if (roots.length !== 1) throw new TwirlError('bad-wit', `expected one root WIT file beside deps/, found ${roots.length}`);
  const packages = new Map<string, string[]>();
  for (const [path, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (!path.startsWith('deps/')) continue;
    const name = path.slice('deps/'.length).split('/')[0]!.replace(/\.wit$/, '');
    packages.set(name, [...(packages.get(name) ?? []), text]);
  }
  const nested = [...packages].map(([name, texts]) => nestPackage(name, texts));
  return [files.get(roots[0]!)!, ...nested].join('\n');
}

/** `package a:b@1.0.0;` and what follows, from each file of one package, as `package a:b@1.0.0 { ... }`. */
function nestPackage(dir: string, texts: readonly string[]): string {
  let id: string | undefined;
  const bodies = texts.map((text) => {
    const match = PACKAGE_LINE.exec(text);
    if (!match) return text;
    if (id !== undefined && id !== match[1]) throw new TwirlError('bad-wit', `deps/${dir} holds two packages: ${id} and ${match[1]}`);
    id = match[1];
    return text.slice(0, match.index) + text.slice(match.index + match[0].length);
  });
  if (id === undefined) throw new TwirlError('bad-wit', `deps/${dir} declares no package`);
  return `package ${id} {\n${bodies.join('\n')}\n}\n`;
}
