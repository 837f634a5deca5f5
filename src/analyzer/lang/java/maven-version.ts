/**
 * Maven's ComparableVersion canonical form, enough to tell equal versions apart from different
 * ones (`1.1` = `1.1.0` = `1.1-ga`, `1.0-cr1` = `1.0-rc-1`), as the jar analyzer needs when
 * it drops a package found twice in the same file.
 */
type Item = { kind: 'int'; value: string } | { kind: 'string'; value: string } | { kind: 'list'; items: Item[] };

const ALIASES: Readonly<Record<string, string>> = { ga: '', final: '', release: '', cr: 'rc' };

function stringItem(value: string, followedByDigit: boolean): Item {
  let text = value;
  if (followedByDigit && text.length === 1) {
    text = text === 'a' ? 'alpha' : text === 'b' ? 'beta' : text === 'm' ? 'milestone' : text;
  }
  return { kind: 'string', value: ALIASES[text] ?? text };
}

function parseItem(isDigit: boolean, text: string): Item {
  return isDigit ? { kind: 'int', value: text.replace(/^0+(?=\d)/, '') } : stringItem(text, false);
}

const isNull = (item: Item): boolean =>
  item.kind === 'int' ? item.value === '0' : item.kind === 'string' ? item.value === '' : item.items.length === 0;

function normalize(list: Item & { kind: 'list' }): void {
  for (let i = list.items.length - 1; i >= 0; i -= 1) {
    const last = list.items[i];
    if (!last) continue;
    if (isNull(last)) list.items.splice(i, 1);
    else if (last.kind !== 'list') break;
  }
}

function render(list: Item & { kind: 'list' }): string {
  return list.items
    .map((item, i) => {
      const text = item.kind === 'list' ? render(item) : item.value;
      return i === 0 ? text : `${item.kind === 'list' ? '-' : '.'}${text}`;
    })
    .join('');
}

export function canonicalMavenVersion(version: string): string {
  const text = version.toLowerCase();
  const root: Item & { kind: 'list' } = { kind: 'list', items: [] };
  let list = root;
  const stack = [root];
  const open = () => {
    const next: Item & { kind: 'list' } = { kind: 'list', items: [] };
    list.items.push(next);
    list = next;
    stack.push(next);
  };
  let isDigit = false;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] ?? '';
    if (c === '.' || c === '-') {
      list.items.push(i === start ? { kind: 'int', value: '0' } : parseItem(isDigit, text.slice(start, i)));
      start = i + 1;
      if (c === '-') open();
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        list.items.push(stringItem(text.slice(start, i), true));
        start = i;
        open();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.items.push(parseItem(true, text.slice(start, i)));
        start = i;
        open();
      }
      isDigit = false;
    }
  }
  if (text.length > start) list.items.push(parseItem(isDigit, text.slice(start)));
  for (const item of stack.reverse()) normalize(item);
  return render(root);
}

export function mavenVersionsEqual(a: string, b: string): boolean {
  return a === b || canonicalMavenVersion(a) === canonicalMavenVersion(b);
}
