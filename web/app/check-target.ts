/** Checks (shared/checks/) run against the app in the preview, through its bridge. */
import type { CheckTarget } from '../../shared/checks/check.ts';
import type { KeyValueEntry, ReceivedResponse, SentRequest } from '../preview-protocol.ts';

/** What checks need of the preview connection. */
export interface PreviewAccess {
  send(request: SentRequest): Promise<ReceivedResponse>;
  listKeyValue?(): Promise<KeyValueEntry[]>;
}

export function previewCheckTarget(preview: PreviewAccess): CheckTarget {
  const list = preview.listKeyValue?.bind(preview);
  return {
    async send(request) {
      const body = request.body === undefined ? undefined : new TextEncoder().encode(request.body).buffer;
      const response = await preview.send({ method: request.method, path: request.path, headers: request.headers, ...(body ? { body } : {}) });
      return { status: response.status, headers: response.headers, body: new Uint8Array(response.body) };
    },
    ...(list ? { readKeyValue: async (store: string, key: string) => (await list()).find((e) => e.label === store && e.key === key)?.value } : {}),
  };
}
