// One watch request: GET ?watch=1 from a resourceVersion, its newline-delimited JSON events parsed as they arrive.
import { apiError, type ApiStatus } from './api-errors.js';
import type { ApiRequest, StreamAnswer } from './sender.js';
import type { StreamOptions } from './transport.js';
import { invalidResponse } from './transport-errors.js';
import type { KubeObject } from './types.js';

/** One event of a watch stream; a bookmark's object carries only its kind and metadata.resourceVersion. */
export interface RawWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object: KubeObject;
}

/** How a watch request ended: the server closed it, or the version asked for is too old (410 Gone). */
export type WatchEnd = 'ended' | 'gone';

/** Streams one request's answer line by line (Transport['stream']). */
export type Streamer = (
  req: ApiRequest,
  onLine: (line: string) => void,
  options: StreamOptions,
) => Promise<StreamAnswer>;

/** What one watch request asks for. */
export interface WatchTarget {
  apiVersion: string;
  kind: string;
  /** The collection's path, e.g. /apis/apps/v1/namespaces/ns/deployments. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** How long the server keeps the request open (timeoutSeconds); kc gives up on it 15 s later. */
  seconds: number;
}

const TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The event of one line, or RESPONSE_INVALID naming what came instead. */
function parseEvent(line: string, what: string): { type: string; object: Record<string, unknown> } {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    throw invalidResponse(what, `a line is not JSON (starting ${JSON.stringify(line.slice(0, 40))})`);
  }
  if (!isObject(event) || typeof event.type !== 'string' || !TYPES.has(event.type) || !isObject(event.object)) {
    throw invalidResponse(what, `a line is not a watch event (starting ${JSON.stringify(line.slice(0, 40))})`);
  }
  return event as { type: string; object: Record<string, unknown> };
}

/**
 * Watches `target` after `resourceVersion` (with bookmarks), passing events to `onEvent` as they arrive, until the
 * server ends the request; a refusal or an ERROR event is the API's KcError, except 410 Gone, which is 'gone'.
 */
export async function watchRequest(
  stream: Streamer,
  target: WatchTarget,
  resourceVersion: string,
  onEvent: (event: RawWatchEvent) => void,
  signal: AbortSignal,
): Promise<WatchEnd> {
  const what = `watch ${target.kind}`;
  let gone = false;
  const onLine = (line: string): void => {
    const { type, object } = parseEvent(line, what);
    if (type === 'ERROR') {
      const status = object as ApiStatus;
      if (status.code === 410) return void (gone = true);
      throw apiError(status.code ?? 500, status, what);
    }
    // Watch events carry apiVersion and kind; put them back if a server leaves them out, as lists do.
    const full = { ...object, apiVersion: object.apiVersion ?? target.apiVersion, kind: object.kind ?? target.kind };
    onEvent({ type: type as RawWatchEvent['type'], object: full as KubeObject });
  };
  const req: ApiRequest = {
    method: 'GET',
    path: target.path,
    query: {
      labelSelector: target.labelSelector,
      fieldSelector: target.fieldSelector,
      watch: '1',
      resourceVersion,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(target.seconds),
    },
  };
  const answer = await stream(req, onLine, { signal, timeoutMs: (target.seconds + 15) * 1000 });
  if (answer.status === 410) return 'gone';
  const status = (isObject(answer.body) ? answer.body : undefined) as ApiStatus | undefined;
  if (answer.status >= 400) throw apiError(answer.status, status, what);
  if (answer.status >= 300) throw invalidResponse(what, `HTTP ${answer.status}`);
  return gone ? 'gone' : 'ended';
}
