/**
 * The one-line embed for docs pages: `<script type="module" src="https://<playground>/embed.js"></script>`
 * defines `<twirl-playground template="http-js" [readonly] [path="/"] [file="src/index.js"]>`.
 */
import './embed/twirl-playground.ts';
