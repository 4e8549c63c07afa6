/** Everything a component instance may import, assembled fresh for one request. */
import { cliImports, LineSplitter } from '../host/wasi/cli.ts';
import { clockImports, randomImports } from '../host/wasi/clocks-random.ts';
import { filesystemImports, type FileTree } from '../host/wasi/filesystem.ts';
import { Fields, FutureIncomingResponse, FutureTrailers, IncomingBody, IncomingRequest, IncomingResponse, OutgoingBody, OutgoingResponse, RequestOptions, ResponseOutparam, httpErrorCode } from '../host/wasi/http-types.ts';
import { OutgoingRequest, outgoingHandler, type OutgoingHandlerOptions } from '../host/wasi/http-outgoing.ts';
import { InputStream, IoError, OutputStream, Pollable, poll } from '../host/wasi/io.ts';
import { keyValueImports, type KeyValueAccess } from '../host/key-value.ts';
import { variablesImports } from '../host/variables-imports.ts';
import { SPIN1_IMPORT, spin1Runtime } from './spin1/module.ts';
import type { RunMeter } from './run-meter.ts';

const httpTypes = {
  Fields,
  FutureIncomingResponse,
  FutureTrailers,
  IncomingBody,
  IncomingRequest,
  IncomingResponse,
  OutgoingBody,
  OutgoingRequest,
  OutgoingResponse,
  RequestOptions,
  ResponseOutparam,
  httpErrorCode,
};

export interface InstanceContext {
  /** The component's id, for messages the guest itself receives (Spin 1.x error strings). */
  component?: string;
  stdout: LineSplitter;
  stderr: LineSplitter;
  environment: Array<[string, string]>;
  files: FileTree;
  variables: Readonly<Record<string, string>>;
  keyValue: KeyValueAccess;
  outbound: OutgoingHandlerOptions;
  /** Charges the request's running time at each wait. */
  meter: RunMeter;
  /** Fuel (loop iterations) the request may spend; the instance's fuel is set to it when it starts serving. */
  fuel: bigint;
  /** Calls to the host the request may make (see host-call-budget.ts). */
  maxHostCalls: number;
}

/**
 * Imports for one instance. `current` gives the context of the request the instance serves
 * now, so a pooled instance can serve one request after another.
 * Import keys are unversioned: that is what jco's glue reads.
 */
export function buildImports(current: () => InstanceContext): Record<string, unknown> {
  return {
    ...cliImports(current),
    ...clockImports,
    ...randomImports,
    ...filesystemImports(() => current().files),
    ...keyValueImports(() => current().keyValue),
    ...variablesImports(() => current().variables),
    'wasi:io/error': { Error: IoError },
    // Listed as async at preparation: JSPI glue suspends the guest while the answer is a promise.
    'wasi:io/poll': { Pollable, poll: (pollables: Pollable[]) => pollPaced(current, pollables) },
    'wasi:io/streams': { InputStream, OutputStream },
    'wasi:http/types': httpTypes,
    'wasi:http/outgoing-handler': outgoingHandler(() => current().outbound),
    [SPIN1_IMPORT]: spin1Runtime(current),
  };
}

/**
 * Every event-loop turn of a JS guest passes here: a checkpoint for the request's budget. An
 * instance cut off from its request (it timed out) fails here, which ends its loop.
 */
function pollPaced(current: () => InstanceContext, pollables: Pollable[]): Uint32Array | Promise<Uint32Array> {
  const { meter } = current();
  meter.suspend();
  current();
  let ready: Uint32Array | Promise<Uint32Array>;
  try {
    ready = poll(pollables);
  } catch (err) {
    meter.resume();
    throw err;
  }
  if (!(ready instanceof Promise)) {
    meter.resume();
    return ready;
  }
  // Glue without wait points (see wait-points.ts) suspends here unseen by the core linker.
  meter.waiting();
  return ready.finally(() => meter.resume());
}
