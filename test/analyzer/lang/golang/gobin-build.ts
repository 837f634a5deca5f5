import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Builds a module-mode Go binary fully offline (the gobin-fixture recipe): `go.mod` plus a
 * `vendor/` tree copied from Debian's /usr/share/gocode, so the build info lists `dep` lines.
 * The versions written in vendor/modules.txt are ours to choose; `replaceBbolt` adds a
 * `replace` directive so the build info carries a `=>` line.
 */
export interface GobinOptions {
  replaceBbolt?: string;
  ldflags?: string;
}

const GOCODE = '/usr/share/gocode/src';

export function buildGobin(workDir: string, options: GobinOptions = {}): string {
  const src = join(workDir, 'src');
  mkdirSync(join(src, 'vendor', 'go.etcd.io'), { recursive: true });
  mkdirSync(join(src, 'vendor', 'golang.org', 'x'), { recursive: true });
  cpSync(join(GOCODE, 'go.etcd.io', 'bbolt'), join(src, 'vendor', 'go.etcd.io', 'bbolt'), { recursive: true });
  cpSync(join(GOCODE, 'golang.org', 'x', 'sys'), join(src, 'vendor', 'golang.org', 'x', 'sys'), { recursive: true });
  const replace = options.replaceBbolt;
  writeFileSync(
    join(src, 'go.mod'),
    [
      'module example.com/scanner-fixture',
      '',
      'go 1.19',
      '',
      'require (',
      '\tgo.etcd.io/bbolt v1.3.6',
      '\tgolang.org/x/sys v0.3.0 // indirect',
      ')',
      replace ? `\nreplace go.etcd.io/bbolt => go.etcd.io/bbolt ${replace}` : '',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(src, 'vendor', 'modules.txt'),
    [
      replace ? `# go.etcd.io/bbolt v1.3.6 => go.etcd.io/bbolt ${replace}` : '# go.etcd.io/bbolt v1.3.6',
      '## explicit; go 1.12',
      'go.etcd.io/bbolt',
      '# golang.org/x/sys v0.3.0',
      '## explicit; go 1.17',
      'golang.org/x/sys/unix',
      replace ? `# go.etcd.io/bbolt => go.etcd.io/bbolt ${replace}` : '',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(src, 'main.go'),
    [
      'package main',
      '',
      'import (',
      '\t"fmt"',
      '\t"os"',
      '',
      '\tbolt "go.etcd.io/bbolt"',
      ')',
      '',
      'var version = "dev"',
      '',
      'func main() {',
      '\tdb, err := bolt.Open(os.Args[1], 0o644, nil)',
      '\tif err != nil {',
      '\t\tpanic(err)',
      '\t}',
      '\tdefer db.Close()',
      '\tfmt.Println("ok", version)',
      '}',
      '',
    ].join('\n'),
  );
  const output = join(workDir, 'gobin');
  execFileSync('go', ['build', '-ldflags', options.ldflags ?? '-X main.version=1.2.3', '-o', output, '.'], {
    cwd: src,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      GO111MODULE: 'on',
      GOFLAGS: '-mod=vendor',
      GOPROXY: 'off',
      GOTOOLCHAIN: 'local',
      // No C compiler is installed in CI; the program needs none.
      CGO_ENABLED: '0',
      GOCACHE: join(workDir, '.gocache'),
      GOPATH: join(workDir, '.gopath'),
    },
  });
  return output;
}

/** `go version -m FILE` as [key, ...fields] rows (the on-machine oracle for build info). */
export function goVersionM(file: string): string[][] {
  const out = execFileSync('go', ['version', '-m', file], {
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: 'local' },
  });
  const lines = out.split('\n').filter((line) => line !== '');
  const rows = lines.slice(1).map((line) => line.replace(/^\t/, '').split('\t'));
  const first = lines[0] ?? '';
  return [['go', first.slice(first.indexOf(': ') + 2)], ...rows];
}
