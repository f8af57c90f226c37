// One streamed answer on an HTTP/2 session: its lines are handed on as they arrive (watches), over the session the
// other requests use.
import http2 from 'node:http2';
import { lineReader } from './line-reader.js';
import { SenderCodes, senderError } from './network-failure.js';
import { decodeBody, type StreamAnswer } from './sender.js';

const { NGHTTP2_CANCEL, NGHTTP2_NO_ERROR, NGHTTP2_REFUSED_STREAM } = http2.constants;

/** What the session's owner hears of the stream: each sign of life, and its end (once). */
export interface StreamHooks {
  alive(): void;
  done(): void;
}

/**
 * Opens a request stream on `s` and passes a 2xx body's lines to `onLine`; resolves when the server ends the stream
 * cleanly, rejects when it resets or breaks it off, when `onLine` throws, or with the reason when `signal` aborts.
 */
export function streamOn(
  s: http2.ClientHttp2Session,
  headers: http2.OutgoingHttpHeaders,
  onLine: (line: string) => void,
  hooks: StreamHooks,
  signal?: AbortSignal,
): Promise<StreamAnswer> {
  return new Promise((resolve, reject) => {
    let stream: http2.ClientHttp2Stream | undefined;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      hooks.done();
      fn();
    };
    const fail = (err: unknown) => {
      if (settled) return;
      settle(() => reject(err));
      stream?.close(NGHTTP2_CANCEL);
    };
    const onAbort = () => fail(signal!.reason);
    if (signal?.aborted) return settle(() => reject(signal.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      stream = s.request(headers, { endStream: true });
    } catch (err) {
      return fail(err);
    }
    const reader = lineReader(onLine);
    const chunks: Buffer[] = [];
    let status = 0;
    let ok = false;
    let ended = false;
    let failure: unknown;
    let answerHeaders: http2.IncomingHttpHeaders = {};
    stream.on('response', (h) => {
      status = Number(h[':status'] ?? 0);
      ok = status >= 200 && status < 300;
      answerHeaders = h;
      hooks.alive();
    });
    stream.on('data', (c: Buffer) => {
      hooks.alive();
      if (!ok) return void chunks.push(c);
      try {
        reader.push(c);
      } catch (err) {
        fail(err);
      }
    });
    stream.on('end', () => (ended = true));
    stream.on('error', (err: Error) => (failure ??= (err as { cause?: unknown }).cause ?? err));
    stream.on('close', () => {
      if (settled) return;
      const st = stream!;
      if (failure) return fail(failure);
      if (status === 0 && st.rstCode === NGHTTP2_REFUSED_STREAM) {
        return fail(senderError(SenderCodes.refused, 'the server refused the stream'));
      }
      if (!ended || status === 0 || st.rstCode !== NGHTTP2_NO_ERROR) {
        return fail(senderError(SenderCodes.incomplete, `the server broke the stream off (code ${st.rstCode})`));
      }
      try {
        if (ok) reader.end();
      } catch (err) {
        return fail(err);
      }
      const body = ok ? undefined : decodeBody(Buffer.concat(chunks), answerHeaders['content-type']);
      settle(() => resolve({ status, headers: answerHeaders, ...(ok ? {} : { body }) }));
    });
  });
}
