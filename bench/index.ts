/**
 * `npm run bench`: every benchmark, each printed as a table. Figures that matter are ratios
 * against a baseline measured in the same run, so they compare across machines.
 */
import { benchRouter } from './router.ts';
import { benchEngine, benchInstantiation } from './engine.ts';
import { loadComponent } from '../cli/load-component.ts';
import { builtTemplate, tinyComponent } from '../test/fixtures/components.ts';

const only = process.argv.slice(2);
const wanted = (name: string): boolean => only.length === 0 || only.includes(name);

async function section(name: string, title: string, run: () => Promise<object[]>): Promise<void> {
  if (!wanted(name)) return;
  console.log(`\n## ${title}`);
  try {
    console.table(await run());
  } catch (err) {
    console.log(`(skipped: ${err instanceof Error ? err.message : String(err)})`);
  }
}

await section('router', 'Router: cost of one match by number of routes', benchRouter);

const components = {
  tiny: await loadComponent(tinyComponent()),
  'http-js': await loadComponent((await builtTemplate('http-js')).components['hello']!),
};

await section('instantiate', 'Per-request instantiation: a new instance vs a restored one', () => benchInstantiation(components));

await section('engine', 'Engine over HTTP in Node: components vs a constant response from the same server', () => benchEngine(components));

for (const [name, file, fn] of [
  ['worker', './worker.ts', 'benchWorker'],
  ['build', './build.ts', 'benchBuild'],
  ['bundle-size', './bundle-size.ts', 'benchBundleSize'],
  ['browser', './browser.ts', 'benchBrowser'],
] as const) {
  await section(name, `${name}`, async () => {
    const mod = (await import(file)) as Record<string, () => Promise<object[]>>;
    return mod[fn]!();
  });
}

await section('soak', 'Soak: hello deployed on local workerd, 60 s at 50 connections', async () => {
  return (await import('./soak.ts')).benchSoak();
});
