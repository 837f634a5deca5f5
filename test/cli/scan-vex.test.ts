import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../helpers/http-server.ts';
import { runVigil } from '../helpers/run-vigil.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { seedVulnDb } from '../helpers/vuln-db.ts';

const project = fileURLToPath(new URL('../fixtures/projects/npm-jquery', import.meta.url));

const openVex = {
  '@context': 'https://openvex.dev/ns/v0.2.0',
  '@id': 'https://vex.example/docs/lodash-1',
  author: 'Security Team',
  timestamp: '2026-01-10T10:00:00Z',
  version: 1,
  statements: [
    {
      vulnerability: { name: 'CVE-2019-10744' },
      products: [{ '@id': 'pkg:npm/lodash' }],
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
    },
  ],
};

interface Finding {
  VulnerabilityID: string;
  PkgName: string;
}
interface Report {
  Results: Array<{
    Vulnerabilities?: Finding[];
    ModifiedFindings?: Array<{ Status: string; Statement?: string; Source: string; Finding: Finding }>;
  }>;
  Vigil?: { VEX?: Array<{ name: string; status: string; reason?: string }> };
}

describe('scans with VEX', () => {
  const dir = tempDir();
  const cache = join(dir, 'cache');
  const site = join(dir, 'site');
  const home = join(dir, 'home');
  const documents = join(dir, 'documents');
  let url = '';
  let server: Awaited<ReturnType<typeof startStaticServer>> | undefined;
  // Registered here, not inside before(): a hook's own after() would run as soon as the hook ends.
  after(() => server?.close());
  before(async () => {
    await seedVulnDb(cache);
    mkdirSync(documents, { recursive: true });
    writeFileSync(join(documents, 'lodash.openvex.json'), JSON.stringify(openVex));
    server = await startStaticServer({ root: site });
    url = server.url;
    const build = await runVigil(['vex', 'repo', 'build', documents, '--out', site, '--base-url', url]);
    assert.equal(build.status, 0, build.stderr);
    mkdirSync(join(home, 'vex'), { recursive: true });
    writeFileSync(join(home, 'vex', 'repository.yaml'), `repositories:\n  - name: corp\n    url: ${url}\n`);
  });

  const scan = async (args: string[]) => {
    const run = await runVigil(['fs', project, '--cache-dir', cache, '--skip-db-update', '-f', 'json', ...args], {
      env: { VIGIL_HOME: home },
    });
    assert.equal(run.status, 0, run.stderr);
    return { report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
  };

  it('suppresses findings from a self-hosted repository built with vex repo build, and shows why', async () => {
    const { report } = await scan(['--vex', 'repo', '--show-suppressed']);
    const [result] = report.Results;
    assert.deepEqual(
      (result?.Vulnerabilities ?? []).map((v) => v.VulnerabilityID),
      ['CVE-2019-11358'],
    );
    const [suppressed] = result?.ModifiedFindings ?? [];
    assert.equal(suppressed?.Finding.VulnerabilityID, 'CVE-2019-10744');
    assert.equal(suppressed?.Status, 'not_affected');
    assert.match(String(suppressed?.Statement), /vulnerable_code_not_in_execute_path/);
    assert.match(suppressed?.Source ?? '', /corp/);
    assert.deepEqual(
      report.Vigil?.VEX?.map((source) => [source.name, source.status]),
      [['repository corp', 'applied']],
    );
  });

  it('hides the suppressed list without --show-suppressed, and applies VEX files too', async () => {
    const file = join(dir, 'local.openvex.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...openVex,
        statements: [
          {
            ...openVex.statements[0],
            vulnerability: { name: 'CVE-2019-11358' },
            products: [{ '@id': 'pkg:npm/jquery' }],
          },
        ],
      }),
    );
    const { report } = await scan(['--vex', file, '--skip-vex-repo-update']);
    const [result] = report.Results;
    assert.deepEqual(
      (result?.Vulnerabilities ?? []).map((v) => v.VulnerabilityID),
      ['CVE-2019-10744'],
    );
    assert.equal(result?.ModifiedFindings, undefined);
  });

  it('says so in the report and the log when a VEX source is unavailable, never silently', async () => {
    // A cache with the vulnerability DB but no downloaded VEX repository, and no network allowed.
    const offlineCache = join(dir, 'offline-cache');
    await seedVulnDb(offlineCache);
    const { report, stderr } = await scan(['--vex', 'repo', '--offline', '--cache-dir', offlineCache]);
    assert.equal(report.Vigil?.VEX?.[0]?.status, 'unavailable');
    assert.match(stderr, /VEX source repository corp was not applied/);
    assert.equal(report.Results[0]?.Vulnerabilities?.length, 2);
  });
});
