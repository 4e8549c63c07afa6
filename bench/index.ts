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

await section('instantiate', 'Per-request instantiation (fresh instance vs restored pooled instance)', async () => {
  const js = await builtTemplate('http-js');
  return benchInstantiation({
    tiny: await loadComponent(tinyComponent()),
    'http-js (12 MB JS engine)': await loadComponent(js.components['hello']!),
  });
});

await section('engine', 'Engine in Node: hello app, a fresh instance per request, vs a constant response', () => benchEngine());

for (const [name, file, fn] of [
  ['worker', './worker.ts', 'benchWorker'],
  ['browser', './browser.ts', 'benchBrowser'],
] as const) {
  await section(name, `${name}`, async () => {
    const mod = (await import(file)) as Record<string, () => Promise<object[]>>;
    return mod[fn]!();
  });
}
