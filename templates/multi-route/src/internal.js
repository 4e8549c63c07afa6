import { serveEcho } from './echo.js';

serveEcho('internal');
