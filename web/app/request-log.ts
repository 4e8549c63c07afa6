/** Preview events folded into one entry per request, newest first, the oldest dropped past a limit. */
import type { LogEvent, PreviewEvent, RequestEvent } from '../preview-protocol.ts';

export interface RequestEntry {
  key: string;
  summary?: RequestEvent;
  lines: LogEvent[];
}

const MAX_ENTRIES = 200;

export class RequestLog {
  /** Newest first. */
  readonly entries: RequestEntry[] = [];
  readonly #byId = new Map<string, RequestEntry>();
  #anonymous = 0;

  add(event: PreviewEvent): void {
    const id = event.requestId ?? `startup-${++this.#anonymous}`;
    let entry = this.#byId.get(id);
    if (!entry) {
      entry = { key: id, lines: [] };
      this.#byId.set(id, entry);
      this.entries.unshift(entry);
      for (const dropped of this.entries.splice(MAX_ENTRIES)) this.#byId.delete(dropped.key);
    }
    if (event.type === 'request') entry.summary = event;
    else entry.lines.push(event);
  }
}
