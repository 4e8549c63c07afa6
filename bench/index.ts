/**
 * `npm run bench`: every benchmark, each printed as a table. Figures that matter are ratios
 * against a baseline measured in the same run, so they compare across machines.
 */
import '../node/workerd/capnp-growth.ts';
import { benchRouter } from './router.ts';
import { benchEngine, benchInstantiation } from './engine.ts';
import { benchRequestProfile } from './request-profile.ts';
import { withoutWarmUp } from './without-warm-up.ts';
import { loadComponent } from '../node/component/load-component.ts';
import { builtTemplate } from '../node/templates/built-template.ts';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { readFile } from 'node:fs/promises';
import { messageOf } from '../shared/errors.ts';

const only = process.argv.slice(2);
const wanted = (name: string): boolean => only.length === 0 || only.includes(name);

async function section(name: string, title: string, run: () => Promise<object[]>): Promise<void> {
  if (!wanted(name)) return;
  console.log(`\n## ${title}`);
  try {
    console.table(await run());
  } catch (err) {
    // A benchmark that cannot run is a failure, never a silent gap in the tables.
    console.log(`FAILED: ${messageOf(err)}`);
    process.exitCode = 1;
  }
}

await section('router', 'Router: cost of one match by number of routes', benchRouter);

const componentBytes = {
  // The tests' hand-written component, read as data: the smallest component there is.
  tiny: await parse(await readFile(new URL('../test/fixtures/tiny/hello.wat', import.meta.url), 'utf8')),
  'http-js': (await builtTemplate('http-js')).components['hello']!,
  'kv-counter': (await builtTemplate('kv-counter')).components['counter']!,
};
const components = Object.fromEntries(await Promise.all(Object.entries(componentBytes).map(async ([k, v]) => [k, await loadComponent(v)] as const)));

await section('instantiate', 'Per-request instantiation: a new instance vs a restored one', () => benchInstantiation(components));

await section('profile', 'One request in process: compile, first request, tier-up, reset of dirty pages vs the whole image', async () =>
  benchRequestProfile({ ...componentBytes, 'kv-counter, without the bindings warm-up': await withoutWarmUp('kv-counter', 'counter') }),
);

await section('engine', 'Engine over HTTP in Node: components vs a constant response from the same server', () => benchEngine(components));

for (const [name, file, fn] of [
  ['worker', './worker.ts', 'benchWorker'],
  ['build', './build.ts', 'benchBuildAndEditLoop'],
  ['bundle-size', './bundle-size.ts', 'benchBundleSize'],
  ['memory', './memory.ts', 'benchMemory'],
  ['browser', './browser.ts', 'benchBrowser'],
  ['up', './up-cold.ts', 'benchUpCold'],
  ['edit-loop-browser', './edit-loop-browser.ts', 'benchEditLoopBrowser'],
  ['attack', './attack.ts', 'benchAttack'],
] as const) {
  await section(name, `${name}`, async () => {
    const mod = (await import(file)) as Record<string, () => Promise<object[]>>;
    return mod[fn]!();
  });
}

await section('resets', 'Kept-alive clients under load: requests reset, through the local front vs workerd directly', async () => {
  return (await import('./keep-alive-resets.ts')).benchKeepAliveResets();
});

await section('soak', 'Soak: hello deployed on local workerd, 60 s at 50 connections', async () => {
  return (await import('./soak.ts')).benchSoak();
});
