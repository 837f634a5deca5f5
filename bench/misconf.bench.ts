// Misconfiguration benchmark: every embedded check over a generated tree of 200 config files
// (100 Dockerfiles, 100 manifests holding a Deployment, a Service and a ConfigMap each): time and
// peak RSS of loading the checks and of the scan, each run in its own process, next to a baseline
// (read and parse the same files, no checks) measured the same way in the same run.
//   node_modules/.bin/node bench/misconf.bench.ts
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NO_SKIPS } from '../src/artifact/path-filter.ts';
import { silentLogger } from '../src/log/index.ts';
import {
  collectConfigFiles,
  embeddedChecks,
  loadChecks,
  parseDockerfile,
  parseKubernetesManifests,
  scanMisconfigurations,
} from '../src/misconf/index.ts';

const FILES_PER_KIND = 100;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const peakMb = () => (process.resourceUsage().maxRSS / 1024).toFixed(1);

function dockerfile(i: number): string {
  return [
    `# service ${i}`,
    `FROM golang:1.${20 + (i % 4)} AS build`,
    'WORKDIR /src',
    'COPY go.mod go.sum ./',
    'RUN go mod download',
    'COPY . .',
    `RUN CGO_ENABLED=0 go build -o /out/svc${i} ./cmd/svc`,
    '',
    i % 2 === 0 ? 'FROM debian:12' : 'FROM alpine:latest',
    i % 3 === 0 ? 'MAINTAINER team@example.com' : 'LABEL org.opencontainers.image.authors="team@example.com"',
    i % 2 === 0
      ? 'RUN apt-get update && \\\n    apt-get install -y ca-certificates curl && \\\n    rm -rf /var/lib/apt/lists/*'
      : 'RUN apk add --no-cache ca-certificates',
    `ENV SERVICE=svc${i} PORT=${8000 + i}`,
    `COPY --from=build /out/svc${i} /usr/local/bin/svc`,
    i % 5 === 0 ? 'EXPOSE 22 8080' : 'EXPOSE 8080',
    i % 4 === 0 ? 'USER root' : 'USER 10001',
    i % 2 === 0 ? 'HEALTHCHECK --interval=30s CMD ["/usr/local/bin/svc", "health"]' : '',
    'ENTRYPOINT ["/usr/local/bin/svc"]',
    '',
  ].join('\n');
}

function manifest(i: number): string {
  const hardened = i % 2 === 0;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc${i}
  namespace: ${hardened ? 'shop' : 'default'}
  labels: {app: svc${i}}
spec:
  replicas: ${1 + (i % 3)}
  selector:
    matchLabels: {app: svc${i}}
  template:
    metadata:
      labels: {app: svc${i}}
    spec:
      automountServiceAccountToken: ${!hardened}
      securityContext:
        runAsNonRoot: ${hardened}
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: app
          image: registry.example/shop/svc${i}:${hardened ? '1.4.2' : 'latest'}
          imagePullPolicy: ${hardened ? 'Always' : 'IfNotPresent'}
          ports:
            - containerPort: 8080
          securityContext:
            allowPrivilegeEscalation: ${!hardened}
            readOnlyRootFilesystem: ${hardened}
            privileged: ${i % 10 === 0}
            capabilities:
              drop: [ALL]
          resources:
            limits: {cpu: 500m, memory: 256Mi}
            requests: {cpu: 100m, memory: 128Mi}
          livenessProbe: {httpGet: {path: /healthz, port: 8080}}
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
        - name: sidecar
          image: registry.example/proxy:2.1@sha256:${'ab'.repeat(32)}
          args: ["--upstream=127.0.0.1:8080", "--port=9090"]
---
apiVersion: v1
kind: Service
metadata:
  name: svc${i}
  namespace: shop
spec:
  selector: {app: svc${i}}
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: svc${i}-config
  namespace: shop
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "a,b,c"
`;
}

function generateTree(dir: string): void {
  for (let i = 0; i < FILES_PER_KIND; i += 1) {
    const service = join(dir, 'services', `svc${i}`);
    mkdirSync(join(service, 'deploy'), { recursive: true });
    writeFileSync(join(service, 'Dockerfile'), dockerfile(i));
    writeFileSync(join(service, 'deploy', 'k8s.yaml'), manifest(i));
    writeFileSync(join(service, 'README.md'), `# svc${i}\n`);
  }
}

/** Child: read and parse every config file into Rego inputs; no checks. */
async function baseline(dir: string): Promise<void> {
  const start = process.hrtime.bigint();
  const files = await collectConfigFiles(dir, NO_SKIPS, silentLogger);
  let inputs = 0;
  for (const file of files) {
    const text = String(file.content);
    if (file.path.endsWith('Dockerfile')) {
      parseDockerfile(text, file.path);
      inputs += 1;
    } else {
      inputs += parseKubernetesManifests(text, file.path).length;
    }
  }
  process.stdout.write(JSON.stringify({ ms: ms(start), peakMb: peakMb(), files: files.length, inputs }));
}

/** Child: what `vigil config` does: load the embedded checks, collect, parse and check every file. */
async function vigil(dir: string): Promise<void> {
  let start = process.hrtime.bigint();
  const { checks } = await loadChecks({ bundle: embeddedChecks(), logger: silentLogger });
  const loadMs = ms(start);
  start = process.hrtime.bigint();
  const files = await collectConfigFiles(dir, NO_SKIPS, silentLogger);
  const results = scanMisconfigurations(files, { checks, logger: silentLogger });
  const scanMs = ms(start);
  const failures = results.reduce(
    (sum, r) => sum + (r.Misconfigurations ?? []).filter((m) => m.Status === 'FAIL').length,
    0,
  );
  process.stdout.write(
    JSON.stringify({
      loadMs,
      scanMs,
      peakMb: peakMb(),
      checks: checks.checks.length,
      results: results.length,
      failures,
    }),
  );
}

function child(mode: string, dir: string): Record<string, number | string> {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), mode, dir], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${mode} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, number | string>;
}

const [mode, dirArg] = process.argv.slice(2);
if (mode === 'baseline' && dirArg) await baseline(dirArg);
else if (mode === 'vigil' && dirArg) await vigil(dirArg);
else {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-misconf-'));
  try {
    generateTree(dir);
    const bases = [child('baseline', dir), child('baseline', dir), child('baseline', dir)];
    const base = bases.reduce((a, b) => (Number(a.ms) <= Number(b.ms) ? a : b));
    const runs = [child('vigil', dir), child('vigil', dir), child('vigil', dir)];
    const best = runs.reduce((a, b) => (Number(a.scanMs) <= Number(b.scanMs) ? a : b));
    const bytes = readFileSync(join(dir, 'services', 'svc1', 'deploy', 'k8s.yaml')).length;
    process.stdout.write(
      `tree: ${base.files} files (${FILES_PER_KIND} Dockerfiles, ${FILES_PER_KIND} manifests of ~${bytes} B), ${base.inputs} Rego inputs\n` +
        `baseline (collect + parse, no checks): ${Number(base.ms).toFixed(0)} ms (best of ${bases.length}), peak RSS ${base.peakMb} MB\n` +
        `vigil (${best.checks} embedded checks): load ${Number(best.loadMs).toFixed(0)} ms, scan ${Number(best.scanMs).toFixed(0)} ms ` +
        `(best of ${runs.length}; all: ${runs.map((r) => Number(r.scanMs).toFixed(0)).join(', ')} ms), ` +
        `peak RSS ${best.peakMb} MB, ${best.results} results, ${best.failures} failures\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
