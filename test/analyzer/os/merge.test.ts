import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeOs, osAnalyzers, parseApkRepositories } from '../../../src/analyzer/os/index.ts';
import type { OS } from '../../../src/analyzer/types.ts';
import { imageContext, memoryFiles } from './collected-files.ts';

test('mergeOs follows Trivy: RHEL and Debian answers are provisional, others stay, fuller versions win', () => {
  const cases: [string, OS | undefined, OS, OS | undefined][] = [
    ['nothing yet', undefined, { Family: 'alpine', Name: '3.20.3' }, { Family: 'alpine', Name: '3.20.3' }],
    [
      'empty newcomer',
      { Family: 'alpine', Name: '3.20.3' },
      { Family: '', Name: '' },
      { Family: 'alpine', Name: '3.20.3' },
    ],
    [
      'first stays',
      { Family: 'alpine', Name: '3.20.3' },
      { Family: 'alpine', Name: '3.21.0' },
      { Family: 'alpine', Name: '3.20.3' },
    ],
    [
      'oracle replaces redhat',
      { Family: 'redhat', Name: '7.6' },
      { Family: 'oracle', Name: '7.6' },
      { Family: 'oracle', Name: '7.6' },
    ],
    [
      'ubuntu replaces debian',
      { Family: 'debian', Name: 'buster/sid' },
      { Family: 'ubuntu', Name: '18.04' },
      { Family: 'ubuntu', Name: '18.04' },
    ],
    [
      'debian does not replace ubuntu',
      { Family: 'ubuntu', Name: '18.04' },
      { Family: 'debian', Name: 'buster/sid' },
      { Family: 'ubuntu', Name: '18.04' },
    ],
    [
      'fuller centos version',
      { Family: 'centos', Name: '7' },
      { Family: 'centos', Name: '7.9.2009' },
      { Family: 'centos', Name: '7.9.2009' },
    ],
    [
      'shorter centos version',
      { Family: 'centos', Name: '7.9.2009' },
      { Family: 'centos', Name: '7' },
      { Family: 'centos', Name: '7.9.2009' },
    ],
    [
      'prefix is not a fuller version',
      { Family: 'alpine', Name: '3.1' },
      { Family: 'alpine', Name: '3.10' },
      { Family: 'alpine', Name: '3.1' },
    ],
    [
      'ESM flag joins the version',
      { Family: 'ubuntu', Name: '20.04' },
      { Family: 'ubuntu', Name: '', Extended: true },
      { Family: 'ubuntu', Name: '20.04', Extended: true },
    ],
    [
      'version joins the ESM flag',
      { Family: 'ubuntu', Name: '', Extended: true },
      { Family: 'ubuntu', Name: '20.04' },
      { Family: 'ubuntu', Name: '20.04', Extended: true },
    ],
  ];
  for (const [name, current, found, want] of cases) assert.deepEqual(mergeOs(current, found), want, name);
});

/** All OS analyzers over one layer's files, merged the way Trivy merges them. */
async function detect(files: Record<string, string>, order = osAnalyzers): Promise<{ os?: OS; repository?: unknown }> {
  let os: OS | undefined;
  let repository: unknown;
  const collected = memoryFiles(files);
  for (const analyzer of order) {
    const mine = collected.paths().filter((path) => analyzer.required(path, { size: 10, mode: 0o644 }));
    if (mine.length === 0) continue;
    const picked = Object.fromEntries(mine.map((path) => [path, files[path] ?? '']));
    const result = await analyzer.analyze(memoryFiles(picked), imageContext);
    if (result.OS) os = mergeOs(os, result.OS);
    repository ??= result.Repository;
  }
  return { os, repository };
}

const images: [string, Record<string, string>, OS][] = [
  [
    'Oracle Linux ships redhat-release too',
    {
      'etc/redhat-release': 'Red Hat Enterprise Linux Server release 7.6 (Maipo)\n',
      'etc/oracle-release': 'Oracle Linux Server release 7.6\n',
      'etc/os-release': 'NAME="Oracle Linux Server"\nID="ol"\nVERSION_ID="7.6"\n',
    },
    { Family: 'oracle', Name: '7.6' },
  ],
  [
    'CentOS 7: centos-release is fuller than os-release',
    {
      'etc/centos-release': 'CentOS Linux release 7.9.2009 (Core)\n',
      'etc/redhat-release': 'CentOS Linux release 7.9.2009 (Core)\n',
      'etc/os-release': 'NAME="CentOS Linux"\nID="centos"\nVERSION_ID="7"\n',
    },
    { Family: 'centos', Name: '7.9.2009' },
  ],
  [
    'Ubuntu with ESM ships debian_version too',
    {
      'etc/debian_version': 'buster/sid\n',
      'etc/lsb-release': 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=18.04\n',
      'etc/os-release': 'ID=ubuntu\nVERSION_ID="18.04"\n',
      'var/lib/ubuntu-advantage/status.json': '{"services":[{"name":"esm-infra","status":"enabled"}]}',
    },
    { Family: 'ubuntu', Name: '18.04', Extended: true },
  ],
  [
    'Debian',
    { 'etc/debian_version': '12.15\n', 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n' },
    { Family: 'debian', Name: '12.15' },
  ],
  [
    'Amazon Linux 2',
    { 'etc/system-release': 'Amazon Linux release 2 (Karoo)\n', 'etc/os-release': 'ID="amzn"\nVERSION_ID="2"\n' },
    { Family: 'amazon', Name: '2 (Karoo)' },
  ],
  [
    'CBL-Mariner 2',
    { 'etc/mariner-release': 'CBL-Mariner 2.0.20240123\n', 'etc/os-release': 'ID=mariner\nVERSION_ID="2.0"\n' },
    { Family: 'cbl-mariner', Name: '2.0.20240123' },
  ],
];

test('a whole layer resolves to the OS Trivy reports, whatever order the analyzers run in', async () => {
  for (const [name, files, want] of images) {
    assert.deepEqual((await detect(files)).os, want, name);
    assert.deepEqual((await detect(files, [...osAnalyzers].reverse())).os, want, `${name} (reversed)`);
  }
});

test('Alpine repositories: newest release, edge wins, other distributions ignored (Trivy repo/apk cases)', async () => {
  const cases: [string, string, { Family: string; Release: string } | undefined][] = [
    ['http', 'http://mirror-a.example/alpine/v3.7/main', { Family: 'alpine', Release: '3.7' }],
    ['https', 'https://mirror.example/alpine/v3.15/main', { Family: 'alpine', Release: '3.15' }],
    ['ftp', 'ftp://mirror-b.example/alpine/v2.6/main', { Family: 'alpine', Release: '2.6' }],
    ['edge', 'https://mirror.example/alpine/edge/main', { Family: 'alpine', Release: 'edge' }],
    ['adelie', 'https://mirror-c.example/adelie/1.0-beta4/system/', undefined],
    ['no release', 'https://mirror.example/alpine//edge/main', undefined],
    [
      'v3.1 then v3.10',
      'https://mirror.example/alpine/v3.1/main\n\nhttps://mirror.example/alpine/v3.10/main\n',
      { Family: 'alpine', Release: '3.10' },
    ],
    [
      'v3.10 then v3.1',
      'https://mirror.example/alpine/v3.10/main\nhttps://mirror.example/alpine/v3.1/main\n',
      { Family: 'alpine', Release: '3.10' },
    ],
    [
      'edge and v3.10',
      'https://mirror.example/alpine/edge/main\nhttps://mirror.example/alpine/v3.10/main\n',
      { Family: 'alpine', Release: 'edge' },
    ],
    ['comments and blanks only', '# nothing\n\n', undefined],
  ];
  for (const [name, text, want] of cases) assert.deepEqual(parseApkRepositories(text), want, name);
  assert.throws(
    () => parseApkRepositories('https://a.example/alpine/v3.18/main\nhttps://b.example/postmarketos/v23.06/main\n'),
    { message: /mixing different distributions/ },
  );
  const { repository } = await detect({ 'etc/apk/repositories': 'https://mirror.example/alpine/v3.19/main\n' });
  assert.deepEqual(repository, { Family: 'alpine', Release: '3.19' });
});
