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
  stdout: LineSplitter;
  stderr: LineSplitter;
  environment: Array<[string, string]>;
  files: FileTree;
  variables: Readonly<Record<string, string>>;
  keyValue: KeyValueAccess;
  outbound: OutgoingHandlerOptions;
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
    'wasi:io/poll': { Pollable, poll },
    'wasi:io/streams': { InputStream, OutputStream },
    'wasi:http/types': httpTypes,
    'wasi:http/outgoing-handler': outgoingHandler(() => current().outbound),
    [SPIN1_IMPORT]: spin1Runtime(current),
  };
}
