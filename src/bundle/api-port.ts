import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { TestApi } from '../chart/protocol.js';

/** A call of the test API from a worker. */
type ApiCall = { id: number; method: 'get' | 'list'; args: string[] };

/** The kc side of a chart test's cluster access: `port` goes to the worker, whose get/list calls arrive here. */
export interface ApiPort {
  port: MessagePort;
  close(): void;
}

/** Serves `api.get` and `api.list` to a worker: each call `{ id }` is answered `{ id, value }` or `{ id, error }`. */
export function openApiPort(api: TestApi): ApiPort {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (call: ApiCall) => {
    const method = call.method === 'get' ? api.get : call.method === 'list' ? api.list : undefined;
    Promise.resolve()
      .then(() => {
        if (!method) throw new Error(`the test API has no method ${JSON.stringify(call.method)}`);
        return (method as (...args: string[]) => Promise<unknown>)(...call.args);
      })
      .then(
        (value) => port1.postMessage({ id: call.id, value }),
        (err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          port1.postMessage({ id: call.id, error: { name: err instanceof Error ? err.name : 'Error', message } });
        },
      );
  });
  return { port: port2, close: () => port1.close() };
}
