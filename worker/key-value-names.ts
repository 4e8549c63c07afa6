/** The name of the Durable Object holding one app's store: the NUL cannot occur in an app id, so no two (app, label) pairs share one. */
export function storeObjectName(appId: string, label: string): string {
  return `${appId}\u0000${label}`;
}
