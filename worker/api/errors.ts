/** The one place errors become HTTP responses: `{ error: { code, message, diagnostics? } }`. */
import { ManifestError, TwirlError } from '../../shared/errors.ts';

const statusByCode: Record<string, number> = {
  'archive-too-large': 413,
  'archive-too-many-entries': 413,
  'archive-too-slow': 413,
  'manifest-too-large': 413,
  'request-body-too-slow': 408,
  'app-not-found': 404,
  'not-found': 404,
  'digest-mismatch': 422,
  'bad-digest-header': 400,
  'rate-limited': 429,
  'worker-loader-unavailable': 503,
  'outbound-origin-refused': 403,
  'outbound-denied': 403,
  'outbound-request-too-large': 413,
  'outbound-response-too-large': 502,
  'outbound-unreachable': 502,
};

export function errorResponse(err: unknown): Response {
  if (err instanceof ManifestError) {
    return Response.json({ error: { code: err.code, message: err.message, diagnostics: err.diagnostics } }, { status: 400 });
  }
  if (err instanceof TwirlError) {
    return Response.json({ error: { code: err.code, message: err.message } }, { status: statusByCode[err.code] ?? 400 });
  }
  console.error(err);
  return Response.json({ error: { code: 'internal', message: 'the server failed to handle the request' } }, { status: 500 });
}
