// esbuild writes strings, regular expressions and identifiers as ASCII, but keeps comments (and the raw text of
// tagged templates) as written. One non-ASCII character anywhere makes V8 hold the whole 2.8 MB source two bytes per
// character, and reading it as UTF-8 took ~12 ms where ASCII read as Latin-1 takes ~0.3 ms, in every kc process.

/** True when the non-ASCII character at `index` of `code` is in a comment, judged by its line as esbuild prints it. */
function inComment(code, index) {
  const start = code.lastIndexOf('\n', index - 1) + 1;
  const before = code.slice(start, index);
  return /^\s*(\*|\/\*|\/\/)/.test(before) || before.includes('//');
}

/**
 * `code` with the non-ASCII characters of its comments written as \uXXXX (a comment's text only changes form).
 * Throws, naming the line, for one outside a comment: a tagged template's raw text is the only place esbuild leaves
 * one, and there the escape would change what the tag sees; write the escape in the source instead.
 */
export function asciiOutput(code, file) {
  return code.replace(/[^\x00-\x7f]/g, (ch, index) => {
    if (!inComment(code, index)) {
      const line = code.slice(0, index).split('\n').length;
      throw new Error(
        `${file}:${line}: non-ASCII character outside a comment; write it as \\u${hex(ch)} in the source`,
      );
    }
    return `\\u${hex(ch)}`;
  });
}

const hex = (ch) => ch.charCodeAt(0).toString(16).padStart(4, '0');
