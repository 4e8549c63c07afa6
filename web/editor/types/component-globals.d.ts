// The global scope of a JS/TS Spin component (componentize-js): a service-worker-like `fetch`
// listener over the Web APIs of lib.webworker, which the editor's type checker loads beside this.
declare function addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
