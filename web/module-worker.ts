/**
 * Starting one of the playground's module workers from a page on any origin. A worker's script
 * must come from the page's origin: on another (the embed on a docs site), a module of the
 * page's own (a blob) imports the playground's, which the playground serves with CORS.
 */
export function startModuleWorker(scriptUrl: string, base: string, name: string): Worker {
  const url = new URL(scriptUrl, base);
  const script = url.origin === location.origin ? url.href : URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' }));
  return new Worker(script, { type: 'module', name });
}
