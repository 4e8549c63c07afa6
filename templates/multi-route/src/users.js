import { serveEcho } from './echo.js';

serveEcho('users');
