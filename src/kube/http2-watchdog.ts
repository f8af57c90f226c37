// Finds a dead HTTP/2 connection quickly: one that never connects, or that goes silent and does not answer a ping.
// Without it each request on a server that stopped answering waits out its own timeout, one after another.
import type http2 from 'node:http2';
import { SenderCodes, senderError } from './network-failure.js';

/** Limits of the watch over one session. */
export interface WatchLimits {
  connectTimeoutMs: number;
  /** Silence while requests are in flight after which the session is pinged. */
  idleMs: number;
  pingTimeoutMs: number;
  /** True while requests are in flight (an idle session is not pinged). */
  busy: () => boolean;
}

/** The watch over one session: told of every sign of life, stopped when the session is dropped. */
export interface SessionWatch {
  alive(): void;
  stop(): void;
}

/** Destroys the session with a stalled or connect-timeout error when it stays silent, failing all its streams. */
export function sessionWatch(s: http2.ClientHttp2Session, limits: WatchLimits): SessionWatch {
  let heard = true;
  let pinging: NodeJS.Timeout | undefined;
  const kill = (code: string, message: string) => {
    stop();
    if (!s.destroyed) s.destroy(senderError(code, message));
  };
  const connectTimer = setTimeout(
    () => kill(SenderCodes.connectTimeout, `no connection within ${limits.connectTimeoutMs} ms`),
    limits.connectTimeoutMs,
  ).unref();
  const tick = setInterval(() => {
    if (!s.connecting && limits.busy() && !heard && !pinging) ping();
    heard = false;
  }, limits.idleMs).unref();
  const ping = () => {
    pinging = setTimeout(
      () => kill(SenderCodes.stalled, `the connection went silent (no ping answer within ${limits.pingTimeoutMs} ms)`),
      limits.pingTimeoutMs,
    ).unref();
    try {
      s.ping(() => {
        clearTimeout(pinging);
        pinging = undefined;
        heard = true;
      });
    } catch {
      // A session already closing cannot ping; its streams fail on their own.
      clearTimeout(pinging);
      pinging = undefined;
    }
  };
  const stop = () => {
    clearTimeout(connectTimer);
    clearInterval(tick);
    clearTimeout(pinging);
  };
  s.once('connect', () => clearTimeout(connectTimer));
  s.once('close', stop);
  return { alive: () => void (heard = true), stop };
}
