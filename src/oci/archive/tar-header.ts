/** Field readers for tar headers, shared by the archive index and the streaming metadata scanner. */

export const TAR_BLOCK = 512;

/** Octal numeric fields, plus the GNU base-256 form for sizes over 8 GiB; undefined when invalid. */
export function tarNumber(field: Buffer): number | undefined {
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let value = 0;
    for (let i = 1; i < field.length; i += 1) value = value * 256 + (field[i] ?? 0);
    return Number.isSafeInteger(value) ? value : undefined;
  }
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  if (text === '') return 0;
  return /^[0-7]+$/.test(text) ? Number.parseInt(text, 8) : undefined;
}

/** A NUL-terminated (or full-width) string field. */
export function tarString(field: Buffer): string {
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

/** The member name a header holds itself: `prefix/name` in ustar headers, else `name`. */
export function tarHeaderName(header: Buffer): string {
  const prefix = header.subarray(257, 263).toString('latin1').startsWith('ustar')
    ? tarString(header.subarray(345, 500))
    : '';
  const name = tarString(header.subarray(0, 100));
  return prefix ? `${prefix}/${name}` : name;
}
