/**
 * A component's stack traces read back to the app's files: the engine names positions in the
 * component's `bundle.js`; a component built in this browser keeps its bundle's source map, by
 * which each such position in a log line becomes `src/index.js:5:3`.
 */
import { atSource } from '../../shared/build/source-error.ts';
import { SourceMap, type OriginalPosition } from '../../shared/build/source-map.ts';
import { messageOf } from '../../shared/errors.ts';
import type { StoredApp } from '../app-model.ts';
import { buildableComponents } from '../build/app-build.ts';
import { readComponent } from '../component-store.ts';
import type { LogEvent, PreviewEvent } from '../preview-protocol.ts';

/** A log line, with where in the app's files it points, when it names a bundle position that maps back. */
export interface MappedLogEvent extends LogEvent {
  at?: OriginalPosition;
}

export class StackMapper {
  /** Source maps by component id. */
  #maps = new Map<string, SourceMap>();

  /** Reads the source maps of `app`'s components built in this browser (before its preview runs). */
  async load(app: StoredApp): Promise<void> {
    const maps = new Map<string, SourceMap>();
    let components: ReturnType<typeof buildableComponents> = [];
    try {
      components = buildableComponents(app);
    } catch (err) {
      // A manifest that does not parse has no components to map; its errors are shown elsewhere.
      console.debug(`twirl: no stack mapping: ${messageOf(err)}`);
    }
    for (const component of components) {
      const file = app.files[component.output];
      if (!file || !('component' in file)) continue;
      const stored = await readComponent(file.component.digest);
      if (stored?.sourceMap) maps.set(component.id, new SourceMap(stored.sourceMap));
    }
    this.#maps = maps;
  }

  map<E extends PreviewEvent>(event: E): E | MappedLogEvent {
    if (event.type !== 'log') return event;
    const map = this.#maps.get(event.component);
    if (!map) return event;
    const { text, at } = atSource(event.line, map);
    return at ? { ...event, line: text, at } : event;
  }
}
