// How kc ends: once its output is written, not when Node's event loop drains. Draining first runs V8's pending
// garbage-collection work (an incremental marking begun near the end held a no-op upgrade ~20 ms after its last
// line), and waits for work a command gave up on (an exec credential plugin still running past a deadline).

/** Resolves once what was written to `stream` so far is handed to the OS, or at once when its reader is gone. */
export function written(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableEnded) return resolve();
    // Called in order after the writes before it, with an error too (EPIPE): either way nothing more can be written.
    stream.write('', () => resolve());
  });
}

/** Exits with `code` once stdout and stderr are written, after one turn of the event loop. */
export async function exitWhenWritten(code: number): Promise<never> {
  process.exitCode = code;
  await Promise.all([written(process.stdout), written(process.stderr)]);
  // One turn lets a closed HTTP/2 session send its GOAWAY, so the API server sees a clean goodbye.
  await new Promise((resolve) => setImmediate(resolve));
  process.exit(code);
}
