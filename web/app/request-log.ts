/** Preview events folded into one entry per request, newest first, the oldest dropped past a limit. */
import type { OriginalPosition } from '../../shared/build/source-map.ts';
import type { PreviewEvent, RequestEvent } from '../preview-protocol.ts';
import type { MappedLogEvent } from './stack-mapping.ts';
import { initOutputLines } from '../build/init-output.ts';

export interface RequestEntry {
  key: string;
  summary?: RequestEvent;
  /** The component whose build printed `lines` (its top-level code's output), for an entry of a build rather than a request. */
  build?: string;
  lines: MappedLogEvent[];
}

/** Why the preview's last page is an error: the app failed, and what its component wrote to stderr says why. */
export interface PreviewFailure {
  status: number;
  method: string;
  path: string;
  /** The first thing the component wrote to stderr (the exception), or why the app could not start. */
  message: string;
  /** Where in the app's files the stack points first. */
  at?: OriginalPosition;
  /** The app could not start (its manifest, a variable), rather than a component failing. */
  startup: boolean;
}

const MAX_ENTRIES = 200;

export class RequestLog {
  /** Newest first. */
  readonly entries: RequestEntry[] = [];
  readonly #byId = new Map<string, RequestEntry>();
  #anonymous = 0;

  add(event: PreviewEvent | MappedLogEvent): void {
    const entry = this.#entry(event.requestId ?? `startup-${++this.#anonymous}`);
    if (event.type === 'request') entry.summary = event;
    else entry.lines.push(event);
  }

  /** What `component`'s top-level code printed while a build initialised it: an entry of its own. */
  addBuildOutput(app: string, component: string, text: string): void {
    const entry = this.#entry(`build-${++this.#anonymous}`);
    entry.build = component;
    for (const line of initOutputLines(app, component, text, entry.key)) entry.lines.push({ type: 'log', ...line });
  }

  #entry(key: string): RequestEntry {
    let entry = this.#byId.get(key);
    if (!entry) {
      entry = { key, lines: [] };
      this.#byId.set(key, entry);
      this.entries.unshift(entry);
      for (const dropped of this.entries.splice(MAX_ENTRIES)) this.#byId.delete(dropped.key);
    }
    return entry;
  }
}

/**
 * The failure of the preview's newest request (the frame's own, not the request builder's, which
 * carry a trace), when it failed with a server error; undefined when it succeeded.
 */
export function previewFailure(log: RequestLog): PreviewFailure | undefined {
  const last = log.entries.find((e) => e.summary && !e.summary.trace);
  const s = last?.summary;
  if (!last || !s || s.status < 500) return undefined;
  const stderr = last.lines.filter((l) => l.stream === 'stderr');
  const message = s.error ?? stderr.map((l) => l.line).join('\n');
  if (!message) return undefined;
  const at = stderr.find((l) => l.at)?.at;
  return { status: s.status, method: s.method, path: s.path, message, startup: s.error !== undefined, ...(at ? { at } : {}) };
}
