/**
 * The layers of docs/architecture.md, checked on every import of every source file: a folder
 * imports only the folders below it, and the host-neutral or host-specific code imports no
 * other host's modules. Imports are read with TypeScript's own pre-processor (static, dynamic,
 * `export … from`, type-only), so no form of import escapes the check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import ts from 'typescript';

const repoRoot = join(import.meta.dirname, '../../..');

type Layer = 'shared' | 'worker' | 'web' | 'web-build' | 'node' | 'cli' | 'bench' | 'test';
const LAYERS: readonly Layer[] = ['shared', 'worker', 'web', 'web-build', 'node', 'cli', 'bench', 'test'];

interface Rules {
  /** Which other layers each layer may import; `test` may import anything. */
  mayImport: Map<Layer, Set<Layer>>;
  /** Module prefixes (`node:`) a layer must not import. */
  forbiddenModules: Map<Layer, string[]>;
}

/** The rules are the table of docs/architecture.md, so the page and the check cannot drift apart. */
async function rulesFromDocs(): Promise<Rules> {
  const text = await readFile(join(repoRoot, 'docs/architecture.md'), 'utf8');
  const rows = text.split('\n').filter((line) => /^\| (`\w+\/`|web build)/.test(line));
  const rules: Rules = { mayImport: new Map(), forbiddenModules: new Map() };
  for (const row of rows) {
    const [, name, , mayImport, mustNot] = row.split('|').map((cell) => cell.trim());
    const layer: Layer = name!.startsWith('web build') ? 'web-build' : (/^`(\w+)\/`/.exec(name!)![1] as Layer);
    const folders = [...mayImport!.matchAll(/`(\w+)\/`/g)].map((m) => m[1] as Layer);
    rules.mayImport.set(layer, new Set([layer, ...folders]));
    rules.forbiddenModules.set(layer, [...(mustNot ?? '').matchAll(/`([\w-]+:)\*`/g)].map((m) => m[1]!));
  }
  assert.deepEqual([...rules.mayImport.keys()].sort(), [...LAYERS].sort(), 'docs/architecture.md has a row for every layer');
  return rules;
}

/** Top-level folders that are not Twirl's code: apps, output, caches, dependencies (and every dot-folder: local state such as `.twirl/`). */
const NOT_SOURCE = new Set(['templates', 'lessons', 'node_modules', 'dist', 'docs']);
/** Inside test/: apps the tests build, with imports of their own. */
const NOT_SOURCE_UNDER_TEST = 'test/fixtures/apps/';

interface SourceFile {
  /** Repository-relative, with `/`. */
  path: string;
  text: string;
}

interface Violation {
  file: string;
  line: number;
  specifier: string;
  why: string;
}

/** web's build scripts (and the root's vite.config.ts) run in Node; they are exactly what web/tsconfig.node.json type-checks. */
async function webBuildScripts(): Promise<Set<string>> {
  const config = ts.readConfigFile(join(repoRoot, 'web/tsconfig.node.json'), ts.sys.readFile);
  const files = (config.config as { files: string[] }).files;
  return new Set(files.map((f) => posix.normalize(posix.join('web', f))));
}

function layerOf(path: string, webBuild: ReadonlySet<string>): Layer | undefined {
  if (webBuild.has(path)) return 'web-build';
  const top = path.split('/')[0]!;
  if (top !== 'web-build' && LAYERS.includes(top as Layer)) return top as Layer;
  return undefined;
}

function layerViolations(files: readonly SourceFile[], webBuild: ReadonlySet<string>, rules: Rules): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const from = layerOf(file.path, webBuild);
    if (!from || from === 'test') continue;
    const { importedFiles } = ts.preProcessFile(file.text, true, true);
    for (const { fileName: specifier, pos } of importedFiles) {
      const line = file.text.slice(0, pos).split('\n').length;
      if (specifier.startsWith('.')) {
        const target = posix.normalize(posix.join(posix.dirname(file.path), specifier));
        const to = target.startsWith('../') ? undefined : layerOf(target, webBuild);
        const allowed = rules.mayImport.get(from)!;
        if (!to || !allowed.has(to)) {
          violations.push({ file: file.path, line, specifier, why: `${from}/ may import ${[...allowed].join(', ')}; this is ${to ?? 'outside the layers'}` });
        }
      } else if (rules.forbiddenModules.get(from)!.some((prefix) => specifier.startsWith(prefix))) {
        violations.push({ file: file.path, line, specifier, why: `${from}/ runs in every host it is built for, so no ${specifier}` });
      }
    }
  }
  return violations;
}

async function sourceFiles(): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for (const top of await readdir(repoRoot, { withFileTypes: true })) {
    if (NOT_SOURCE.has(top.name) || top.name.startsWith('.')) continue;
    const paths = top.isDirectory()
      ? (await readdir(join(repoRoot, top.name), { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
      : [join(repoRoot, top.name)];
    for (const full of paths) {
      const path = relative(repoRoot, full).split(sep).join('/');
      if (!/\.(ts|js|mjs)$/.test(path) || path.includes('/node_modules/') || path.startsWith(NOT_SOURCE_UNDER_TEST)) continue;
      files.push({ path, text: await readFile(full, 'utf8') });
    }
  }
  return files;
}

const format = (v: Violation): string => `${v.file}:${v.line}: imports ${v.specifier} — ${v.why}`;

test('every import follows the layers: shared ← worker, web; shared, worker ← node ← cli, bench, web build', async () => {
  const files = await sourceFiles();
  const webBuild = await webBuildScripts();
  const rules = await rulesFromDocs();
  assert.ok(files.some((f) => f.path.startsWith('node/')) && files.some((f) => f.path === 'web/build-templates.ts'), 'the walk found the source folders');
  assert.deepEqual(layerViolations(files, webBuild, rules).map(format), []);
});

test('every source file belongs to a layer', async () => {
  const webBuild = await webBuildScripts();
  const outside = (await sourceFiles()).map((f) => f.path).filter((p) => !layerOf(p, webBuild));
  assert.deepEqual(outside, [], 'a new folder of code gets a place in the layers (and in docs/architecture.md)');
});

test('an arrow against the layers is reported with its file and line', async () => {
  const webBuild = new Set(['web/build-templates.ts']);
  const files: SourceFile[] = [
    { path: 'worker/index.ts', text: "import { x } from './gates.ts';\nimport { bundleApp } from '../node/workerd/bundle.ts';\n" },
    { path: 'shared/engine.ts', text: "import type { Foo } from './ports.ts';\nexport { y } from '../web/sw.ts';\nconst fs = await import('node:fs');\n" },
    { path: 'node/x.ts', text: "import '../cli/output.ts';\n" },
    { path: 'web/app/x.ts', text: "import '../../node/templates/templates.ts';\n" },
    { path: 'web/build-templates.ts', text: "import '../node/templates/templates.ts';\n" },
    { path: 'bench/x.ts', text: "import '../test/fixtures/tiny-component.ts';\n" },
    { path: 'test/x.ts', text: "import '../cli/output.ts';\nimport '../bench/index.ts';\n" },
  ];
  assert.deepEqual(
    layerViolations(files, webBuild, await rulesFromDocs()).map((v) => `${v.file}:${v.line} ${v.specifier}`),
    [
      'worker/index.ts:2 ../node/workerd/bundle.ts',
      'shared/engine.ts:2 ../web/sw.ts',
      'shared/engine.ts:3 node:fs',
      'node/x.ts:1 ../cli/output.ts',
      'web/app/x.ts:1 ../../node/templates/templates.ts',
      'bench/x.ts:1 ../test/fixtures/tiny-component.ts',
    ],
  );
});
