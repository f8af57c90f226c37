// WWW-Authenticate challenges (RFC 9110 §11.6.1): `Bearer realm="…",service="…",scope="…"`, `Basic realm="…"`,
// and several of them in one header or in repeated headers.

/** One challenge: its scheme (lower case) and parameters (names lower case). */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const TOKEN68 = /[A-Za-z0-9._~+/-]+=*/y;

/** Every challenge in the header value(s), in order; malformed parts end the parse (what came before is kept). */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  if (header === undefined) return [];
  const values = Array.isArray(header) ? header : [header];
  return values.flatMap(parseOne);
}

function parseOne(text: string): Challenge[] {
  const found: Challenge[] = [];
  let i = 0;
  const skip = (chars: RegExp) => {
    while (i < text.length && chars.test(text[i])) i++;
  };
  const token = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = i;
    const m = pattern.exec(text);
    if (!m) return undefined;
    i += m[0].length;
    return m[0];
  };
  let current: Challenge | undefined;
  while (i < text.length) {
    skip(/[\s,]/);
    const start = i;
    const name = token(TOKEN);
    if (!name) break;
    skip(/\s/);
    if (current && text[i] === '=') {
      i++;
      skip(/\s/);
      const value = text[i] === '"' ? quoted() : token(TOKEN);
      if (value === undefined) break;
      // Own keys only: a parameter named __proto__ must not reach the prototype.
      Object.defineProperty(current.params, name.toLowerCase(), { value, enumerable: true, writable: true });
      continue;
    }
    i = start + name.length;
    current = { scheme: name.toLowerCase(), params: {} };
    found.push(current);
    skip(/[ \t]/);
    // A token68 credential (`Negotiate abc==`) is not a parameter list: skip it.
    const save = i;
    const t68 = token(TOKEN68);
    if (t68 && !/^\s*=/.test(text.slice(i)) && (i >= text.length || /^\s*,/.test(text.slice(i)))) continue;
    i = save;
  }
  return found;

  function quoted(): string | undefined {
    let out = '';
    for (i++; i < text.length; i++) {
      const c = text[i];
      if (c === '\\' && i + 1 < text.length) out += text[++i];
      else if (c === '"') {
        i++;
        return out;
      } else out += c;
    }
    return undefined;
  }
}
