/**
 * sprintf, regex.* and time.* follow Go's fmt, regexp and time packages; these tests ask Go
 * (a small oracle program on its standard library) the same questions and compare.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NAMED_LAYOUTS } from '../../src/rego/builtins/go-time.ts';
import { type BuiltinContext, BuiltinError, defaultBuiltins, fromJS, toJS, type Value } from '../../src/rego/index.ts';
import { askGo, type GoArg, type GoRequest } from './go-oracle.ts';

const BUILTINS = defaultBuiltins();
const BCTX = {
  nowNs: 0n,
  strict: true,
  memo: new Map(),
  random: () => 0.5,
  print: () => {},
  env: {},
  rule: undefined,
  metadataChain: () => [],
  metadataRule: () => null,
  location: { file: 'test', row: 1, col: 1 },
} as unknown as BuiltinContext;

/** A builtin's result as plain JS, or the error it raised. */
function call(name: string, ...args: unknown[]): { value?: unknown; error?: string } {
  const def = BUILTINS.get(name);
  if (def === undefined) throw new Error(`no builtin ${name}`);
  try {
    const v = def.fn(
      args.map((a) => fromJS(a)),
      BCTX,
    );
    return { value: v === undefined ? undefined : toJS(v as Value) };
  } catch (error) {
    if (error instanceof BuiltinError) return { error: error.message };
    throw error;
  }
}

function goArg(v: number | bigint | string): GoArg {
  if (typeof v === 'string') return { string: v };
  if (typeof v === 'bigint' || Number.isSafeInteger(v)) return { int: String(v) };
  return { float: v };
}

describe('sprintf against Go fmt.Sprintf', () => {
  const values: Array<number | bigint | string> = [
    0,
    42,
    -42,
    255,
    -7,
    9007199254740993n,
    12345678901234567890n,
    2.71721,
    -0.5,
    0.1,
    1e-7,
    123456789.5,
    0.000012345,
    2.5,
    1234567.25,
    100000.5,
    'hello',
    'ünïcödé ☺',
    'a"b\\c\n\t',
    '',
    ' spaced ',
  ];
  const verbs = [
    '%v',
    '%s',
    '%d',
    '%q',
    '%x',
    '%X',
    '%o',
    '%O',
    '%b',
    '%e',
    '%E',
    '%f',
    '%F',
    '%g',
    '%G',
    '%t',
    '%c',
    '%U',
    '%5d',
    '%-5d|',
    '%05d',
    '%+d',
    '% d',
    '%.2f',
    '%8.3f',
    '%-8.3f|',
    '%.0f',
    '%.3e',
    '%.3g',
    '%10.4g',
    '%6s|',
    '%-6s|',
    '%.2s',
    '%+.1e',
    '%08.3f',
    '%z',
    'no verbs',
    '%d%%',
    '%',
    '%!',
  ];

  it('formats every verb and flag combination like Go', () => {
    const cases: Array<{ format: string; args: Array<number | bigint | string> }> = [];
    for (const format of verbs) for (const v of values) cases.push({ format, args: [v] });
    // The # flag with integers and strings (with floats it follows rules we do not reproduce).
    for (const format of ['%#x', '%#X', '%#o', '%#v']) {
      for (const v of values) if (typeof v !== 'number' || Number.isInteger(v)) cases.push({ format, args: [v] });
    }
    cases.push(
      { format: '%v and %v', args: [1, 'two'] },
      { format: '%d %d', args: [1] },
      { format: '%s', args: ['a', 'b', 3] },
      { format: '%[2]d %[1]d', args: [1, 2] },
      { format: '%*d|', args: [6, 42] },
      { format: '%.*f', args: [2, 2.71721] },
      { format: '%s %d %v %q', args: ['x', 10, 2.5, 'y'] },
    );
    const replies = askGo(cases.map((c) => ({ op: 'sprintf', format: c.format, args: c.args.map(goArg) })));
    const mismatches: string[] = [];
    cases.forEach((c, i) => {
      const got = call('sprintf', c.format, c.args).value;
      const want = replies[i]?.out;
      if (got !== want) {
        const shown = JSON.stringify(c, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
        mismatches.push(`${shown}: got ${JSON.stringify(got)}, Go ${JSON.stringify(want)}`);
      }
    });
    assert.deepEqual(mismatches, []);
  });
});

describe('regex builtins against Go regexp', () => {
  const patterns = [
    'abc',
    '^a.c$',
    'a|b',
    '(a)(b)?',
    '(?i)hello',
    '(?i:HE)llo',
    'a(?i)bc',
    '(?s)a.b',
    '(?m)^b$',
    '(?U)a+',
    'a+?',
    '\\d+',
    '\\w+',
    '\\s+',
    '\\S+',
    '\\W',
    '\\D',
    '[[:alpha:]]+',
    '[[:^digit:]]+',
    '[[:punct:][:space:]]',
    '\\pL+',
    '\\p{Greek}+',
    '\\PL',
    '[\\p{Lu}]',
    '\\Qa.b\\E',
    '\\x41',
    '\\x{263a}',
    'a{2,3}',
    'a{2}',
    'a{,2}',
    'x{',
    '\\z',
    '\\Aab',
    'x*',
    'a*',
    '(?P<first>\\w+) (?P<last>\\w+)',
    '[a-',
    '(',
    'a)',
    '*a',
    'a**',
    '\\1',
    '(?=a)',
    '(?!a)',
    '\\8',
    '[]a]',
    '[^]a]',
    '[a\\]]',
    '\\.',
    '\\-',
    '[\\-.]',
    '\\bfoo\\b',
    '$',
    '^',
    'a$',
    '^$',
    '.*',
    '(a|ab)(c|bcd)(d*)',
    'ß',
    '(?i)ß',
    '[^a-z]',
    'a{1001}',
    '[z-a]',
    '\\Z',
    '(?i)[a-c]+',
    '\\t|\\n',
    '[\\d\\s]+',
    '^\\s*sudo',
    '(?i)aws_secre.+[=:]\\s{0,}[A-Za-z0-9\\/+=]{40}.?',
    '[0-9A-Za-z\\\\-_]{3}',
    '(?i)k+',
    '(?i)[a-m]+',
    '(?i)S',
    '.+',
    '(?s).+',
    '(?m)^\\w+$\\z',
    '\\Aa(?m)^b',
    '[😀-😂]',
    '(?i)[^a-z]+',
    '[[:upper:]]+',
    '(?i)[[:upper:]]+',
  ];
  const texts = [
    'K k \u212a ſ s',
    'emoji 😀 x',
    'a\rb\u2028c',
    '',
    'abc',
    'ABC',
    'a.b',
    'hello world',
    'Hello HELLO',
    'aaa',
    'ab\nb\nc',
    'foo bar',
    'Ωmega αβγ',
    'x-y.z',
    '123 abc 456',
    'a]b',
    'ßS',
    'abcd',
    '☺ smile',
    '  sudo apt',
    'a\tb',
  ];

  it('matches, finds, splits and replaces like Go, or refuses a pattern with an error', () => {
    const requests: GoRequest[] = [];
    for (const pattern of patterns) {
      for (const text of texts) {
        requests.push({ op: 'match', pattern, text });
        requests.push({ op: 'findall', pattern, text, n: -1 });
        requests.push({ op: 'findall', pattern, text, n: 1 });
        requests.push({ op: 'split', pattern, text });
      }
      // Go's expansion templates, not JavaScript template literals.
      const templates = ['X', '[$1]', '$' + '{1}x', '$$', '$first', '$' + '{first}-$' + '{last}', '$1x', '$'];
      for (const repl of templates) {
        requests.push({ op: 'replace', pattern, text: 'foo bar abc aaa', repl });
      }
    }
    const replies = askGo(requests);
    const mismatches: string[] = [];
    const refused = new Set<string>();
    requests.forEach((r, i) => {
      const want = replies[i];
      if (r.op === 'sprintf' || r.op === 'format' || r.op === 'parse' || r.op === 'duration') return;
      const got =
        r.op === 'match'
          ? call('regex.match', r.pattern, r.text)
          : r.op === 'findall'
            ? call('regex.find_all_string_submatch_n', r.pattern, r.text, r.n)
            : r.op === 'split'
              ? call('regex.split', r.pattern, r.text)
              : call('regex.replace', r.text, r.pattern, (r as { repl: string }).repl);
      if (want?.invalid) {
        if (got.error === undefined) mismatches.push(`${JSON.stringify(r)}: Go rejects the pattern, we did not`);
        return;
      }
      if (got.error !== undefined) {
        refused.add(r.pattern);
        return;
      }
      if (JSON.stringify(got.value) !== JSON.stringify(want?.out)) {
        mismatches.push(`${JSON.stringify(r)}: got ${JSON.stringify(got.value)}, Go ${JSON.stringify(want?.out)}`);
      }
    });
    assert.deepEqual(mismatches, []);
    // What JavaScript cannot express the same way is refused, never answered differently.
    assert.deepEqual(
      [...refused].sort(),
      ['[[:punct:][:space:]]'].filter((p) => refused.has(p)),
    );
  });
});

describe('regular expressions stay linear on hostile input', () => {
  it('matches patterns with nested quantifiers on long non-matching text quickly', () => {
    const started = performance.now();
    for (const pattern of ['(a+)+b', '(?i)(A+)+B', '(x+x+)+y', '^(\\w+\\s?)*$']) {
      assert.equal(call('regex.match', pattern, `${'a'.repeat(40)}!`).value, false, pattern);
    }
    assert.ok(performance.now() - started < 5000, 'no catastrophic backtracking');
  });
});

describe('time builtins against Go time', () => {
  const instants = [
    '0',
    '1703444325734390000',
    '-1',
    '1257894000000000000',
    '946684799999999999',
    '1709251200123456789',
    '-2208988800000000000',
    '1688169600000000000',
  ];
  const zones = ['UTC', 'America/Los_Angeles', 'Asia/Kolkata', 'Europe/Berlin', 'Australia/Lord_Howe'];
  const layouts = [
    ...Object.keys(NAMED_LAYOUTS),
    '2006-01-02 15:04:05.000 MST',
    'Monday, January 2, 2006 3:04:05.999 PM -07:00',
    '06/1/2 3:4:5 pm',
    '002 __2 _2 Mon Jan',
    '2006-01-02T15:04:05,999Z0700',
    'Z07 Z07:00:00 -070000 -07',
  ];

  it('formats instants in zones with Go layouts like Go', () => {
    const requests: GoRequest[] = [];
    for (const ns of instants) {
      for (const zone of zones) {
        for (const layout of layouts) {
          requests.push({ op: 'format', ns, zone, layout: NAMED_LAYOUTS[layout] ?? layout });
        }
      }
    }
    const replies = askGo(requests);
    const mismatches: string[] = [];
    requests.forEach((r, i) => {
      if (r.op !== 'format') return;
      const got = call('time.format', [BigInt(r.ns), r.zone, r.layout]).value;
      if (got !== replies[i]?.out)
        mismatches.push(`${JSON.stringify(r)}: got ${JSON.stringify(got)}, Go ${JSON.stringify(replies[i]?.out)}`);
    });
    assert.deepEqual(mismatches, []);
  });

  it('parses times and durations like Go (value, or an error when Go errs)', () => {
    const parse: Array<[string, string]> = [];
    const utc = askGo(
      layouts.map((layout) => ({
        op: 'format',
        ns: '1709251200123456789',
        zone: 'UTC',
        layout: NAMED_LAYOUTS[layout] ?? layout,
      })),
    );
    layouts.forEach((layout, i) => {
      parse.push([NAMED_LAYOUTS[layout] ?? layout, String(utc[i]?.out)]);
    });
    parse.push(
      ['2006-01-02T15:04:05Z07:00', '2017-06-02T19:00:00-07:00'],
      ['2006-01-02T15:04:05Z07:00', '1677-09-21T00:12:43.145224192-00:00'],
      ['2006-01-02T15:04:05Z07:00', '2017-13-02T19:00:00Z'],
      ['2006-01-02T15:04:05Z07:00', '2017-06-02 19:00:00'],
      ['2006-01-02T15:04:05Z07:00', '2017-06-02T19:00:00.5Z'],
      ["01/02 03:04:05PM '06 -0700", "06/02 07:00:00PM '17 -0700"],
      ['02 Jan 06 15:04 -0700', '02 Jun 17 19:00 -0700'],
      ['Mon, 02 Jan 2006 15:04:05 MST', 'Fri, 02 Jun 2017 19:00:00 PST'],
      ['2006-01-02', '2024-02-30'],
      ['2006-01-02', '2024-02-29'],
      ['3:04PM', '13:04PM'],
    );
    const durations = [
      '1h',
      '1h30m',
      '1.5s',
      '300ms',
      '-1h',
      '1us',
      '1µs',
      '2h45m30.5s',
      '0',
      '',
      '1',
      '1x',
      '.5s',
      '1.s',
      '+3m',
      '9223372036854775807ns',
      '9223372036854775808ns',
      '2562047h',
      '2562048h',
    ];
    const requests: GoRequest[] = [
      ...parse.map(([layout, text]): GoRequest => ({ op: 'parse', layout, text })),
      ...durations.map((text): GoRequest => ({ op: 'duration', text })),
    ];
    const replies = askGo(requests);
    const mismatches: string[] = [];
    requests.forEach((r, i) => {
      const want = replies[i];
      const got =
        r.op === 'parse'
          ? call('time.parse_ns', r.layout, r.text)
          : call('time.parse_duration_ns', (r as { text: string }).text);
      const gotText = got.value === undefined ? undefined : String(got.value);
      if (want?.error !== undefined ? got.error === undefined : gotText !== want?.out) {
        mismatches.push(`${JSON.stringify(r)}: got ${gotText ?? got.error}, Go ${want?.out ?? want?.error}`);
      }
    });
    assert.deepEqual(mismatches, []);
  });
});
