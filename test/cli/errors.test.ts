import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CliIO, CommandDefinition } from '../../src/cli/command.ts';
import { runCli } from '../../src/cli/main.ts';
import { VigilError } from '../../src/errors/index.ts';

function capture(): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env: {},
    cwd: '/',
    now: () => new Date('2026-01-02T03:04:05Z'),
  };
  return { io, out: () => out, err: () => err };
}

const failing: CommandDefinition[] = [
  {
    name: 'fail',
    summary: 'raise a VigilError',
    run: () => {
      throw new VigilError('DB_MISSING', 'the vulnerability DB is missing', { hint: 'run vigil db pull' });
    },
  },
  {
    name: 'crash',
    summary: 'raise an unexpected error',
    run: () => {
      throw new TypeError('boom');
    },
  },
  { name: 'later', summary: 'a command without an implementation', plannedFor: 'the air-gap milestone' },
  {
    name: 'log',
    summary: 'log at every level',
    run: (context) => {
      context.logger.debug('debug line');
      context.logger.info('info line');
      context.logger.error('error line');
      return 3;
    },
  },
];

describe('error reporting', () => {
  it('prints error and hint lines, no stack, and exits 1', async () => {
    const { io, out, err } = capture();
    assert.equal(await runCli(['fail'], io, failing), 1);
    assert.equal(out(), '');
    assert.equal(err(), 'error: the vulnerability DB is missing\nhint: run vigil db pull\n');
  });

  it('adds the stack trace only with --debug', async () => {
    const { io, err } = capture();
    assert.equal(await runCli(['fail', '--debug'], io, failing), 1);
    assert.match(err(), /^error: the vulnerability DB is missing\nhint: run vigil db pull\nVigilError: .*\n\s+at /);
  });

  it('wraps unexpected errors in the same format', async () => {
    const { io, err } = capture();
    assert.equal(await runCli(['crash'], io, failing), 1);
    assert.equal(err(), 'error: unexpected failure: boom\nhint: run again with --debug for details\n');
  });

  it('says plainly that a command is not built yet and exits 2', async () => {
    const { io, out, err } = capture();
    assert.equal(await runCli(['later'], io, failing), 2);
    assert.equal(out(), '');
    assert.equal(
      err(),
      "error: 'vigil later' is not built yet in this version of Vigil\n" +
        "hint: it arrives with the air-gap milestone; run 'vigil later --help' to see what it will do\n",
    );
  });

  it('returns the status a command returns, and logs to stderr by level', async () => {
    const quiet = capture();
    assert.equal(await runCli(['log', '--quiet'], quiet.io, failing), 3);
    assert.equal(quiet.err(), '2026-01-02T03:04:05Z\tERROR\terror line\n');
    const normal = capture();
    await runCli(['log'], normal.io, failing);
    assert.equal(normal.err(), '2026-01-02T03:04:05Z\tINFO\tinfo line\n2026-01-02T03:04:05Z\tERROR\terror line\n');
    const debug = capture();
    await runCli(['log', '-d'], debug.io, failing);
    assert.match(debug.err(), /DEBUG\tdebug line/);
    assert.equal(normal.out() + quiet.out(), '');
  });
});
