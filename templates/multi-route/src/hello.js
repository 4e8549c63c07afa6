import { serveEcho } from './echo.js';

serveEcho('hello');
