import { serveEcho } from './echo.js';

serveEcho('api');
