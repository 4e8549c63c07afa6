import { after } from 'node:test';
import { runConformanceContract, startHelloUpstream } from '../../support/conformance-contract.ts';
import { templateEngine } from '../../support/template-engine.ts';

const upstream = await startHelloUpstream();
after(() => upstream.server.close());
const app = await templateEngine('fixtures/apps/conformance', { variables: { upstream: upstream.host } });

// The engine reads the URL it is given; a Node host builds it from the Host header, as Spin does.
runConformanceContract(
  'core engine in Node',
  (path, init) => {
    const host = new Headers(init?.headers).get('host') ?? '127.0.0.1:3000';
    return app.engine.handle(new Request(new URL(path, `http://${host}`), init), { clientAddr: '127.0.0.1:54321' });
  },
  upstream.host,
);
