import { DockerfileSyntaxError, type DockerNode, nodeArgs } from './nodes.ts';

/**
 * The checks BuildKit's instruction parser makes, which decide whether Trivy accepts a Dockerfile
 * at all: unknown instructions, argument counts, stage names and flag values. Trivy drops flags an
 * instruction does not know and tries again, so unknown flags are removed here rather than fatal.
 */

type FlagKind = 'bool' | 'string' | 'strings';

const HEALTHCHECK_FLAGS: Record<string, FlagKind> = {
  interval: 'string',
  timeout: 'string',
  'start-period': 'string',
  'start-interval': 'string',
  retries: 'string',
};

const FLAGS: Readonly<Record<string, Readonly<Record<string, FlagKind>>>> = {
  add: {
    chown: 'string',
    chmod: 'string',
    link: 'bool',
    'keep-git-dir': 'bool',
    checksum: 'string',
    exclude: 'strings',
    unpack: 'bool',
  },
  copy: { chown: 'string', from: 'string', chmod: 'string', link: 'bool', parents: 'bool', exclude: 'strings' },
  from: { platform: 'string' },
  run: { mount: 'strings', network: 'string', security: 'string', device: 'strings' },
};

const flagName = (flag: string) => {
  const body = flag.startsWith('--') ? flag.slice(2) : flag;
  const eq = body.indexOf('=');
  return eq < 0 ? body : body.slice(0, eq);
};

/** Checks flag values against the known flags; returns the flags with unknown ones removed. */
function checkFlags(flags: readonly string[], known: Readonly<Record<string, FlagKind>>): string[] {
  const kept = flags.filter((flag) => known[flagName(flag)] !== undefined);
  const used = new Set<string>();
  for (const flag of kept) {
    const body = flag.slice(2);
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const value = eq < 0 ? '' : body.slice(eq + 1);
    const kind = known[name] as FlagKind;
    if (used.has(name) && kind !== 'strings') throw new DockerfileSyntaxError(`duplicate flag specified: ${name}`);
    used.add(name);
    if (kind === 'bool') {
      if (eq >= 0 && value === '') throw new DockerfileSyntaxError(`missing a value on flag: ${name}`);
      if (value !== '' && !['true', 'false'].includes(value.toLowerCase())) {
        throw new DockerfileSyntaxError(`expecting boolean value for flag ${name}, not: ${value}`);
      }
    } else if (eq < 0) {
      throw new DockerfileSyntaxError(`missing a value on flag: ${name}`);
    }
  }
  return kept;
}

const exactlyOne = (name: string, args: readonly string[]) => {
  if (args.length !== 1) throw new DockerfileSyntaxError(`${name} requires exactly one argument`);
};
const atLeastOne = (name: string, args: readonly string[]) => {
  if (args.length === 0) throw new DockerfileSyntaxError(`${name} requires at least one argument`);
};

/** Go's time.ParseDuration for the HEALTHCHECK intervals: returns nanoseconds or throws. */
function parseGoDuration(text: string): number {
  const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  const match = /^([-+]?)((?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+|0)$/.exec(text);
  if (!match) throw new DockerfileSyntaxError(`time: invalid duration ${JSON.stringify(text)}`);
  let total = 0;
  for (const part of (match[2] as string).matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (units[part[2] as string] as number);
  }
  return match[1] === '-' ? -total : total;
}

function checkHealthcheck(node: DockerNode, args: readonly string[]): string[] | null {
  atLeastOne('HEALTHCHECK', args);
  const type = (args[0] as string).toUpperCase();
  if (type === 'NONE') {
    if (args.length > 1) throw new DockerfileSyntaxError('HEALTHCHECK NONE takes no arguments');
    return node.flags; // NONE parses no flags, so none are checked or dropped
  }
  const flags = checkFlags(node.flags ?? [], HEALTHCHECK_FLAGS);
  if (type !== 'CMD') throw new DockerfileSyntaxError(`Unknown type ${JSON.stringify(type)} in HEALTHCHECK (try CMD)`);
  if (args.length < 2) throw new DockerfileSyntaxError('Missing command after HEALTHCHECK CMD');
  for (const flag of flags) {
    const name = flagName(flag);
    const value = flag.slice(flag.indexOf('=') + 1);
    if (value === '') continue;
    if (name === 'retries') {
      if (!/^[-+]?\d+$/.test(value)) throw new DockerfileSyntaxError(`invalid --retries value ${value}`);
      if (Number(value) < 1) throw new DockerfileSyntaxError(`--retries must be at least 1 (not ${value})`);
    } else if (parseGoDuration(value) < 1e6) {
      throw new DockerfileSyntaxError(`Interval "${name}" cannot be less than 1ms`);
    }
  }
  return node.flags === null ? null : flags;
}

function checkFrom(args: readonly string[]): void {
  if (args.length === 3 && (args[1] as string).toLowerCase() === 'as') {
    const name = (args[2] as string).toLowerCase();
    if (!/^[a-z][a-z0-9-_.]*$/.test(name)) {
      throw new DockerfileSyntaxError(
        `invalid name for build stage: ${JSON.stringify(args[2])}, name can't start with a number or contain symbols`,
      );
    }
  } else if (args.length !== 1) {
    throw new DockerfileSyntaxError('FROM requires either one or three arguments');
  }
}

function checkKeyValues(name: string, args: readonly string[]): void {
  atLeastOne(name, args);
  for (let i = 0; i < args.length; i += 3) {
    if (args[i] === '') throw new DockerfileSyntaxError(`${name} names can not be blank`);
  }
}

/**
 * Validates one instruction as BuildKit's ParseInstruction does and returns the flags Trivy keeps
 * (null when the instruction had no arguments at all). Throws DockerfileSyntaxError when Trivy
 * would reject the whole file.
 */
export function validateInstruction(node: DockerNode): string[] | null {
  const args = nodeArgs(node);
  const cmd = node.cmd.toLowerCase();
  const parseFlags = () => (node.flags === null ? null : checkFlags(node.flags, FLAGS[cmd] ?? {}));
  switch (cmd) {
    case 'env':
    case 'label':
      checkKeyValues(cmd.toUpperCase(), args);
      return parseFlags();
    case 'maintainer':
    case 'workdir':
    case 'user':
    case 'stopsignal':
      exactlyOne(cmd.toUpperCase(), args);
      return parseFlags();
    case 'add':
    case 'copy':
      if (args.length < 2) {
        throw new DockerfileSyntaxError(
          `${cmd.toUpperCase()} requires at least two arguments, but only one was provided. Destination could not be determined`,
        );
      }
      if (/^\d*<<-?[^<]+$/.test(args[args.length - 1] as string)) {
        throw new DockerfileSyntaxError(`${cmd.toUpperCase()} cannot accept a heredoc as a destination`);
      }
      return parseFlags();
    case 'from': {
      checkFrom(args);
      return parseFlags();
    }
    case 'onbuild': {
      atLeastOne('ONBUILD', args);
      const trigger = (args[0] as string).trim().toUpperCase();
      if (trigger === 'ONBUILD')
        throw new DockerfileSyntaxError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      if (trigger === 'MAINTAINER' || trigger === 'FROM') {
        throw new DockerfileSyntaxError(`${trigger} isn't allowed as an ONBUILD trigger`);
      }
      return parseFlags();
    }
    case 'run':
    case 'cmd':
    case 'entrypoint':
      return parseFlags();
    case 'healthcheck':
      return checkHealthcheck(node, args);
    case 'expose':
      atLeastOne('EXPOSE', args);
      return parseFlags();
    case 'volume':
      atLeastOne('VOLUME', args);
      if (args.some((volume) => volume.trim() === '')) {
        throw new DockerfileSyntaxError('VOLUME specified can not be an empty string');
      }
      return parseFlags();
    case 'arg':
      atLeastOne('ARG', args);
      return parseFlags();
    case 'shell':
      atLeastOne('SHELL', args);
      if (!node.json) throw new DockerfileSyntaxError('SHELL requires the arguments to be in JSON form');
      return parseFlags();
    default:
      throw new DockerfileSyntaxError(`unknown instruction: ${node.cmd}`);
  }
}
