import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createLogger, type Logger, silentLogger } from '../../src/log/index.ts';
import type { RegoFile } from '../../src/misconf/check-files.ts';
import { collectRegoFiles } from '../../src/misconf/check-files.ts';
import { buildCheckSet } from '../../src/misconf/check-set.ts';
import { loadConfigData } from '../../src/misconf/config-data.ts';
import { filterMisconfigurations } from '../../src/misconf/filter.ts';
import { codeLines } from '../../src/misconf/results.ts';
import { scanMisconfigurations } from '../../src/misconf/scan.ts';
import type { DetectedMisconfiguration, Result } from '../../src/report/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const rego = (path: string, source: string, origin: RegoFile['origin'] = 'user'): RegoFile => ({
  path,
  source,
  origin,
});

function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }), lines };
}

const dockerfileCheck = (pkg: string, body: string, custom = '') => `# METADATA
# title: Test check ${pkg}
# description: Checks something about Dockerfiles.
# related_resources:
#   - https://docs.example/one
#   - ref: https://docs.example/two
#     description: second
#   - not-absolute
# custom:
#   id: T-${pkg.split('.').pop()}
#   severity: medium
#   recommended_actions: Fix it.${custom}
#   input:
#     selector:
#       - type: dockerfile
package ${pkg}

import rego.v1

${body}
`;

const DOCKERFILE = 'FROM alpine:3.20\nUSER root\nRUN echo hi\n';
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: x:1\n';
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n';

function scan(
  files: RegoFile[],
  inputs: Array<[string, string]>,
  options: { namespaces?: string[]; data?: Record<string, unknown>; logger?: Logger } = {},
): Result[] {
  const logger = options.logger ?? silentLogger;
  const checks = buildCheckSet(files, { namespaces: options.namespaces, data: options.data, logger });
  return scanMisconfigurations(
    inputs.map(([path, content]) => ({ path, content })),
    { checks, logger },
  );
}

const failures = (results: Result[]) =>
  results.flatMap((r) => (r.Misconfigurations ?? []).filter((m) => m.Status === 'FAIL'));

describe('check metadata', () => {
  it('reads METADATA annotations the way Trivy does', () => {
    const [result] = scan(
      [
        rego(
          '/c/a.rego',
          dockerfileCheck(
            'builtin.test.a',
            'deny contains "bad" if input.Stages',
            '\n#   aliases:\n#     - AVD-T-0001\n#     - t001',
          ),
        ),
      ],
      [['Dockerfile', DOCKERFILE]],
    );
    const [finding] = result?.Misconfigurations ?? [];
    assert.deepEqual(
      {
        ID: finding?.ID,
        AVDID: finding?.AVDID,
        Title: finding?.Title,
        Description: finding?.Description,
        Severity: finding?.Severity,
        Resolution: finding?.Resolution,
        Namespace: finding?.Namespace,
        Query: finding?.Query,
        Type: finding?.Type,
      },
      {
        ID: 'T-a',
        AVDID: 'AVD-T-0001',
        Title: 'Test check builtin.test.a',
        Description: 'Checks something about Dockerfiles.',
        Severity: 'MEDIUM',
        Resolution: 'Fix it.',
        Namespace: 'builtin.test.a',
        Query: 'data.builtin.test.a.deny',
        Type: 'Dockerfile Security Check',
      },
    );
    // Trivy links builtin checks that do not come with Vigil to its advisory pages.
    assert.equal(finding?.PrimaryURL, 'https://avd.aquasec.com/misconfig/t-a');
    assert.deepEqual(finding?.References, [
      'https://docs.example/one',
      'https://docs.example/two',
      'https://avd.aquasec.com/misconfig/t-a',
    ]);
    assert.deepEqual([finding?.CauseMetadata.Provider, finding?.CauseMetadata.Service], ['Dockerfile', 'general']);
  });

  it('reads __rego_metadata__ and __rego_input__ from checks without annotations', () => {
    const legacy = `package appshield.dockerfile.LEGACY
__rego_metadata__ := {"id": "DS999", "title": "Legacy", "severity": "low", "recommended_actions": "Do it", "url": "https://docs.example/legacy"}
__rego_input__ := {"selector": [{"type": "dockerfile"}]}
deny[msg] {
  input.Stages[_].Commands[_].Cmd == "user"
  msg := "has a USER"
}
`;
    const [result] = scan([rego('/c/legacy.rego', legacy)], [['Dockerfile', DOCKERFILE]]);
    const [finding] = result?.Misconfigurations ?? [];
    assert.equal(finding?.ID, 'DS999');
    assert.equal(finding?.Severity, 'LOW');
    assert.equal(finding?.Resolution, 'Do it');
    assert.equal(finding?.Message, 'has a USER');
    assert.deepEqual(finding?.References, ['https://docs.example/legacy', 'https://avd.aquasec.com/misconfig/ds999']);
  });

  it('uses N/A and UNKNOWN defaults, and Trivy severity fallbacks', () => {
    const bare = 'package builtin.test.bare\nimport rego.v1\ndeny contains "x" if input.Stages\n';
    const [result] = scan([rego('/c/bare.rego', bare)], [['Dockerfile', DOCKERFILE]]);
    const [finding] = result?.Misconfigurations ?? [];
    assert.equal(finding?.ID, 'N/A');
    assert.equal(finding?.Title, 'N/A');
    assert.equal(finding?.Description, 'Rego module: data.builtin.test.bare');
    assert.equal(finding?.Severity, 'UNKNOWN');
    const odd = dockerfileCheck('builtin.test.odd', 'deny contains "x" if input.Stages').replace(
      'severity: medium',
      'severity: urgent',
    );
    const [oddResult] = scan([rego('/c/odd.rego', odd)], [['Dockerfile', DOCKERFILE]]);
    assert.equal(oddResult?.Misconfigurations?.[0]?.Severity, 'CRITICAL');
  });
});

describe('which checks run', () => {
  const userCheck = dockerfileCheck('user.custom.c1', 'deny contains "custom" if input.Stages');
  const library = 'package lib.helpers\nimport rego.v1\ndeny contains "never evaluated" if true\n';

  it('evaluates builtin, defsec and appshield packages, and others only when named', () => {
    const files = [rego('/c/user.rego', userCheck), rego('/c/lib.rego', library)];
    assert.deepEqual(failures(scan(files, [['Dockerfile', DOCKERFILE]])), []);
    const withNamespace = failures(scan(files, [['Dockerfile', DOCKERFILE]], { namespaces: ['user'] }));
    assert.deepEqual(
      withNamespace.map((m) => [m.ID, m.Message, m.PrimaryURL]),
      [['T-c1', 'custom', 'https://docs.example/one']],
    );
  });

  it('matches selectors by source type and Kubernetes kind, case-insensitively', () => {
    const podOnly = `# METADATA
# title: pods only
# custom:
#   id: K-1
#   severity: HIGH
#   input:
#     selector:
#       - type: kubernetes
#         subtypes:
#           - kind: pod
package builtin.test.k1
import rego.v1
deny contains res if {
  input.kind == "Pod"
  res := result.new("pod found", input.spec.containers[0])
}
`;
    const files = [
      rego('/c/k1.rego', podOnly),
      rego('/c/a.rego', dockerfileCheck('builtin.test.a', 'deny contains "x" if input.Stages')),
    ];
    const onService = scan(files, [
      ['svc.yaml', SERVICE],
      ['Dockerfile', DOCKERFILE],
    ]);
    assert.deepEqual(
      onService.map((r) => [r.Target, r.Type, r.MisconfSummary]),
      [['Dockerfile', 'dockerfile', { Successes: 0, Failures: 1 }]],
      'no Pod anywhere: the Pod check does not run; the Dockerfile check never sees manifests',
    );
    const mixed = scan(files, [['all.yaml', `${POD}---\n${SERVICE}`]]);
    // As in Trivy, one matching input makes the check run on every input: the Service passes.
    assert.deepEqual(
      mixed.map((r) => [r.Target, r.MisconfSummary]),
      [['all.yaml', { Successes: 1, Failures: 1 }]],
    );
    const finding = failures(mixed)[0];
    assert.deepEqual([finding?.CauseMetadata.StartLine, finding?.CauseMetadata.EndLine], [7, 8]);
    assert.equal(finding?.CauseMetadata.Provider, 'Kubernetes');
  });

  it('evaluates deny and deny_* rules, not warn', () => {
    const body =
      'deny_one contains "one" if input.Stages\ndeny_two contains "two" if input.Stages\nwarn contains "w" if input.Stages\n';
    const found = failures(
      scan([rego('/c/m.rego', dockerfileCheck('builtin.test.m', body))], [['Dockerfile', DOCKERFILE]]),
    );
    assert.deepEqual(
      found.map((m) => [m.Message, m.Query]),
      [
        ['one', 'data.builtin.test.m.deny_one'],
        ['two', 'data.builtin.test.m.deny_two'],
      ],
    );
  });

  it('accepts Rego v0 syntax and plain v1 syntax', () => {
    const v0 = dockerfileCheck(
      'builtin.test.v0',
      'deny[msg] {\n  input.Stages[_].Commands[_].Cmd == "run"\n  msg := "v0"\n}',
    ).replace('import rego.v1\n', '');
    const v1 = dockerfileCheck(
      'builtin.test.v1',
      'deny contains "v1" if { some s in input.Stages; s.Name != "" }',
    ).replace('import rego.v1\n', '');
    const found = failures(scan([rego('/c/v0.rego', v0), rego('/c/v1.rego', v1)], [['Dockerfile', DOCKERFILE]]));
    assert.deepEqual(found.map((m) => m.Message).sort(), ['v0', 'v1']);
  });
});

describe('deny results', () => {
  const check = (body: string) => [rego('/c/r.rego', dockerfileCheck('builtin.test.r', body))];
  const messages = (body: string) =>
    failures(scan(check(body), [['Dockerfile', DOCKERFILE]])).map((m) => [
      m.Message,
      m.CauseMetadata.StartLine ?? 0,
      m.CauseMetadata.EndLine ?? 0,
    ]);

  it('converts strings, cause objects, arrays and other values as Trivy does', () => {
    assert.deepEqual(messages('deny contains "plain" if input.Stages'), [['plain', 0, 0]]);
    assert.deepEqual(
      messages(
        'deny contains res if {\n  some c in input.Stages[0].Commands\n  c.Cmd == "user"\n  res := result.new("root user", c)\n}',
      ),
      [['root user', 2, 2]],
    );
    assert.deepEqual(messages('deny contains {"msg": "obj", "startline": 3, "endline": 3} if input.Stages'), [
      ['obj', 3, 3],
    ]);
    assert.deepEqual(
      messages('deny contains ["from array", {"msg": "ignored", "startline": 1, "endline": 2}] if input.Stages'),
      [['from array', 1, 2]],
    );
    assert.deepEqual(messages('deny contains 42 if input.Stages'), [['Rego check resulted in DENY', 0, 0]]);
    assert.deepEqual(messages('deny contains {"startline": 1} if input.Stages'), [
      ['Rego check rule: builtin.test.r.deny', 1, 0],
    ]);
    assert.deepEqual(messages('deny := "complete rule" if input.Stages'), [['complete rule', 0, 0]]);
  });

  it('records a pass when deny is empty or undefined', () => {
    const [result] = scan(check('deny contains "never" if false'), [['Dockerfile', DOCKERFILE]]);
    assert.deepEqual(result?.MisconfSummary, { Successes: 1, Failures: 0 });
    const pass = result?.Misconfigurations?.[0];
    assert.deepEqual(
      [pass?.Status, pass?.Message, pass?.CauseMetadata.StartLine],
      ['PASS', 'No issues found', undefined],
    );
  });

  it('skips a rule that fails at run time with a warning and keeps the other checks', () => {
    const { logger, lines } = recordingLogger();
    const conflicting = 'deny := "a" if input.Stages\ndeny := "b" if input.Stages\n';
    const files = [
      rego('/c/bad.rego', dockerfileCheck('builtin.test.bad', conflicting)),
      rego('/c/good.rego', dockerfileCheck('builtin.test.good', 'deny contains "good" if input.Stages')),
    ];
    const found = failures(scan(files, [['Dockerfile', DOCKERFILE]], { logger }));
    assert.deepEqual(
      found.map((m) => m.Message),
      ['good'],
    );
    assert.ok(
      lines.some((line) => line.includes('builtin.test.bad.deny failed')),
      lines.join(''),
    );
  });

  it('drops a module that does not compile, and refuses one that does not parse', () => {
    const { logger, lines } = recordingLogger();
    const unsafe = dockerfileCheck('builtin.test.unsafe', 'deny contains x if input.Stages');
    const good = dockerfileCheck('builtin.test.good', 'deny contains "good" if input.Stages');
    const found = failures(
      scan([rego('/c/unsafe.rego', unsafe), rego('/c/good.rego', good)], [['Dockerfile', DOCKERFILE]], { logger }),
    );
    assert.deepEqual(
      found.map((m) => m.Message),
      ['good'],
    );
    assert.ok(lines.some((line) => line.includes('skipping user module /c/unsafe.rego')));
    assert.throws(
      () => buildCheckSet([rego('/c/broken.rego', 'package builtin.x\ndeny contains if {')], { logger: silentLogger }),
      /cannot parse the check \/c\/broken.rego/,
    );
  });

  it('shows at most ten source lines, marking the cut', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const code = codeLines(lines, 3, 20);
    assert.equal(code.length, 10);
    assert.deepEqual(
      code.slice(0, 2).map((l) => [l.Number, l.Content, l.FirstCause]),
      [
        [3, 'line 3', true],
        [4, 'line 4', false],
      ],
    );
    assert.deepEqual([code[8]?.LastCause, code[9]?.Truncated, code[9]?.Content], [true, true, '']);
    assert.deepEqual(codeLines(lines, 0, 0), []);
    assert.deepEqual(codeLines(lines, 29, 31), [], 'a range past the end of the file shows no code');
  });
});

describe('check data', () => {
  it('merges --config-data files under data and adds data.namespaces', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ limits: { allowed: ['alpine:3.20'] } }));
    writeFileSync(join(dir, 'nested', 'b.yaml'), 'limits:\n  user: app\n');
    writeFileSync(join(dir, 'ignored.txt'), 'not data');
    const data = await loadConfigData([dir]);
    assert.deepEqual(data, { limits: { allowed: ['alpine:3.20'], user: 'app' } });
    const body = `deny contains msg if {
  some stage in input.Stages
  not stage.Name in data.limits.allowed
  msg := sprintf("%s not allowed", [stage.Name])
}
deny contains sprintf("namespaces %v", [data.namespaces]) if input.Stages`;
    const files = [rego('/c/d.rego', dockerfileCheck('builtin.test.d', body))];
    const found = failures(scan(files, [['Dockerfile', 'FROM debian:12\n']], { data }));
    assert.deepEqual(found.map((m) => m.Message).sort(), ['debian:12 not allowed', 'namespaces ["builtin.test.d"]']);
  });

  it('refuses conflicting or malformed data files', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.json'), '{"k": 1}');
    writeFileSync(join(dir, 'b.json'), '{"k": 2}');
    await assert.rejects(loadConfigData([dir]), /data\.k is already set/);
    writeFileSync(join(dir, 'b.json'), '[1, 2]');
    await assert.rejects(loadConfigData([dir]), /must be an object/);
    await assert.rejects(loadConfigData([join(dir, 'missing')]), /config data path not found/);
  });
});

describe('check files', () => {
  it('loads *.rego but not tests, dot-files or advanced/optional', async () => {
    const dir = tempDir();
    for (const path of [
      'a.rego',
      'a_test.rego',
      '.hidden.rego',
      'sub/b.rego',
      'advanced/optional/c.rego',
      'README.md',
    ]) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), 'package x\n');
    }
    const files = await collectRegoFiles([dir], 'user');
    assert.deepEqual(files.map((f) => f.path.slice(dir.length + 1)).sort(), ['a.rego', 'sub/b.rego']);
    await assert.rejects(collectRegoFiles([join(dir, 'nope')], 'user'), /check path not found/);
  });

  it('filters by severity and keeps passes only in the summary', () => {
    const files = [
      rego('/c/a.rego', dockerfileCheck('builtin.test.a', 'deny contains "medium" if input.Stages')),
      rego('/c/b.rego', dockerfileCheck('builtin.test.b', 'deny contains "never" if false').replace('medium', 'high')),
    ];
    const results = scan(files, [['Dockerfile', DOCKERFILE]]);
    const all = filterMisconfigurations(results, { severities: ['LOW', 'MEDIUM', 'HIGH'] })[0];
    assert.deepEqual(all?.MisconfSummary, { Successes: 1, Failures: 1 });
    assert.deepEqual(
      all?.Misconfigurations?.map((m: DetectedMisconfiguration) => m.Status),
      ['FAIL'],
    );
    const high = filterMisconfigurations(results, { severities: ['HIGH'] })[0];
    assert.deepEqual(high?.MisconfSummary, { Successes: 1, Failures: 0 });
    assert.deepEqual(high?.Misconfigurations, []);
  });
});
