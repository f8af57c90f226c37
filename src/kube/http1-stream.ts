// One streamed answer over HTTP/1.1: its lines are handed on as they arrive (watches on servers without HTTP/2).
import http from 'node:http';
import https from 'node:https';
import { lineReader } from './line-reader.js';
import { SenderCodes, senderError } from './network-failure.js';
import { decodeBody, type StreamAnswer } from './sender.js';

/**
 * Sends the request and passes a 2xx body's lines to `onLine`; resolves when the answer ends complete, rejects when
 * it breaks off, when `onLine` throws, or with the reason when `signal` aborts.
 */
export function http1Stream(
  secure: boolean,
  options: http.RequestOptions,
  onLine: (line: string) => void,
  signal?: AbortSignal,
): Promise<StreamAnswer> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const lost = () => senderError(SenderCodes.incomplete, 'the answer broke off: the connection closed mid-answer');
    const fail = (err: unknown) => {
      if (settled) return;
      settle(() => reject(err));
      r.destroy();
    };
    const onAbort = () => fail(signal!.reason);
    const r = (secure ? https : http).request(options, (res) => {
      const status = res.statusCode ?? 0;
      const ok = status >= 200 && status < 300;
      const reader = lineReader(onLine);
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        if (!ok) return void chunks.push(c);
        try {
          reader.push(c);
        } catch (err) {
          fail(err);
        }
      });
      res.on('end', () => {
        if (!res.complete) return fail(lost());
        try {
          if (ok) reader.end();
        } catch (err) {
          return fail(err);
        }
        const body = ok ? undefined : decodeBody(Buffer.concat(chunks), res.headers['content-type']);
        settle(() => resolve({ status, headers: res.headers, ...(ok ? {} : { body }) }));
      });
      res.on('aborted', () => fail(lost()));
      res.on('error', fail);
      res.on('close', () => fail(lost()));
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    r.on('error', fail);
    r.end();
  });
}
