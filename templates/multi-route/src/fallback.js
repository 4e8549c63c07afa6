import { serveEcho } from './echo.js';

serveEcho('fallback');
