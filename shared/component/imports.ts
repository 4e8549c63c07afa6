/** Everything a component instance may import, assembled fresh for one request. */
import { cliImports, LineSplitter } from '../host/wasi/cli.ts';
import { clockImports, randomImports } from '../host/wasi/clocks-random.ts';
import { filesystemImports, type FileTree } from '../host/wasi/filesystem.ts';
import { Fields, FutureIncomingResponse, FutureTrailers, IncomingBody, IncomingRequest, IncomingResponse, OutgoingBody, OutgoingResponse, RequestOptions, ResponseOutparam, httpErrorCode } from '../host/wasi/http-types.ts';
import { OutgoingRequest, outgoingHandler, type OutgoingHandlerOptions } from '../host/wasi/http-outgoing.ts';
import { InputStream, IoError, OutputStream, Pollable, poll } from '../host/wasi/io.ts';
import { keyValueImports, type KeyValueAccess } from '../host/key-value.ts';
import { variablesImports } from '../host/variables-imports.ts';

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

/** Import keys are unversioned: that is what jco's glue reads. */
export function buildImports(ctx: InstanceContext): Record<string, unknown> {
  return {
    ...cliImports(ctx),
    ...clockImports,
    ...randomImports,
    ...filesystemImports(ctx.files),
    ...keyValueImports(ctx.keyValue),
    ...variablesImports(ctx.variables),
    'wasi:io/error': { Error: IoError },
    'wasi:io/poll': { Pollable, poll },
    'wasi:io/streams': { InputStream, OutputStream },
    'wasi:http/types': httpTypes,
    'wasi:http/outgoing-handler': outgoingHandler(ctx.outbound),
  };
}
