// Jar analyzer benchmark: a directory of 200 generated Java archives (plain libraries with
// pom.properties, manifest-only jars, bare jars found by SHA-1 or file name, and fat jars/wars
// with nested jars) analyzed against a 100,000-row Java DB; time and peak RSS, next to a
// baseline that reads the same bytes in the same run.
//   node_modules/.bin/node bench/jar.bench.ts
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';
import { createJarAnalyzer } from '../src/analyzer/lang/java/index.ts';
import type { CollectedFiles } from '../src/analyzer/types.ts';
import { openJavaDb } from '../src/db/javadb/index.ts';

const DIR = join(tmpdir(), 'vigil-bench-jar-v1');
const JARS = join(DIR, 'jars');
const DB = join(DIR, 'trivy-java.db');
const DB_ROWS = 100_000;

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

/** A minimal zip writer (deflate, or store for nested archives as build tools do). */
function zip(members: [string, Buffer][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, body] of members) {
    const store = name.endsWith('.jar');
    const data = store ? body : deflateRawSync(body);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(store ? 0 : 8, 8);
    local.writeUInt32LE(crc32(body), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(body.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(store ? 0 : 8, 10);
    central.writeUInt32LE(crc32(body), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(body.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Class-file-like filler: compressible, like real bytecode (about 3:1). */
function classes(rand: () => number, count: number, prefix: string): [string, Buffer][] {
  const words = ['java/lang/Object', 'java/lang/String', 'Code', 'LineNumberTable', 'StackMapTable', '<init>', 'this'];
  return Array.from({ length: count }, (_, i) => {
    const parts: string[] = [];
    for (let n = 0; n < 200 + Math.floor(rand() * 600); n++) {
      parts.push(words[Math.floor(rand() * words.length)] ?? '', Math.floor(rand() * 65536).toString(36));
    }
    return [`${prefix}/C${i}.class`, Buffer.from(parts.join('\u0001'))] as [string, Buffer];
  });
}

const manifest = (lines: string[]) =>
  Buffer.from(`Manifest-Version: 1.0\r\n${lines.map((l) => `${l}\r\n`).join('')}\r\n`);
const pomProperties = (g: string, a: string, v: string) => Buffer.from(`groupId=${g}\nartifactId=${a}\nversion=${v}\n`);

function library(rand: () => number, n: number, withPom: boolean): { name: string; data: Buffer; sha1: string } {
  const artifact = `lib${n}`;
  const version = `${1 + (n % 5)}.${n % 17}.${n % 3}`;
  const members: [string, Buffer][] = [
    [
      'META-INF/MANIFEST.MF',
      manifest([
        `Implementation-Title: ${artifact}`,
        `Implementation-Version: ${version}`,
        `Implementation-Vendor-Id: org.bench${n % 20}`,
      ]),
    ],
  ];
  if (withPom)
    members.push([
      `META-INF/maven/org.bench${n % 20}/${artifact}/pom.properties`,
      pomProperties(`org.bench${n % 20}`, artifact, version),
    ]);
  members.push(...classes(rand, 20 + Math.floor(rand() * 60), `org/bench/${artifact}`));
  const data = zip(members);
  return { name: `${artifact}-${version}.jar`, data, sha1: createHash('sha1').update(data).digest('hex') };
}

function generate(): void {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(JARS, { recursive: true });
  const rand = random(42);
  const known: { groupId: string; artifactId: string; version: string; sha1: string }[] = [];
  let written = 0;
  // 120 libraries with pom.properties, 40 with a manifest only (checked in the DB), 20 bare
  // (found by SHA-1 or file name), and 20 fat jars / wars with 4-12 nested libraries each.
  for (let n = 0; n < 200; n++) {
    let file: { name: string; data: Buffer };
    if (n < 120) {
      file = library(rand, n, true);
    } else if (n < 160) {
      file = library(rand, n, false);
      known.push({
        groupId: `org.bench${n % 20}`,
        artifactId: `lib${n}`,
        version: '1.0',
        sha1: createHash('sha1').update(`x${n}`).digest('hex'),
      });
    } else if (n < 180) {
      const members = classes(rand, 30, `bare/b${n}`);
      const data = zip(members);
      file = { name: `bare${n}-2.${n}.jar`, data };
      known.push({
        groupId: `com.bare${n}`,
        artifactId: `bare${n}`,
        version: `2.${n}`,
        sha1: createHash('sha1').update(data).digest('hex'),
      });
    } else {
      const nested = Array.from({ length: 4 + Math.floor(rand() * 9) }, (_, i) =>
        library(rand, 1000 + n * 20 + i, true),
      );
      const members: [string, Buffer][] = [
        ['META-INF/MANIFEST.MF', manifest(['Main-Class: org.bench.Main'])],
        [`META-INF/maven/org.fat/fat${n}/pom.properties`, pomProperties('org.fat', `fat${n}`, '3.0')],
        ...classes(rand, 20, `org/fat${n}`),
        ...nested.map((lib): [string, Buffer] => [
          `${n % 2 === 0 ? 'BOOT-INF/lib' : 'WEB-INF/lib'}/${lib.name}`,
          lib.data,
        ]),
      ];
      file = { name: n % 2 === 0 ? `fat${n}-3.0.jar` : `app${n}.war`, data: zip(members) };
    }
    writeFileSync(join(JARS, file.name), file.data);
    written += file.data.length;
  }
  // A Java DB with the schema of trivy-java-db and 100,000 rows, the ones above among them.
  const partial = `${DB}.partial`;
  const db = new DatabaseSync(partial);
  db.exec(`CREATE TABLE artifacts(id INTEGER PRIMARY KEY, group_id TEXT, artifact_id TEXT);
    CREATE TABLE indices(artifact_id INTEGER, version TEXT, sha1 BLOB, archive_type TEXT);
    CREATE UNIQUE INDEX artifacts_idx ON artifacts(artifact_id, group_id);
    CREATE INDEX indices_artifact_idx ON indices(artifact_id);
    CREATE UNIQUE INDEX indices_sha1_idx ON indices(sha1);`);
  const artifact = db.prepare('INSERT OR IGNORE INTO artifacts(group_id, artifact_id) VALUES (?, ?)');
  const index = db.prepare(`INSERT OR IGNORE INTO indices(artifact_id, version, sha1, archive_type)
    VALUES ((SELECT id FROM artifacts WHERE group_id=? AND artifact_id=?), ?, ?, 'jar')`);
  db.exec('BEGIN');
  const rows = [
    ...known,
    ...Array.from({ length: DB_ROWS - known.length }, (_, i) => ({
      groupId: `org.filler${i % 3000}`,
      artifactId: `artifact${i % 20_000}`,
      version: `${i % 7}.${i % 13}`,
      sha1: createHash('sha1').update(`filler${i}`).digest('hex'),
    })),
  ];
  for (const row of rows) {
    artifact.run(row.groupId, row.artifactId);
    index.run(row.groupId, row.artifactId, row.version, Buffer.from(row.sha1, 'hex'));
  }
  db.exec('COMMIT');
  db.close();
  renameSync(partial, DB);
  process.stdout.write(
    `generated ${readdirSync(JARS).length} archives, ${(written / 2 ** 20).toFixed(1)} MiB; Java DB ${(statSync(DB).size / 2 ** 20).toFixed(1)} MiB, ${DB_ROWS} rows\n`,
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function measure(): Promise<void> {
  const startRss = process.memoryUsage().rss / 2 ** 20;
  const paths = readdirSync(JARS).sort();
  const bytes = paths.reduce((sum, p) => sum + statSync(join(JARS, p)).size, 0);
  const files: CollectedFiles = {
    paths: () => paths,
    read: async (path) => readFileSync(join(JARS, path)),
    info: (path) => ({ size: statSync(join(JARS, path)).size, mode: 0o100644 }),
  };
  // Baseline: read the same bytes, file by file, as the analyzer's input does.
  const baselineTimes: number[] = [];
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    let total = 0;
    for (const path of paths) total += (await files.read(path)).length;
    baselineTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (total !== bytes) throw new Error('baseline read a different size');
  }
  const times: number[] = [];
  let packages = 0;
  let warnings = 0;
  for (let round = 0; round < 5; round++) {
    const db = openJavaDb(DB);
    const analyzer = createJarAnalyzer({ javaDb: async () => db });
    const start = process.hrtime.bigint();
    const result = await analyzer.analyze(files, { scanKind: 'image', includeDevDeps: false });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    packages = (result.Applications ?? []).reduce((sum, app) => sum + app.Packages.length, 0);
    warnings = result.Warnings?.length ?? 0;
    db.close();
  }
  const rss = process.resourceUsage().maxRSS / 1024;
  const out = [
    `input: ${paths.length} archives, ${(bytes / 2 ** 20).toFixed(1)} MiB; ${packages} packages found, ${warnings} warnings`,
    `jar analyzer (median of 5):      ${median(times).toFixed(0)} ms  (${((bytes / 2 ** 20 / median(times)) * 1000).toFixed(0)} MiB/s)`,
    `baseline, read the same bytes:   ${median(baselineTimes).toFixed(0)} ms`,
    `peak RSS: ${rss.toFixed(0)} MiB  (includes ${startRss.toFixed(0)} MiB for Node with TypeScript stripping and the loaded modules)`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

if (process.argv[2] === '--generate') {
  generate();
} else {
  if (!existsSync(DB)) {
    // Generated in a child process so its memory does not count in this one's peak RSS.
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--generate'], { stdio: 'inherit' });
    if (child.status !== 0) process.exit(1);
  }
  await measure();
}
