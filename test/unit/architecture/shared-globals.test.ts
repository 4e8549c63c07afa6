/**
 * shared/ runs in every host, so of the globals a browser or a worker declares it may use only
 * the web-standard ones every host has (Node 24, workerd, Chromium). Its tsconfig still loads the
 * WebWorker lib for their types; this check, on TypeScript's own resolution of every identifier,
 * is what keeps `indexedDB`, `postMessage` or `self` out of the core.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

const sharedDir = join(import.meta.dirname, '../../../shared');

/** What every host provides, values and the types that go with them. */
const EVERY_HOST = new Set([
  'WebAssembly', 'fetch', 'Request', 'Response', 'Headers', 'URL', 'URLSearchParams',
  'TextEncoder', 'TextDecoder', 'TextEncoderStream', 'TextDecoderStream',
  'ReadableStream', 'WritableStream', 'TransformStream', 'ReadableStreamDefaultReader', 'ReadableStreamDefaultController',
  'WritableStreamDefaultWriter', 'TransformStreamDefaultController', 'ByteLengthQueuingStrategy', 'CountQueuingStrategy',
  'crypto', 'Crypto', 'SubtleCrypto', 'CryptoKey', 'performance', 'console',
  'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'structuredClone', 'atob', 'btoa',
  'AbortController', 'AbortSignal', 'Blob', 'File', 'FormData', 'Event', 'EventTarget', 'DOMException',
  'BodyInit', 'RequestInit', 'ResponseInit', 'HeadersInit', 'RequestInfo', 'BufferSource', 'AllowSharedBufferSource',
  'ReadableStreamReadResult', 'UnderlyingSource', 'UnderlyingDefaultSource', 'QueuingStrategy',
]);

const hostLib = /[\\/]lib\.(dom|webworker)[\w.]*\.d\.ts$/;

interface HostGlobal {
  file: string;
  line: number;
  name: string;
}

/** Identifiers in `files` that resolve to a browser or worker global not in EVERY_HOST. */
function hostOnlyGlobals(files: string[]): HostGlobal[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(sharedDir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const program = ts.createProgram({ rootNames: files, options: config.options });
  const checker = program.getTypeChecker();
  const found: HostGlobal[] = [];
  for (const source of program.getSourceFiles()) {
    if (!files.includes(source.fileName)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && !isMemberName(node)) {
        const symbol = checker.getSymbolAtLocation(node);
        const declarations = symbol?.declarations ?? [];
        const global = declarations.length > 0 && declarations.every((d) => hostLib.test(d.getSourceFile().fileName) && isTopLevel(d));
        if (global && !EVERY_HOST.has(node.text)) {
          found.push({ file: source.fileName, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, name: node.text });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** Declared at the top of its lib file, not inside an interface, a namespace or a type. */
function isTopLevel(declaration: ts.Node): boolean {
  for (let node = declaration; !ts.isSourceFile(node.parent); node = node.parent) {
    const { parent } = node;
    if (ts.isInterfaceDeclaration(parent) || ts.isModuleBlock(parent) || ts.isTypeLiteralNode(parent) || ts.isClassDeclaration(parent)) return false;
  }
  return true;
}

/** `x.name`, `A.name` in a type, `{ name: … }`: a member, not a global. */
function isMemberName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isQualifiedName(parent) && parent.right === node) ||
    ((ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === node)
  );
}

test('shared/ uses no global that only a browser or a worker has', () => {
  const files = ts.sys.readDirectory(sharedDir, ['.ts']).filter((f) => !f.endsWith('.d.ts'));
  assert.ok(files.length > 50, 'found the core sources');
  assert.deepEqual(hostOnlyGlobals(files).map((g) => `${g.file}:${g.line}: ${g.name}`), []);
});

test('a browser-only or worker-only global in the core is named with its line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'twirl-globals-'));
  try {
    const file = join(dir, 'core.ts');
    await writeFile(file, "export const r = new Response('ok');\nindexedDB.open('x');\npostMessage(1);\nexport const u = new URL('http://a').host;\n");
    assert.deepEqual(hostOnlyGlobals([file]).map((g) => `${g.line}: ${g.name}`), ['2: indexedDB', '3: postMessage']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
