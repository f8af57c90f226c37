import { KcError } from '../src/errors/index.js';

/** Reads a line from the terminal without echoing it (the password of a key), bounded to 4 KiB. */
export function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    let text = '';
    const done = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new KcError('INTERRUPTED', 'interrupted at the password prompt'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else if (text.length < 4096) text += ch;
      }
    };
    stdin.setRawMode?.(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/**
 * The password of a cosign private key, asked for only when the key is encrypted: COSIGN_PASSWORD (as cosign reads
 * it), else a prompt on a terminal; without either, an error that says how to give it.
 */
export function keyPassword(env: NodeJS.ProcessEnv = process.env): () => Promise<string> {
  return async () => {
    if (env.COSIGN_PASSWORD !== undefined) return env.COSIGN_PASSWORD;
    if (!process.stdin.isTTY) {
      throw new KcError('USAGE', 'the private key is encrypted and no password was given', {
        hint: 'set COSIGN_PASSWORD (as for cosign), or run kc in a terminal to be asked for it',
      });
    }
    return promptHidden('Enter password for private key: ');
  };
}
