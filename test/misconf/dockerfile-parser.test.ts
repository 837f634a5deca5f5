import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { type DockerfileCommand, DockerfileSyntaxError, parseDockerfile } from '../../src/misconf/dockerfile/parse.ts';

const goldens = JSON.parse(
  readFileSync(new URL('../fixtures/misconf/trivy-dockerfile-parser.json', import.meta.url), 'utf8'),
);

const commands = (source: string) => (parseDockerfile(source, 'Dockerfile').Stages ?? []).flatMap((s) => s.Commands);
const only = (source: string): DockerfileCommand => {
  const all = commands(source);
  assert.equal(all.length, 1);
  return all[0] as DockerfileCommand;
};

describe('Dockerfile parser: Trivy parser_test.go goldens', () => {
  for (const golden of goldens.parse) {
    it(golden.name, () => {
      const doc = parseDockerfile(golden.src, 'Dockerfile');
      assert.equal(doc.Stages?.length, golden.expected.Stages.length);
      golden.expected.Stages.forEach((stage: { Name: string; Commands: Array<Record<string, unknown>> }, i: number) => {
        const actual = doc.Stages?.[i];
        assert.equal(actual?.Name, stage.Name);
        assert.equal(actual?.Commands.length, stage.Commands.length);
        stage.Commands.forEach((expected, j) => {
          const command = actual?.Commands[j] as unknown as Record<string, unknown>;
          for (const [field, value] of Object.entries(expected)) {
            assert.deepEqual(command[field], value, `${golden.name} command ${j} ${field}`);
          }
        });
      });
    });
  }
  for (const golden of goldens.heredocs) {
    it(`heredoc: ${golden.name}`, () => {
      const command = only(golden.src);
      assert.equal(command.Original, golden.src);
      assert.deepEqual(command.Value, [golden.expected]);
    });
  }
});

describe('Dockerfile parser: instructions as BuildKit reads them', () => {
  it('joins continuation lines, skipping comments and empty lines inside them, and keeps the line span', () => {
    const run = commands('FROM alpine:3.20\nRUN apk add \\\n    # a comment\n    curl \\\n\n    git\nUSER app\n')[1];
    assert.equal(run?.Original, 'RUN apk add     curl     git');
    assert.deepEqual(run?.Value, ['apk add     curl     git']);
    assert.deepEqual([run?.StartLine, run?.EndLine], [2, 6]);
    assert.equal(commands('FROM alpine:3.20\nRUN apk add \\\n    curl\nUSER app\n')[2]?.StartLine, 4);
  });

  it('honours the escape directive for continuations and leaves an escaped escape alone', () => {
    const cmds = commands('# escape=`\nFROM mcr.example/windows:ltsc2022\nRUN dir `\n    c:\\\nWORKDIR c:\\app\n');
    assert.deepEqual(cmds[1]?.Value, ['dir     c:\\']);
    assert.deepEqual(cmds[2]?.Value, ['c:\\app']);
    assert.equal(cmds[1]?.EndLine, 4);
    // An escaped escape token at the end of a line does not continue it.
    assert.deepEqual(commands('FROM a:1\nRUN echo \\\\\nUSER x\n')[1]?.Value, ['echo \\\\']);
  });

  it('reads directives only before the first other line, once each', () => {
    assert.deepEqual(commands('FROM a:1\n# escape=`\nRUN x \\\n y\n')[1]?.Value, ['x  y']);
    assert.throws(() => parseDockerfile('# escape=`\n# escape=\\\nFROM a:1\n', 'Dockerfile'), /only one escape/);
    assert.throws(() => parseDockerfile('# escape=x\nFROM a:1\n', 'Dockerfile'), /invalid escape token/);
  });

  it('tells JSON (exec) form from shell form and keeps malformed JSON as shell text', () => {
    const [cmd, entry, bad] = commands('CMD ["node", "app.js"]\nENTRYPOINT [ "x" ] \nRUN ["unclosed"\n');
    assert.deepEqual([cmd?.Value, cmd?.JSON], [['node', 'app.js'], true]);
    assert.deepEqual([entry?.Value, entry?.JSON], [['x'], true]);
    assert.deepEqual([bad?.Value, bad?.JSON], [['["unclosed"'], false]);
    assert.throws(() => parseDockerfile('FROM a:1\nCMD ["a", 1]\n', 'Dockerfile'), /must be comprised of strings/);
  });

  it('splits ENV and LABEL into key, value, separator triples with quotes kept', () => {
    assert.deepEqual(only('ENV A=1 B="two words" C=').Value, ['A', '1', '=', 'B', '"two words"', '=', 'C', '', '=']);
    assert.deepEqual(only('ENV LEGACY some value').Value, ['LEGACY', 'some value', '']);
    assert.deepEqual(only('LABEL "a.b"=c').Value, ['"a.b"', 'c', '=']);
    assert.throws(() => parseDockerfile('ENV A=1 B', 'Dockerfile'), /can't find = in "B"/);
  });

  it('keeps ARG and ENV references unexpanded, as Trivy does', () => {
    const reference = '$' + '{BASE}';
    const cmds = commands(`ARG BASE=alpine:3.20\nFROM ${reference} AS build\nENV HOME=/home/$USER\n`);
    assert.deepEqual(cmds[1]?.Value, [reference, 'AS', 'build']);
    assert.deepEqual(cmds[2]?.Value, ['HOME', '/home/$USER', '=']);
  });

  it('gives HEALTHCHECK its type word first, then the command', () => {
    const health = only('HEALTHCHECK --interval=30s --timeout=3s CMD ["curl", "-f", "http://localhost/"]');
    assert.deepEqual(health.Value, ['CMD', 'curl', '-f', 'http://localhost/']);
    assert.deepEqual(health.Flags, ['--interval=30s', '--timeout=3s']);
    assert.equal(health.JSON, true);
    assert.deepEqual(only('HEALTHCHECK NONE').Value, ['NONE']);
    assert.throws(
      () => parseDockerfile('HEALTHCHECK --interval=1ns CMD true', 'Dockerfile'),
      /cannot be less than 1ms/,
    );
    assert.throws(() => parseDockerfile('HEALTHCHECK SOMETIMES true', 'Dockerfile'), /Unknown type/);
  });

  it('names stages after the text following FROM and numbers them from the second FROM', () => {
    const doc = parseDockerfile(
      'ARG V=1\nFROM --platform=$BUILDPLATFORM golang:1.22 AS build\nRUN make\nFROM scratch\nCOPY --from=build /app /\n',
      'sub/Dockerfile',
    );
    assert.deepEqual(
      doc.Stages?.map((s) => [s.Name, s.Commands.map((c) => c.Stage)]),
      [
        ['', [0]],
        ['--platform=$BUILDPLATFORM golang:1.22 AS build', [0, 0]],
        ['scratch', [1, 1]],
      ],
    );
    assert.deepEqual(doc.Stages?.[1]?.Commands[0]?.Flags, ['--platform=$BUILDPLATFORM']);
    assert.equal(doc.Stages?.[2]?.Commands[1]?.Path, 'sub/Dockerfile');
  });

  it('lower-cases Cmd but keeps the ONBUILD trigger as written', () => {
    const onbuild = only('onbuild copy . /app');
    assert.equal(onbuild.Cmd, 'onbuild');
    assert.equal(onbuild.SubCmd, 'copy');
    assert.deepEqual(onbuild.Value, ['.', '/app']);
  });

  it('attaches heredoc bodies to the instruction and counts their lines', () => {
    const cmds = commands(
      'FROM alpine:3.20\nRUN <<-EOT\n\tapk add curl\n\tEOT\nCOPY <<EOF /etc/motd\nhello\nEOF\nUSER app\n',
    );
    assert.deepEqual(cmds[1]?.Value, ['apk add curl']);
    assert.deepEqual([cmds[1]?.StartLine, cmds[1]?.EndLine], [2, 4]);
    assert.deepEqual([cmds[2]?.StartLine, cmds[2]?.EndLine], [5, 7]);
    assert.equal(cmds[3]?.StartLine, 8);
    assert.throws(() => parseDockerfile('RUN <<EOF\nnever closed\n', 'Dockerfile'), /unterminated heredoc/);
  });

  it('strips a byte-order mark and carriage returns', () => {
    const cmds = commands('\ufeffFROM alpine:3.20\r\nRUN echo hi\r\n');
    assert.equal(cmds[0]?.Original, 'FROM alpine:3.20');
    assert.deepEqual(cmds[1]?.Value, ['echo hi']);
  });
});

describe('Dockerfile parser: files BuildKit rejects', () => {
  const rejects: Array<[string, RegExp]> = [
    ['', /no instructions/],
    ['# only a comment\n\n', /no instructions/],
    ['FROM a:1\nFROBNICATE x\n', /line 2: unknown instruction: FROBNICATE/],
    ['FROM a:1 AS 1stage\n', /invalid name for build stage/],
    ['FROM a b\n', /one or three arguments/],
    ['FROM a:1\nCOPY onlyone\n', /at least two arguments/],
    ['FROM a:1\nUSER\n', /exactly one argument/],
    ['FROM a:1\nCOPY --chown . /app\n', /missing a value on flag: chown/],
    ['FROM a:1\nCOPY --link=maybe . /app\n', /expecting boolean value/],
    ['FROM a:1\nRUN --network=host --network=none make\n', /duplicate flag/],
    ['FROM a:1\nONBUILD ONBUILD RUN x\n', /Chaining ONBUILD/],
    ['FROM a:1\nSHELL /bin/sh -c\n', /JSON form/],
  ];
  for (const [source, message] of rejects) {
    it(`rejects ${JSON.stringify(source)}`, () => {
      assert.throws(
        () => parseDockerfile(source, 'Dockerfile'),
        (error: unknown) => error instanceof DockerfileSyntaxError && message.test(error.message),
      );
    });
  }

  it('refuses lines longer than BuildKit reads, without reading the rest', () => {
    const source = `FROM a:1\nRUN echo ${'x'.repeat(70_000)}\n`;
    assert.throws(() => parseDockerfile(source, 'Dockerfile'), /line greater than max allowed size of 65535/);
  });

  it('parses a large generated Dockerfile quickly and in order', () => {
    const lines = ['FROM alpine:3.20'];
    for (let i = 0; i < 5000; i += 1) lines.push(`RUN echo ${i} && \\`, `    true`);
    const cmds = commands(`${lines.join('\n')}\n`);
    assert.equal(cmds.length, 5001);
    assert.deepEqual(cmds[5000]?.Value, ['echo 4999 &&     true']);
    assert.equal(cmds[5000]?.StartLine, 10000);
  });
});
