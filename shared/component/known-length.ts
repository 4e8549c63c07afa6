/** Responses whose whole body the host holds carry `content-length`, as Spin's do. */

/** Statuses whose responses have no body, and so no length to state. */
export const nullBodyStatus = new Set([101, 103, 204, 205, 304]);

/**
 * A response with its whole body: `content-length` states its size (0 for none), replacing
 * whatever length the guest claimed, so the client gets a fixed-length body instead of chunks.
 */
export function knownLengthResponse(status: number, headers: Headers, body: Uint8Array | null): Response {
  if (nullBodyStatus.has(status)) return new Response(null, { status, headers });
  headers.set('content-length', String(body?.length ?? 0));
  return new Response(body && body.length > 0 ? (body as BodyInit) : null, { status, headers });
}
