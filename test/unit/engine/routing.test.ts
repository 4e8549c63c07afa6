import { templateEngine } from '../../support/template-engine.ts';
import { runRoutingContract } from '../../support/routing-contract.ts';

const app = await templateEngine('multi-route');

// templateEngine sends every request from http://127.0.0.1:3000 with client address 127.0.0.1:54321.
runRoutingContract('core engine', app.request, { origin: 'http://127.0.0.1:3000', clientAddr: '127.0.0.1:54321' });
