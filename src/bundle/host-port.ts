import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { KcHost, ValuesAnswer, ValuesRequest } from '../chart/protocol.js';

/** The kc side of a run's host: answers the worker's blocking `resolveValues` calls on this thread. */
export interface HostPort {
  /** The port and flag handed to the worker (the port is transferred). */
  forWorker: { host: MessagePort; answered: SharedArrayBuffer };
  close(): void;
}

/** Serves `host.resolveValues` to a worker waiting on a shared flag, which is bumped once each answer is posted. */
export function openHostPort(host: KcHost): HostPort {
  const { port1, port2 } = new MessageChannel();
  const answered = new SharedArrayBuffer(4);
  const flag = new Int32Array(answered);
  port1.on('message', (request: ValuesRequest) => {
    let reply: { answer: ValuesAnswer } | { error: { name: string; message: string } };
    try {
      reply = { answer: host.resolveValues(request) };
    } catch (err) {
      // Thrown inside the chart's constructor, as when kc and the chart shared a thread.
      const name = err instanceof Error ? err.name : 'Error';
      reply = { error: { name, message: err instanceof Error ? err.message : String(err) } };
    }
    try {
      port1.postMessage(reply);
    } catch (err) {
      const message = `kc cannot pass the values on: ${(err as Error).message}`;
      port1.postMessage({ error: { name: 'DataCloneError', message } });
    }
    Atomics.add(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
  return { forWorker: { host: port2, answered }, close: () => port1.close() };
}
