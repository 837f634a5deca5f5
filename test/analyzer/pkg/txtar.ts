/** The files of a txtar archive (Go's golang.org/x/tools/txtar): `-- name --` lines start each file. */
export function parseTxtar(text: string): Record<string, string> {
  const files: Record<string, string> = {};
  let current: string | undefined;
  for (const line of text.split(/(?<=\n)/)) {
    const marker = /^-- (.+) --\r?\n?$/.exec(line);
    if (marker) {
      current = marker[1] ?? '';
      files[current] = '';
    } else if (current !== undefined) {
      files[current] += line;
    }
  }
  return files;
}
