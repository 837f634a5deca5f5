/** One `WWW-Authenticate` challenge: the scheme (lower case) and its parameters (names lower case). */
export interface AuthChallenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

const MAX_HEADER_LENGTH = 16 * 1024;

/**
 * Parses `WWW-Authenticate` (RFC 9110 §11.6.1): several challenges may share one header, each a
 * scheme followed by `name=value` or `name="quoted, value"` parameters.
 */
export function parseChallenges(header: string | undefined): AuthChallenge[] {
  if (!header) return [];
  const text = header.slice(0, MAX_HEADER_LENGTH);
  const challenges: Array<{ scheme: string; params: Record<string, string> }> = [];
  let index = 0;
  const skip = (pattern: RegExp) => {
    while (index < text.length && pattern.test(text[index] as string)) index++;
  };
  const token = () => {
    const start = index;
    while (index < text.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z/]/.test(text[index] as string)) index++;
    return text.slice(start, index);
  };
  while (index < text.length) {
    skip(/[\s,]/);
    const name = token();
    if (name === '') {
      index++;
      continue;
    }
    skip(/\s/);
    if (text[index] === '=' && challenges.length > 0) {
      index++;
      skip(/\s/);
      let value = '';
      if (text[index] === '"') {
        index++;
        while (index < text.length && text[index] !== '"') {
          if (text[index] === '\\' && index + 1 < text.length) index++;
          value += text[index];
          index++;
        }
        index++;
      } else {
        value = token();
      }
      (challenges.at(-1) as { params: Record<string, string> }).params[name.toLowerCase()] = value;
    } else {
      challenges.push({ scheme: name.toLowerCase(), params: {} });
    }
  }
  return challenges;
}

/** The challenge a registry client can answer: Bearer preferred over Basic. */
export function preferredChallenge(challenges: readonly AuthChallenge[]): AuthChallenge | undefined {
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
}
