/**
 * Spin 1.x interfaces Twirl cannot serve: it reaches no Redis, PostgreSQL or MySQL server, keeps
 * no SQLite databases and runs no models. A module importing them still instantiates (the
 * JS SDK's engine links every one); each call fails its request with the interface's own error
 * variant, as Spin's would when the database is unreachable or the component is not granted it,
 * and the log says which component asked for what.
 */
import type { InstanceContext } from '../imports.ts';
import type { GuestMemory } from './abi.ts';

type Fn = (...args: number[]) => unknown;

/**
 * How a function's `expected<ok, error>` fails: the error sits after the tag, at the alignment
 * of the wider of ok and error (`at`); `tag` is the error's case; `message` its string payload,
 * for cases that carry one.
 */
interface Failure {
  at: number;
  tag: number;
  message?: (args: number[]) => string;
}

function failing(mem: GuestMemory, current: () => InstanceContext, iface: string, failures: Record<string, Failure>, why: (args: number[]) => string): Record<string, Fn> {
  return Object.fromEntries(
    Object.entries(failures).map(([name, failure]) => [
      name,
      (...args: number[]) => {
        const ret = args[args.length - 1]!;
        const ctx = current();
        const component = ctx.component ?? 'component';
        ctx.stderr.write(new TextEncoder().encode(`[twirl] ${component}: ${iface} ${name}: ${why(args)}\n`));
        const text = failure.message?.(args);
        const string = text === undefined ? undefined : mem.putString(`${component}: ${text}`);
        const view = mem.view();
        view.setUint8(ret, 1);
        view.setUint8(ret + failure.at, failure.tag);
        if (string) {
          view.setUint32(ret + failure.at + 4, string[0], true);
          view.setUint32(ret + failure.at + 8, string[1], true);
        }
      },
    ]),
  );
}

const NO_REDIS = 'no Redis server is reachable from Twirl';
const noDatabase = (kind: string) => `no ${kind} server is reachable from Twirl`;

/** `outbound-redis`: `enum error { success, error }`. */
const REDIS: Record<string, Failure> = {
  publish: { at: 1, tag: 1 },
  set: { at: 1, tag: 1 },
  get: { at: 4, tag: 1 },
  smembers: { at: 4, tag: 1 },
  execute: { at: 4, tag: 1 },
  incr: { at: 8, tag: 1 },
  del: { at: 8, tag: 1 },
  sadd: { at: 8, tag: 1 },
  srem: { at: 8, tag: 1 },
};

/** `outbound-pg` / `outbound-mysql`: `pg-error`/`mysql-error` `connection-failed(string)` is case 1 (case 1 of the older `enum error` too). */
const pg = (message: () => string): Record<string, Failure> => ({
  query: { at: 4, tag: 1, message },
  execute: { at: 8, tag: 1, message },
});
const mysql = (message: () => string): Record<string, Failure> => ({
  query: { at: 4, tag: 1, message },
  execute: { at: 4, tag: 1, message },
});

/** `sqlite` `error`: no-such-database, access-denied, invalid-connection, database-full, io(string). */
const SqliteError = { accessDenied: 1, invalidConnection: 2 } as const;
/** `llm` `error`: model-not-supported, runtime-error(string), invalid-input(string). */
const LlmError = { invalidInput: 2 } as const;

export function unservedImports(mem: GuestMemory, current: () => InstanceContext): Record<string, Record<string, Fn>> {
  const component = () => current().component ?? 'component';
  const grantHint = (field: string) => `Twirl grants no \`${field}\` (component ${component()})`;
  return {
    'outbound-redis': failing(mem, current, 'outbound-redis', REDIS, () => NO_REDIS),
    'outbound-pg': failing(mem, current, 'outbound-pg', pg(() => noDatabase('PostgreSQL')), () => noDatabase('PostgreSQL')),
    'outbound-mysql': failing(mem, current, 'outbound-mysql', mysql(() => noDatabase('MySQL')), () => noDatabase('MySQL')),
    // Spin answers access-denied for a database not in the component's `sqlite_databases`; Twirl grants none.
    sqlite: {
      ...failing(mem, current, 'sqlite', { open: { at: 4, tag: SqliteError.accessDenied } }, (args) => `access-denied to database "${mem.string(args[0]!, args[1]!)}": ${grantHint('sqlite_databases')}`),
      ...failing(
        mem, current, 'sqlite',
        { execute: { at: 4, tag: SqliteError.invalidConnection }, query: { at: 4, tag: SqliteError.invalidConnection } },
        () => 'invalid-connection: no database was opened',
      ),
      close: () => undefined,
    },
    // Spin answers invalid-input for a model not in the component's `ai_models`; Twirl grants none.
    llm: failing(
      mem, current, 'llm',
      Object.fromEntries(['infer', 'generate-embeddings'].map((name) => [name, {
        at: 4,
        tag: LlmError.invalidInput,
        message: (args: number[]) => `the component does not have access to model '${mem.string(args[0]!, args[1]!)}': ${grantHint('ai_models')}`,
      }])),
      (args) => `model '${mem.string(args[0]!, args[1]!)}' denied: ${grantHint('ai_models')}`,
    ),
  };
}
