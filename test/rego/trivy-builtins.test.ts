/**
 * Trivy's custom builtins. sh.parse_commands and sh.has_pipes are compared with mvdan/sh itself
 * (the parser Trivy's builtin runs, here as its official JavaScript build); cidr.* and
 * squealer.scan_string use the vectors of trivy-checks' own tests; result.new follows Trivy's
 * custom.go field rules.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { type BuiltinContext, BuiltinError, defaultBuiltins, fromJS, toJS, type Value } from '../../src/rego/index.ts';

interface ShPos {
  Offset(): number;
}
interface ShNode {
  Args?: Array<{ Pos(): ShPos; End(): ShPos }>;
  OpPos?: ShPos;
}
interface MvdanSh {
  syntax: {
    NewParser(): { Parse(src: string, name: string): unknown };
    Walk(node: unknown, fn: (node: ShNode | null) => boolean): void;
    NodeType(node: ShNode): string;
  };
}
const mvdan = createRequire(import.meta.url)('mvdan-sh') as MvdanSh;

/** What mvdan/sh parses: each CallExpr's arguments (as source text), and whether a pipe occurs. */
function oracle(src: string): { commands: string[][]; pipes: boolean } | 'error' {
  let file: unknown;
  try {
    file = mvdan.syntax.NewParser().Parse(src, '');
  } catch {
    return 'error';
  }
  const commands: string[][] = [];
  let pipes = false;
  mvdan.syntax.Walk(file, (node) => {
    if (node === null) return true;
    const type = mvdan.syntax.NodeType(node);
    if (type === 'CallExpr' && node.Args && node.Args.length > 0) {
      commands.push(node.Args.map((w) => src.slice(w.Pos().Offset(), w.End().Offset())));
    }
    if (type === 'BinaryCmd' && node.OpPos) {
      const op = src.slice(node.OpPos.Offset(), node.OpPos.Offset() + 2);
      if (op.startsWith('|') && op !== '||') pipes = true;
    }
    return true;
  });
  return { commands, pipes };
}

const BUILTINS = defaultBuiltins();
const BCTX = { memo: new Map(), strict: true } as unknown as BuiltinContext;

function call(name: string, ...args: unknown[]): unknown {
  const v = BUILTINS.get(name)?.fn(
    args.map((a) => fromJS(a)),
    BCTX,
  );
  return v === undefined ? undefined : toJS(v as Value);
}

function fails(name: string, ...args: unknown[]): boolean {
  try {
    call(name, ...args);
    return false;
  } catch (error) {
    if (error instanceof BuiltinError) return true;
    throw error;
  }
}

/** Shell as Dockerfile RUN lines write it (`$` + `{` is split only to keep the linter quiet). */
const SHELL = [
  '',
  'apt update && apt install curl',
  'apt update;apt install curl',
  'apt update; apt install curl && apt install git',
  'apt update || apt install -y nginx',
  'echo "test;test" ;apt update && apt install -y nginx',
  'FOO=bar',
  'FOO=bar apt update',
  'A=1 B="two words" make -j4 install',
  'apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*',
  'apk add --no-cache python3 py3-pip && pip3 install --upgrade pip',
  'yum install -y httpd && yum clean all',
  'curl -sSL https://example.com/install.sh | sh',
  'wget -qO- https://example.com/x.tar.gz | tar xz -C /opt',
  'curl -fsSL https://example.com | bash -s -- --version 1.2',
  'set -eux; \\\n  apt-get update; \\\n  apt-get install -y gosu; \\\n  rm -rf /var/lib/apt/lists/*',
  'cd /app && make && make install',
  'echo $(whoami) `id -u` "$' + "{HOME}\" '$NOT'",
  'export PATH=/opt/bin:$PATH && node --version',
  'declare -x FOO=1 && local x; readonly y=2; typeset z; true',
  'let x=1+2 && echo $x',
  'if [ -f /etc/os-release ]; then . /etc/os-release; elif [ -d /x ]; then echo x; else echo none; fi',
  'for p in a b c; do pip install "$p"; done',
  'for ((i=0; i<3; i++)); do echo $i; done',
  'while read line; do echo "$line"; done < /etc/passwd',
  'until false; do break; done',
  'case "$ARCH" in amd64) echo x86;; arm64|aarch64) echo arm;; *) exit 1;; esac',
  '{ echo a; echo b; } > /tmp/out',
  '(cd /tmp && ls) 2>/dev/null',
  '[[ -n "$X" ]] && echo set',
  '(( x > 1 )) && echo big',
  'useradd -r -u 1001 app 2>&1 >/dev/null || true',
  'echo ok > /dev/null 2>&1 &',
  'sudo apt-get install -y vim',
  'RUN apk add bash && sudo pip install --upgrade pip',
  'ln -s /usr/bin/python3 /usr/bin/python # make python point to python3',
  'arr=(one two) && echo $' + '{arr[0]}',
  'f() { echo "in f"; }; f',
  'function g { echo g; }; g',
  'time make build',
  '! grep -q foo file',
  'echo $((1 + 2)) $' + '{A:-default} $' + '{#B}',
  'echo $\'tab\\there\' "a\\"b"',
  'cat file | grep x | wc -l',
  'ls |& cat',
  'echo "$(cat /etc/hostname)-$(date +%s)"',
  'aws configure set aws_access_key_id test-id &&     aws configure set aws_secret_access_key test-key',
  'pip install -r requirements.txt --no-cache-dir',
  "sh -c 'echo nested; echo quoted'",
  'echo a\\ b c',
  'true && \\\n false',
  'echo "unterminated',
  "echo 'unterminated",
  'echo $(unclosed',
  'if true; then echo',
  'for x in; do',
  'a && && b',
  '| leading',
];

describe('sh.parse_commands and sh.has_pipes against mvdan/sh', () => {
  it('finds the same commands and arguments, and the same pipes, as mvdan/sh', () => {
    const mismatches: string[] = [];
    for (const src of SHELL) {
      const want = oracle(src);
      if (want === 'error') {
        if (!fails('sh.parse_commands', src))
          mismatches.push(`${JSON.stringify(src)}: mvdan/sh rejects it, we did not`);
        continue;
      }
      let got: unknown;
      try {
        got = call('sh.parse_commands', src);
      } catch (error) {
        mismatches.push(`${JSON.stringify(src)}: ${(error as Error).message}`);
        continue;
      }
      if (JSON.stringify(got) !== JSON.stringify(want.commands)) {
        mismatches.push(
          `${JSON.stringify(src)}: got ${JSON.stringify(got)}, mvdan/sh ${JSON.stringify(want.commands)}`,
        );
      }
      if (call('sh.has_pipes', src) !== want.pipes) mismatches.push(`${JSON.stringify(src)}: pipes differ`);
    }
    assert.deepEqual(mismatches, []);
  });

  it('gives the results trivy-checks tests expect', () => {
    assert.deepEqual(call('sh.parse_commands', 'apt update && apt install curl'), [
      ['apt', 'update'],
      ['apt', 'install', 'curl'],
    ]);
    assert.deepEqual(call('sh.parse_commands', ''), []);
    assert.deepEqual(call('sh.parse_commands', 'echo "test;test" ;apt update'), [
      ['echo', '"test;test"'],
      ['apt', 'update'],
    ]);
    assert.deepEqual(call('sh.parse_commands', 'FOO=bar'), []);
  });
});

describe('cidr.count_addresses and cidr.is_public (trivy-checks vectors)', () => {
  it('counts addresses as a uint64', () => {
    const cases: Array<[string, bigint | number]> = [
      ['127.0.0.1', 1],
      ['192.168.0.1/16', 0x10000],
      ['1.2.3.4/0', 0x100000000],
      ['::0/0', 18446744073709551615n],
      ['*', 18446744073709551615n],
      ['internet', 18446744073709551615n],
      ['Internet', 18446744073709551615n],
      ['any', 18446744073709551615n],
      ['Any', 18446744073709551615n],
      ['1.2.3.4/32', 1],
      ['nonsense', 0],
      ['10.0.0.0/99', 0],
      ['2001:db8::/64', 18446744073709551615n],
      ['2001:db8::/100', 0x10000000],
    ];
    for (const [input, want] of cases) assert.equal(call('cidr.count_addresses', input), want, input);
  });

  it('tells public from private addresses and ranges', () => {
    const cases: Array<[string, boolean]> = [
      ['1.2.3.4', true],
      ['127.0.0.1', false],
      ['192.168.0.0', false],
      ['192.168.0.1/16', false],
      ['192.168.0.1/24', false],
      ['192.168.0.1/8', true],
      ['10.0.0.0', false],
      ['10.0.0.0/8', false],
      ['10.0.0.0/7', true],
      ['169.254.0.0/16', false],
      ['172.16.0.0/12', false],
      ['172.16.0.0/2', true],
      ['0.0.0.0/0', true],
      ['127.0.0.1/0', true],
      ['0000:0000:0000:0000:0000:0000:0000:0001', false],
      ['::1/128', false],
      ['fe80::/10', false],
      ['fc00::/7', false],
      ['fd00:1234:1234:1234:1234:1234:1234:1234', false],
      ['6666:6666:6666:6666:6666:6666:6666:6666', true],
      ['nonsense', false],
      ['*', true],
      ['internet', true],
      ['Internet', true],
      ['any', true],
      ['Any', true],
      ['10.0.0.0/16', false],
      ['10.0.0.1-10.0.0.9', true],
    ];
    for (const [input, want] of cases) assert.equal(call('cidr.is_public', input), want, input);
  });
});

describe('squealer.scan_string', () => {
  it('flags secrets the way trivy-checks tests expect, naming the first matching rule', () => {
    assert.deepEqual(call('squealer.scan_string', 'export GREETING="Hello there"'), {
      transgressionFound: false,
      description: '',
    });
    assert.equal(
      (
        call('squealer.scan_string', 'export DATABASE_PASSWORD=\\"SomeSortOfPassword\\"') as {
          transgressionFound: boolean;
        }
      ).transgressionFound,
      true,
    );
    const described = (s: string) => (call('squealer.scan_string', s) as { description: string }).description;
    assert.equal(described('AWS_KEY=AKIAIOSFODNN7EXAMPLE'), 'Check for AWS Access Key Id');
    assert.equal(described('-----BEGIN RSA PRIVATE KEY-----'), 'Private Asymetric Key');
    assert.equal(described('token ghp_abcdefghijklmnopqrstuvwxyz0123456789'), 'Check for new Github Token');
    assert.equal(described('password: hunter2'), 'Password literal text');
  });
});

describe('result.new and isManaged', () => {
  it('reads Dockerfile-style metadata from the cause itself', () => {
    const cause = { Cmd: 'run', StartLine: 3, EndLine: 4, Path: 'Dockerfile', Value: ['x'] };
    assert.deepEqual(call('result.new', 'msg here', cause), {
      msg: 'msg here',
      startline: 3,
      endline: 4,
      filepath: 'Dockerfile',
      sourceprefix: '',
      explicit: false,
      managed: true,
      fskey: '',
      resource: '',
      parent: null,
    });
  });

  it('reads __defsec_metadata, its parent recursively, and managed', () => {
    const cause = {
      name: 'c',
      __defsec_metadata: {
        startline: 10,
        endline: 12,
        filepath: 'pod.yaml',
        managed: false,
        resource: 'Pod/p',
        parent: { __defsec_metadata: { startline: 1, endline: 20, filepath: 'pod.yaml' } },
      },
    };
    const r = call('result.new', 'm', cause) as Record<string, unknown>;
    assert.equal(r.startline, 10);
    assert.equal(r.managed, false);
    assert.equal(r.resource, 'Pod/p');
    assert.deepEqual(r.parent, {
      startline: 1,
      endline: 20,
      filepath: 'pod.yaml',
      sourceprefix: '',
      explicit: false,
      managed: true,
      fskey: '',
      resource: '',
      parent: null,
    });
    assert.equal(call('isManaged', cause), false);
    assert.equal(call('isManaged', { kind: 'Pod' }), true);
    assert.equal(call('isManaged', 'not an object'), true);
  });
});
