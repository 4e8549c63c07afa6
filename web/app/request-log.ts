/** Preview events folded into one entry per request, newest first: what the logs panel shows. */
import type { LogEvent, PreviewEvent, RequestEvent } from '../preview-protocol.ts';

export interface RequestEntry {
  key: string;
  summary?: RequestEvent;
  lines: LogEvent[];
}

const MAX_ENTRIES = 200;

export class RequestLog {
  #entries: RequestEntry[] = [];
  readonly #byId = new Map<string, RequestEntry>();
  #anonymous = 0;

  get entries(): readonly RequestEntry[] {
    return this.#entries;
  }

  /** Returns a new log (for lit's change detection) with the event added. */
  add(event: PreviewEvent): RequestLog {
    const id = event.requestId ?? `startup-${++this.#anonymous}`;
    let entry = this.#byId.get(id);
    if (!entry) {
      entry = { key: id, lines: [] };
      this.#byId.set(id, entry);
      this.#entries = [entry, ...this.#entries].slice(0, MAX_ENTRIES);
    }
    if (event.type === 'request') entry.summary = event;
    else entry.lines = [...entry.lines, event];
    const next = new RequestLog();
    next.#entries = [...this.#entries];
    for (const [k, v] of this.#byId) next.#byId.set(k, v);
    next.#anonymous = this.#anonymous;
    return next;
  }
}
