import {
  NotStringArrayError,
  parseJsonArray,
  parseWords,
  splitCommand,
  splitWhitespace,
  trimLeftGoSpace,
} from './words.ts';

/** One heredoc attached to an instruction: its name and body (lines with their newlines). */
export interface Heredoc {
  readonly name: string;
  readonly chomp: boolean;
  content: string;
}

/**
 * An instruction as BuildKit's parser leaves it: the command as written, its flags, its argument
 * values (`next`), whether it used the JSON form, and for ONBUILD the wrapped instruction.
 */
export interface DockerNode {
  readonly cmd: string;
  readonly original: string;
  flags: string[] | null;
  readonly next: string[] | null;
  readonly json: boolean;
  readonly sub: DockerNode | undefined;
  readonly heredocs: Heredoc[];
  startLine: number;
  endLine: number;
}

export class DockerfileSyntaxError extends Error {}

interface ParsedArgs {
  next: string[] | null;
  json?: boolean;
  sub?: DockerNode;
}

type ArgParser = (rest: string, escapeToken: string) => ParsedArgs;

const whitespaceList: ArgParser = (rest) => ({ next: rest === '' ? null : splitWhitespace(rest) });
const plainString: ArgParser = (rest) => ({ next: rest === '' ? null : [rest] });

function maybeJson(rest: string): ParsedArgs {
  if (rest === '') return { next: null };
  const list = parseJsonArray(rest);
  if (list !== undefined) return { next: list.length === 0 ? null : list, json: true };
  return { next: [rest] };
}

function maybeJsonToList(rest: string): ParsedArgs {
  const list = parseJsonArray(rest);
  if (list !== undefined) return { next: list.length === 0 ? null : list, json: true };
  return whitespaceList(rest, '');
}

/** ENV and LABEL: `k v` (old form) or `k=v …`, flattened as key, value, separator triples. */
function nameValues(keyword: string): ArgParser {
  return (rest, escapeToken) => {
    const words = parseWords(rest, escapeToken);
    if (words.length === 0) return { next: null };
    if (!(words[0] as string).includes('=')) {
      const parts = splitWhitespace(rest, 2);
      if (parts.length < 2) throw new DockerfileSyntaxError(`${keyword} must have two arguments`);
      return { next: [parts[0] as string, parts[1] as string, ''] };
    }
    const next: string[] = [];
    for (const word of words) {
      const eq = word.indexOf('=');
      if (eq < 0) {
        throw new DockerfileSyntaxError(
          `Syntax error - can't find = in ${JSON.stringify(word)}. Must be of the form: name=value`,
        );
      }
      next.push(word.slice(0, eq), word.slice(eq + 1), '=');
    }
    return { next };
  };
}

const argWords: ArgParser = (rest, escapeToken) => {
  const words = parseWords(rest, escapeToken);
  return { next: words.length === 0 ? null : words };
};

/** HEALTHCHECK: the type word, then the command in shell or JSON form. */
const healthConfig: ArgParser = (rest) => {
  let sep = 0;
  while (sep < rest.length && !/\s/.test(rest[sep] as string)) sep += 1;
  if (sep === 0) return { next: null };
  const command = maybeJson(trimLeftGoSpace(rest.slice(sep)));
  return { next: [rest.slice(0, sep), ...(command.next ?? [])], json: command.json };
};

const DISPATCH: Readonly<Record<string, ArgParser>> = {
  add: (rest) => maybeJsonToList(rest),
  arg: argWords,
  cmd: (rest) => maybeJson(rest),
  copy: (rest) => maybeJsonToList(rest),
  entrypoint: (rest) => maybeJson(rest),
  env: nameValues('ENV'),
  expose: whitespaceList,
  from: whitespaceList,
  healthcheck: healthConfig,
  label: nameValues('LABEL'),
  maintainer: plainString,
  onbuild: (rest, escapeToken) => (rest === '' ? { next: null } : { next: null, sub: nodeFromLine(rest, escapeToken) }),
  run: (rest) => maybeJson(rest),
  shell: (rest) => maybeJson(rest),
  stopsignal: plainString,
  user: plainString,
  volume: (rest) => maybeJsonToList(rest),
  workdir: plainString,
};

/** Splits one logical instruction line and parses its arguments the way its instruction does. */
export function nodeFromLine(line: string, escapeToken: string): DockerNode {
  const { cmd, flags, args } = splitCommand(line);
  const parse = DISPATCH[cmd.toLowerCase()];
  let parsed: ParsedArgs;
  try {
    // Unknown instructions keep one empty value, as BuildKit's ignore parser does; validation rejects them.
    parsed = parse ? parse(args, escapeToken) : { next: [''] };
  } catch (error) {
    if (error instanceof NotStringArrayError) throw new DockerfileSyntaxError(error.message);
    throw error;
  }
  return {
    cmd,
    original: line,
    flags,
    next: parsed.next,
    json: parsed.json ?? false,
    sub: parsed.sub,
    heredocs: [],
    startLine: 0,
    endLine: 0,
  };
}

const HEREDOC_INSTRUCTIONS = new Set(['add', 'copy', 'run']);

/** Heredocs are read for ADD, COPY and RUN in shell form, also behind ONBUILD. */
export function canContainHeredoc(node: DockerNode): boolean {
  const target = node.cmd.toLowerCase() === 'onbuild' && node.sub ? node.sub : node;
  return HEREDOC_INSTRUCTIONS.has(target.cmd.toLowerCase()) && !target.json;
}

/** The arguments BuildKit's instruction parser validates (ONBUILD: the wrapped instruction and its arguments). */
export function nodeArgs(node: DockerNode): string[] {
  if (node.sub) return [node.sub.cmd, ...nodeArgs(node.sub)];
  return node.next ?? [];
}
