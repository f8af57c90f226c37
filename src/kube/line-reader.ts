// Splits a streamed body into lines as its chunks arrive: a watch answers with one JSON event per line.
import { StringDecoder } from 'node:string_decoder';

/** Takes a body's chunks in order; `end` hands over a last line the server did not terminate. */
export interface LineReader {
  push(chunk: Buffer): void;
  end(): void;
}

/** A line reader calling `onLine` for each non-empty line; a line longer than `maxChars` throws (a runaway body). */
export function lineReader(onLine: (line: string) => void, maxChars = 16 * 1024 * 1024): LineReader {
  // The decoder keeps a UTF-8 character split across two chunks whole.
  const decoder = new StringDecoder('utf8');
  let rest = '';
  const emit = (line: string) => {
    if (line.trim() !== '') onLine(line);
  };
  return {
    push(chunk) {
      const text = rest + decoder.write(chunk);
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      if (rest.length > maxChars) throw new Error(`a streamed line longer than ${maxChars} characters`);
      for (const line of lines) emit(line);
    },
    end() {
      const last = rest + decoder.end();
      rest = '';
      emit(last);
    },
  };
}
