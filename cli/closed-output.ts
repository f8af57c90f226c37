// A reader that goes away (`kc --help | head -3`, `kc synth | head`) closes kc's stdout: the next write fails with
// EPIPE, which Node raises as an unhandled 'error' event and a stack trace. kc instead stops writing to that stream
// and carries on: a command that is changing a cluster finishes (and records) what it started, and its exit code
// still says how that went.

/** Codes of a write to a stream whose reader is gone (the first write, then any later one). */
const CLOSED = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

/** Keeps `stream` from crashing kc when its reader goes away; returns a check of whether it has. */
export function tolerateClosedReader(stream: NodeJS.WritableStream): () => boolean {
  let closed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (!CLOSED.has(err.code ?? '')) throw err;
    closed = true;
  });
  return () => closed;
}
