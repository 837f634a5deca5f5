// VEX benchmark: load the real VEX Hub data (59 documents, 15,304 statements) as a repository
// and filter a report of 1,000 findings with it: time and peak RSS, each phase in its own process,
// next to a baseline (read + JSON.parse of the same documents) measured the same way in the same run.
//   node_modules/.bin/node bench/vex.bench.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../src/log/index.ts';
import { applyVex, openLocalRepository, type VexFinding } from '../src/vex/index.ts';

const HUB = fileURLToPath(new URL('../test/fixtures/vex/vexhub', import.meta.url));
const FINDINGS = 1000;
const COVERED = 600;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const peakMb = () => (process.resourceUsage().maxRSS / 1024).toFixed(1);

function documentPaths(): string[] {
  return readdirSync(join(HUB, 'pkg'), { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.json') && !path.endsWith('manifest.json'))
    .map((path) => join(HUB, 'pkg', path));
}

/** Child: read and parse every document, nothing else. */
function baseline(): void {
  const start = process.hrtime.bigint();
  const documents = documentPaths().map((path) => JSON.parse(readFileSync(path, 'utf8')));
  const statements = documents.reduce((sum, doc) => sum + doc.statements.length, 0);
  process.stdout.write(JSON.stringify({ ms: ms(start), peakMb: peakMb(), statements, documents: documents.length }));
}

/** Child: what a scan does: open the repository, filter the report (documents load on first use), then again warm. */
function vigil(findingsFile: string, repositoryDir: string): void {
  const findings = JSON.parse(readFileSync(findingsFile, 'utf8')) as VexFinding[];
  let start = process.hrtime.bigint();
  const repository = openLocalRepository(repositoryDir, { name: 'hub', url: 'local', logger: silentLogger });
  const cold = applyVex(findings, [repository]);
  const coldMs = ms(start);
  start = process.hrtime.bigint();
  const loaded = repository.loadAll();
  const restMs = ms(start);
  start = process.hrtime.bigint();
  const rounds = 10;
  for (let i = 0; i < rounds; i++) applyVex(findings, [repository]);
  const warmMs = ms(start) / rounds;
  process.stdout.write(
    JSON.stringify({
      coldMs,
      restMs,
      warmMs,
      documents: loaded.length,
      suppressed: cold.suppressed.length,
      kept: cold.kept.length,
      peakMb: peakMb(),
    }),
  );
}

function child(args: string[]): Record<string, number> {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`bench child failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, number>;
}

/** A deterministic report: 600 findings a statement covers (a Go module's dependency), 400 unknown CVEs. */
function makeFindings(): VexFinding[] {
  const covered: Array<{ vuln: string; product: string; sub: string }> = [];
  for (const path of documentPaths()) {
    for (const statement of JSON.parse(readFileSync(path, 'utf8')).statements) {
      const product = statement.products?.[0];
      const sub = product?.subcomponents?.[0]?.['@id'];
      if (product?.['@id']?.startsWith('pkg:golang/') && sub) {
        covered.push({ vuln: statement.vulnerability.name, product: product['@id'], sub });
      }
    }
  }
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return Array.from({ length: FINDINGS }, (_, i) => {
    const pick = covered[Math.floor(random() * covered.length)] as (typeof covered)[number];
    const version = (purl: string) => (purl.includes('@') ? purl : `${purl}@v1.0.${i % 7}`);
    return {
      VulnerabilityID: i < COVERED ? pick.vuln : `CVE-2099-${10_000 + i}`,
      PURL: version(pick.sub),
      Parents: [{ PURL: version(pick.product) }],
    };
  });
}

const [phase, ...rest] = process.argv.slice(2);
if (phase === '--baseline') baseline();
else if (phase === '--vigil') vigil(rest[0] as string, rest[1] as string);
else {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-vex-'));
  try {
    symlinkSync(HUB, join(dir, 'repository-0.1'));
    const repositoryDir = join(dir, 'hub');
    spawnSync('mkdir', ['-p', repositoryDir]);
    symlinkSync(HUB, join(repositoryDir, '0.1'));
    const findingsFile = join(dir, 'findings.json');
    writeFileSync(findingsFile, JSON.stringify(makeFindings()));
    const base = child(['--baseline']);
    const run = child(['--vigil', findingsFile, repositoryDir]);
    if (run.suppressed !== COVERED) throw new Error(`expected ${COVERED} suppressed findings, got ${run.suppressed}`);
    process.stdout.write(
      [
        `VEX Hub data: ${base.documents} documents, ${base.statements} statements; report of ${FINDINGS} findings`,
        `baseline, read + JSON.parse every document:        ${base.ms?.toFixed(0)} ms, peak RSS ${base.peakMb} MB`,
        `open repository + filter ${FINDINGS} findings (cold):   ${run.coldMs?.toFixed(0)} ms (${run.suppressed} suppressed, ${run.kept} kept)`,
        `load the remaining documents (all ${run.documents}):       ${run.restMs?.toFixed(0)} ms`,
        `filter ${FINDINGS} findings again (warm):             ${run.warmMs?.toFixed(1)} ms`,
        `peak RSS of the VEX process:                      ${run.peakMb} MB`,
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
