/** Lines as Go's bufio.Scanner yields them: split on `\n`, one trailing `\r` dropped, no final empty line. */
export function scanLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** Whitespace-separated fields, as Go's strings.Fields. */
export function fields(line: string): string[] {
  return line.split(/\s+/).filter((field) => field !== '');
}
