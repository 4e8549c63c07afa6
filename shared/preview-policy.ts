/**
 * The Content-Security-Policy of an app's preview origin, shared by the two places that serve it:
 * the playground's service worker (web/sw.ts) and the platform worker when a request for a
 * preview origin reaches the network (worker/sites.ts).
 *
 * It sandboxes the app's documents (no top navigation, no plugins) while keeping them on the
 * app's own origin, where the service worker controls their subresources.
 */
export const PREVIEW_CSP = 'sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads allow-same-origin';
