/** `--listen host:port`, and finding out before starting workerd whether the port is free. */
import { createServer } from 'node:net';
import { CliError } from './output.ts';

export interface ListenAddress {
  host: string;
  port: number;
}

/** `127.0.0.1:3000`, `localhost:8080`, `[::1]:3000`, or a bare port on 127.0.0.1. */
export function parseListen(text: string, flag = '--listen'): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text) ?? /^()()(\d+)$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`${flag} expects HOST:PORT (e.g. 127.0.0.1:3000), got "${text}"`, 'bad-arguments');
  }
  return { host: match[1] || match[2] || '127.0.0.1', port };
}

/** `127.0.0.1:3000` or `[::1]:3000`, as the user would type it back. */
export function formatListen({ host, port }: ListenAddress): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Throws the one-line error for a port in use (or an address this machine does not have). */
export async function checkCanListen(address: ListenAddress, flag = '--listen'): Promise<void> {
  await new Promise<void>((done, fail) => {
    const server = createServer();
    server.once('error', (err) => fail(listenError(address, err, flag)));
    server.listen({ host: address.host, port: address.port, exclusive: true }, () => server.close(() => done()));
  });
}

/**
 * `--find-free-port`, as Spin searches: the first free port of `address`'s and the nine after it
 * (`reserved`: ports this process serves on itself, skipped). Another process may still take it
 * before workerd does; that is then reported as in use.
 */
export async function firstFreePort(address: ListenAddress, reserved: readonly number[] = [], tries = 10): Promise<ListenAddress> {
  const last = Math.min(address.port + tries - 1, 65535);
  for (let port = address.port; port <= last; port++) {
    if (port !== 0 && reserved.includes(port)) continue;
    try {
      await checkCanListen({ ...address, port });
      return { ...address, port };
    } catch (err) {
      if (!(err instanceof CliError) || err.code !== 'port-in-use') throw err;
    }
  }
  throw new CliError(`no free port on ${address.host} from ${address.port} to ${last}; pick another with --listen`, 'port-in-use');
}

/** The CliError for a failure to listen, whoever hit it; other errors pass through. */
export function listenError(address: ListenAddress, err: unknown, flag = '--listen'): unknown {
  const text = `${(err as { code?: string }).code ?? ''} ${(err as Error)?.message ?? ''}`;
  if (/EADDRINUSE|address already in use/i.test(text)) {
    const search = flag === '--listen' ? ', or add --find-free-port' : '';
    return new CliError(`${formatListen(address)} is already in use; pick another with ${flag}${search}`, 'port-in-use');
  }
  if (/EADDRNOTAVAIL|ENOTFOUND|EAI_AGAIN/.test(text)) {
    return new CliError(`cannot listen on ${formatListen(address)}: no such address on this machine; pick another with ${flag}`, 'bad-listen');
  }
  return err;
}
