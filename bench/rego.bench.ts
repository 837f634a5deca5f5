// Rego engine benchmark: 40 checks written like trivy-checks (15 Dockerfile, 25 Kubernetes, two
// shared libraries, METADATA, result.new, sh.parse_commands, regex, sprintf) evaluated against
// 200 inputs (100 Dockerfiles, 100 manifests). Reports parse+compile time, evaluation time with
// one context per check and input and with one session per input, and peak RSS, next to a
// baseline measured in the same run: the same inputs converted and walked in plain JavaScript.
//   node_modules/.bin/node bench/rego.bench.ts
import { fromJS, Policy, toJS, type Value } from '../src/rego/index.ts';

/** A deterministic pseudo-random sequence, so every run measures the same work. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

const LIB_DOCKER = `# METADATA
# custom:
#   library: true
package lib.docker
import rego.v1
instructions(kind) := [c | some s in input.Stages; some c in s.Commands; c.Cmd == kind]
from contains c if { some c in instructions("from") }
run contains c if { some c in instructions("run") }
run_commands contains [c, parts] if {
  some c in run
  some parts in sh.parse_commands(concat(" ", c.Value))
}
`;

const LIB_K8S = `# METADATA
# custom:
#   library: true
package lib.k8s
import rego.v1
kind := input.kind
name := input.metadata.name
default namespace := "default"
namespace := input.metadata.namespace
pods contains input if kind == "Pod"
pods contains input.spec.template if kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}
containers contains c if {
  some pod in pods
  some key in ["containers", "initContainers"]
  some c in pod.spec[key]
}
message(c, what) := sprintf("Container '%s' of %s '%s' %s", [c.name, kind, name, what])
`;

interface CheckSpec {
  readonly id: string;
  readonly body: string;
}

const DOCKER_CHECKS: CheckSpec[] = [
  {
    id: 'latest',
    body: 'some c in docker.from\n  endswith(c.Value[0], ":latest")\n  msg := sprintf("image %s uses latest", [c.Value[0]])\n  cause := c',
  },
  {
    id: 'root',
    body: 'some c in docker.instructions("user")\n  c.Value[0] in {"root", "0"}\n  msg := "runs as root"\n  cause := c',
  },
  {
    id: 'sudo',
    body: 'some [c, parts] in docker.run_commands\n  parts[0] == "sudo"\n  msg := "uses sudo"\n  cause := c',
  },
  {
    id: 'apt_yes',
    body: 'some [c, parts] in docker.run_commands\n  parts[0] == "apt-get"\n  "install" in parts\n  not "-y" in parts\n  msg := "apt-get install without -y"\n  cause := c',
  },
  {
    id: 'add',
    body: 'some c in docker.instructions("add")\n  not regex.match(`\\\\.(tar|gz|tgz)$`, c.Value[0])\n  msg := "use COPY"\n  cause := c',
  },
  {
    id: 'port22',
    body: 'some c in docker.instructions("expose")\n  some p in c.Value\n  startswith(p, "22")\n  msg := "exposes ssh"\n  cause := c',
  },
  {
    id: 'curl_bash',
    body: 'some c in docker.run\n  sh.has_pipes(c.Value[0])\n  regex.match(`curl.*\\\\|\\\\s*(ba)?sh`, c.Value[0])\n  msg := "pipes curl into a shell"\n  cause := c',
  },
  {
    id: 'healthcheck',
    body: 'count(docker.instructions("healthcheck")) == 0\n  msg := "no HEALTHCHECK"\n  cause := {}',
  },
  {
    id: 'multi_cmd',
    body: 'cmds := docker.instructions("cmd")\n  count(cmds) > 1\n  msg := sprintf("%d CMD instructions", [count(cmds)])\n  cause := cmds[1]',
  },
  {
    id: 'secrets',
    body: 'some c in docker.instructions("env")\n  squealer.scan_string(concat("=", c.Value)).transgressionFound\n  msg := "secret in ENV"\n  cause := c',
  },
  {
    id: 'workdir',
    body: 'some c in docker.instructions("workdir")\n  not startswith(c.Value[0], "/")\n  msg := "relative WORKDIR"\n  cause := c',
  },
  {
    id: 'maintainer',
    body: 'some c in docker.instructions("maintainer")\n  msg := "MAINTAINER is deprecated"\n  cause := c',
  },
  {
    id: 'apk_cache',
    body: 'some [c, parts] in docker.run_commands\n  parts[0] == "apk"\n  "add" in parts\n  not "--no-cache" in parts\n  msg := "apk add without --no-cache"\n  cause := c',
  },
  {
    id: 'pip_cache',
    body: 'some [c, parts] in docker.run_commands\n  parts[0] in {"pip", "pip3"}\n  not "--no-cache-dir" in parts\n  msg := "pip without --no-cache-dir"\n  cause := c',
  },
  {
    id: 'yum_clean',
    body: 'some [c, parts] in docker.run_commands\n  parts[0] == "yum"\n  "install" in parts\n  not any_clean\n  msg := "yum without clean all"\n  cause := c',
  },
];

const K8S_FIELDS: Array<[string, string]> = [
  ['privileged', 'c.securityContext.privileged == true'],
  ['non_root', 'not c.securityContext.runAsNonRoot'],
  ['read_only_fs', 'not c.securityContext.readOnlyRootFilesystem'],
  ['priv_escalation', 'not c.securityContext.allowPrivilegeEscalation == false'],
  ['drop_all', 'not "ALL" in object.get(c, ["securityContext", "capabilities", "drop"], [])'],
  ['sys_admin', '"SYS_ADMIN" in object.get(c, ["securityContext", "capabilities", "add"], [])'],
  ['latest_tag', 'endswith(c.image, ":latest")'],
  ['no_tag', 'not contains(c.image, ":")'],
  ['cpu_limit', 'not c.resources.limits.cpu'],
  ['mem_limit', 'not c.resources.limits.memory'],
  ['cpu_request', 'not c.resources.requests.cpu'],
  ['mem_request', 'not c.resources.requests.memory'],
  ['liveness', 'not c.livenessProbe'],
  ['readiness', 'not c.readinessProbe'],
  ['host_port', 'some p in c.ports; p.hostPort'],
  ['pull_policy', 'c.imagePullPolicy != "Always"'],
  ['uid', 'c.securityContext.runAsUser < 10000'],
  ['seccomp', 'not c.securityContext.seccompProfile.type in {"RuntimeDefault", "Localhost"}'],
  ['registry', 'not regex.match(`^(ghcr\\\\.io|registry\\\\.example\\\\.com)/`, c.image)'],
  ['env_secret', 'some e in c.env; regex.match(`(?i)(password|token|secret)`, e.name); e.value'],
];

const K8S_POD_FIELDS: Array<[string, string]> = [
  ['host_network', 'some pod in k8s.pods; pod.spec.hostNetwork == true'],
  ['host_pid', 'some pod in k8s.pods; pod.spec.hostPID == true'],
  ['host_ipc', 'some pod in k8s.pods; pod.spec.hostIPC == true'],
  ['host_path', 'some pod in k8s.pods; some v in pod.spec.volumes; v.hostPath'],
  ['default_ns', 'k8s.namespace == "default"'],
];

function checkModule(kind: 'dockerfile' | 'kubernetes', id: string, body: string, index: number): string {
  const lib = kind === 'dockerfile' ? 'docker' : 'k8s';
  const extra =
    id === 'yum_clean' ? '\nany_clean if { some [_, p] in docker.run_commands; p[0] == "yum"; "clean" in p }\n' : '';
  return `# METADATA
# title: Bench check ${id}
# description: A benchmark check.
# scope: package
# custom:
#   id: BENCH-${index}
#   severity: MEDIUM
#   input:
#     selector:
#     - type: ${kind}
package builtin.bench.${kind}.${id}
import rego.v1
import data.lib.${lib}
${extra}
deny contains res if {
  ${body}
  res := result.new(msg, cause)
}
`;
}

function sources(): Array<{ file: string; source: string }> {
  const out = [
    { file: 'lib/docker.rego', source: LIB_DOCKER },
    { file: 'lib/k8s.rego', source: LIB_K8S },
  ];
  DOCKER_CHECKS.forEach((c, i) => {
    out.push({ file: `docker/${c.id}.rego`, source: checkModule('dockerfile', c.id, c.body, i) });
  });
  K8S_FIELDS.forEach(([id, cond], i) => {
    const body = `some c in k8s.containers\n  ${cond.replace(/; /g, '\n  ')}\n  msg := k8s.message(c, "${id}")\n  cause := c`;
    out.push({ file: `k8s/${id}.rego`, source: checkModule('kubernetes', id, body, 100 + i) });
  });
  K8S_POD_FIELDS.forEach(([id, cond], i) => {
    const body = `${cond.replace(/; /g, '\n  ')}\n  msg := sprintf("%s '%s' ${id}", [k8s.kind, k8s.name])\n  cause := input`;
    out.push({ file: `k8s/${id}.rego`, source: checkModule('kubernetes', id, body, 200 + i) });
  });
  return out;
}

const RUNS = [
  'apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*',
  'apk add python3 py3-pip && pip3 install --upgrade pip',
  'curl -fsSL https://example.com/install.sh | bash',
  'sudo yum install -y httpd',
  'set -eux; groupadd -r app; useradd -r -g app app',
  'pip install -r requirements.txt',
  'make -j4 && make install && cd / && rm -rf /src',
];

function dockerfile(rnd: () => number, n: number): unknown {
  const commands: unknown[] = [];
  let line = 1;
  const add = (Cmd: string, Value: string[]) => {
    commands.push({
      Cmd,
      Value,
      Flags: [],
      Original: `${Cmd.toUpperCase()} ${Value.join(' ')}`,
      JSON: false,
      Stage: 0,
      Path: `df${n}/Dockerfile`,
      StartLine: line,
      EndLine: line,
      SubCmd: '',
    });
    line++;
  };
  add('from', [rnd() < 0.3 ? 'debian:latest' : 'debian:12']);
  if (rnd() < 0.3) add('maintainer', ['someone@example.com']);
  add('workdir', [rnd() < 0.2 ? 'app' : '/app']);
  for (let i = 0; i < 3 + Math.floor(rnd() * 6); i++) add('run', [RUNS[Math.floor(rnd() * RUNS.length)] as string]);
  add('env', rnd() < 0.2 ? ['DATABASE_PASSWORD', '"hunter2hunter2"'] : ['LANG', 'C.UTF-8']);
  add('copy', ['.', '/app']);
  if (rnd() < 0.3) add('add', ['app.zip', '/app/']);
  add('expose', [rnd() < 0.2 ? '22' : '8080']);
  if (rnd() < 0.5) add('healthcheck', ['CMD', 'curl', '-f', 'http://localhost/']);
  add('user', [rnd() < 0.3 ? 'root' : 'app']);
  add('cmd', ['python3', 'app.py']);
  if (rnd() < 0.2) add('cmd', ['sh']);
  return { Stages: [{ Name: 'debian', Commands: commands }] };
}

function manifest(rnd: () => number, n: number): unknown {
  const meta = (line: number) => ({ startline: line, endline: line + 3, filepath: `k8s/m${n}.yaml`, offset: 0 });
  const containers = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, i) => ({
    name: `c${i}`,
    image: rnd() < 0.3 ? 'nginx:latest' : rnd() < 0.5 ? 'ghcr.io/acme/app:1.2' : 'busybox',
    imagePullPolicy: rnd() < 0.5 ? 'Always' : 'IfNotPresent',
    ports: [{ containerPort: 8080, ...(rnd() < 0.2 ? { hostPort: 80 } : {}) }],
    env: [{ name: rnd() < 0.3 ? 'DB_PASSWORD' : 'LOG_LEVEL', value: 'x' }],
    resources: rnd() < 0.5 ? { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } } : {},
    securityContext: {
      privileged: rnd() < 0.2,
      runAsNonRoot: rnd() < 0.5,
      runAsUser: Math.floor(rnd() * 20000),
      readOnlyRootFilesystem: rnd() < 0.5,
      allowPrivilegeEscalation: rnd() < 0.3,
      capabilities: { drop: rnd() < 0.5 ? ['ALL'] : [], add: rnd() < 0.2 ? ['SYS_ADMIN'] : [] },
    },
    __defsec_metadata: meta(20 + i * 30),
  }));
  const podSpec = {
    hostNetwork: rnd() < 0.2,
    hostPID: rnd() < 0.1,
    containers,
    volumes: rnd() < 0.3 ? [{ name: 'h', hostPath: { path: '/var/run' } }] : [],
    __defsec_metadata: meta(10),
  };
  const deployment = rnd() < 0.7;
  return {
    apiVersion: deployment ? 'apps/v1' : 'v1',
    kind: deployment ? 'Deployment' : 'Pod',
    metadata: { name: `app-${n}`, ...(rnd() < 0.5 ? { namespace: 'prod' } : {}), __defsec_metadata: meta(2) },
    spec: deployment ? { replicas: 2, template: { metadata: { labels: { app: 'x' } }, spec: podSpec } } : podSpec,
    __defsec_metadata: meta(1),
  };
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

const rnd = random(7);
const inputs = [
  ...Array.from({ length: 100 }, (_, n) => ({ kind: 'dockerfile', doc: dockerfile(rnd, n) })),
  ...Array.from({ length: 100 }, (_, n) => ({ kind: 'kubernetes', doc: manifest(rnd, n) })),
];

// Baseline: convert every input to Rego values and walk it once in plain JavaScript.
let t0 = performance.now();
let nodes = 0;
const walk = (v: unknown): void => {
  nodes++;
  if (Array.isArray(v)) for (const x of v) walk(x);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) walk(x);
};
for (const input of inputs) walk(toJS(fromJS(input.doc)));
const baselineMs = performance.now() - t0;

const src = sources();
t0 = performance.now();
const policy = Policy.fromSources(src);
const compileMs = performance.now() - t0;

const checks = src
  .filter((s) => !s.file.startsWith('lib/'))
  .map((s) => ({
    kind: s.file.startsWith('docker/') ? 'dockerfile' : 'kubernetes',
    pkg: /package (\S+)/.exec(s.source)?.[1]?.split('.') ?? [],
  }));
const values: Array<{ kind: string; value: Value }> = inputs.map((i) => ({ kind: i.kind, value: fromJS(i.doc) }));

function evaluate(shared: boolean): { ms: number; evaluations: number; findings: number } {
  const start = performance.now();
  let evaluations = 0;
  let findings = 0;
  for (const input of values) {
    const session = shared ? policy.session({ input: input.value }) : undefined;
    for (const check of checks) {
      if (check.kind !== input.kind) continue;
      const path = [...check.pkg, 'deny'];
      const result = session ? session.evalPath(path) : policy.evalPath(path, { input: input.value });
      evaluations++;
      findings += (toJS(result ?? []) as unknown[]).length;
    }
  }
  return { ms: performance.now() - start, evaluations, findings };
}

evaluate(true); // warm-up
const separate = evaluate(false);
const shared = evaluate(true);
const rss = process.resourceUsage().maxRSS * 1024;

process.stdout.write(
  `inputs: 100 Dockerfiles + 100 manifests (${nodes} JSON nodes); checks: ${DOCKER_CHECKS.length} Dockerfile + ${K8S_FIELDS.length + K8S_POD_FIELDS.length} Kubernetes\n` +
    `baseline (convert and walk every input in plain JS): ${baselineMs.toFixed(1)} ms\n` +
    `parse + compile ${src.length} modules: ${compileMs.toFixed(1)} ms\n` +
    `evaluate, one context per check and input: ${separate.ms.toFixed(0)} ms for ${separate.evaluations} check×input (${((separate.ms * 1000) / separate.evaluations).toFixed(0)} µs each), ${separate.findings} findings\n` +
    `evaluate, one session per input:           ${shared.ms.toFixed(0)} ms (${((shared.ms * 1000) / shared.evaluations).toFixed(0)} µs each), ${shared.findings} findings\n` +
    `peak RSS: ${mb(rss)}\n`,
);
if (separate.findings !== shared.findings) {
  process.stderr.write('sessions changed the findings\n');
  process.exitCode = 1;
}
