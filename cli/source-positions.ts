/**
 * Component log lines with the engine's `bundle.js:5:3` positions read back to the app's files
 * (`src/index.js:5:3`), by the source map `twirl componentize` keeps beside each component.
 */
import { resolve } from 'node:path';
import { atSource } from '../shared/build/source-error.ts';
import type { SourceMap } from '../shared/build/source-map.ts';
import type { App } from '../shared/manifest/types.ts';
import type { LogSink } from '../shared/ports.ts';
import { fileStamp, readKeptSourceMap, sourceMapPathOf } from '../node/toolchain/component-source-map.ts';

const BUNDLE_POSITION = /\bbundle\.js:\d+:\d+/;

/** `sink`, with the lines of `app`'s local components mapped where their maps are kept. */
export function withSourcePositions<S extends LogSink>(sink: S, app: App, appDir: string): S {
  const paths = new Map<string, string>();
  for (const component of Object.values(app.components)) {
    if ('path' in component.source) paths.set(component.id, resolve(appDir, component.source.path));
  }
  // A rebuild (`twirl watch`) replaces a component and its map: each is read again when it changed.
  const maps = new Map<string, { stamp: string; map: SourceMap | undefined }>();
  const mapOf = (path: string): SourceMap | undefined => {
    const stamp = `${fileStamp(path)}|${fileStamp(sourceMapPathOf(path))}`;
    const known = maps.get(path);
    if (known?.stamp === stamp) return known.map;
    const map = readKeptSourceMap(path, process.cwd());
    maps.set(path, { stamp, map });
    return map;
  };
  const write = sink.write.bind(sink);
  return Object.assign(sink, {
    write(line: Parameters<LogSink['write']>[0]) {
      const path = BUNDLE_POSITION.test(line.line) ? paths.get(line.component) : undefined;
      const map = path && mapOf(path);
      write(map ? { ...line, line: atSource(line.line, map).text } : line);
    },
  });
}
