/**
 * A POSIX/Bash command parser for sh.parse_commands and sh.has_pipes, following how
 * mvdan.cc/sh parses: every simple command (CallExpr) in source order, parents before the
 * commands nested in their `$(…)`, each argument kept as written (quotes included).
 * `export`/`declare`/`local`/`readonly`/`typeset` and `let` are declarations, not calls;
 * `[[ … ]]` and `(( … ))` are test and arithmetic clauses. Assignments and redirections are
 * not arguments.
 */
export class ShellSyntaxError extends Error {}

interface Word {
  readonly text: string;
  /** Command substitutions inside the word, as source text. */
  readonly substitutions: string[];
}

type Token = { kind: 'word'; word: Word } | { kind: 'op'; op: string };

const DECLARATIONS = new Set(['export', 'declare', 'local', 'readonly', 'typeset', 'nameref']);
const RESERVED_END = new Set(['then', 'do', 'done', 'fi', 'elif', 'else', 'esac', '}']);
const MAX_DEPTH = 200;

class Lexer {
  private i = 0;
  private readonly s: string;

  constructor(s: string) {
    this.s = s;
  }

  /** Next token; newlines are the `\n` operator. */
  next(): Token | undefined {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i] as string;
      if (c === ' ' || c === '\t' || c === '\r') this.i++;
      else if (c === '\\' && s[this.i + 1] === '\n') this.i += 2;
      else if (c === '#' && (this.i === 0 || /[\s;&|()]/.test(s[this.i - 1] as string))) {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
      } else break;
    }
    if (this.i >= s.length) return undefined;
    const rest = s.slice(this.i);
    const op = /^(?:\d*(?:&>>|&>|>>|<<<|<<-|<<|<>|>&|<&|>\||>|<)|;;&|;;|;&|&&|\|\||\|&|[;&|()\n])/.exec(rest);
    if (op) {
      this.i += op[0].length;
      return { kind: 'op', op: op[0].replace(/^\d+/, '') };
    }
    return { kind: 'word', word: this.word() };
  }

  private word(): Word {
    const s = this.s;
    const start = this.i;
    const substitutions: string[] = [];
    while (this.i < s.length) {
      const c = s[this.i] as string;
      if (c === '(' && /^[A-Za-z_][A-Za-z0-9_]*\+?=$/.test(s.slice(start, this.i))) {
        // Array assignment: name=(a b c)
        this.i = this.matching(this.i, '(', ')') + 1;
        continue;
      }
      if (/[\s;&|()<>]/.test(c)) break;
      if (c === '\\') {
        this.i += 2;
      } else if (c === "'") {
        const end = s.indexOf("'", this.i + 1);
        if (end < 0) throw new ShellSyntaxError("reached EOF without closing quote '");
        this.i = end + 1;
      } else if (c === '"') {
        this.doubleQuoted(substitutions);
      } else if (c === '`') {
        const end = this.findBacktick(this.i + 1);
        substitutions.push(s.slice(this.i + 1, end));
        this.i = end + 1;
      } else if (c === '$') {
        this.dollar(substitutions);
      } else {
        this.i++;
      }
    }
    return { text: s.slice(start, this.i), substitutions };
  }

  private findBacktick(from: number): number {
    for (let j = from; j < this.s.length; j++) {
      if (this.s[j] === '\\') j++;
      else if (this.s[j] === '`') return j;
    }
    throw new ShellSyntaxError('reached EOF without closing quote `');
  }

  private doubleQuoted(substitutions: string[]): void {
    const s = this.s;
    this.i++;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === '"') {
        this.i++;
        return;
      }
      if (c === '\\') this.i += 2;
      else if (c === '$') this.dollar(substitutions);
      else if (c === '`') {
        const end = this.findBacktick(this.i + 1);
        substitutions.push(s.slice(this.i + 1, end));
        this.i = end + 1;
      } else this.i++;
    }
    throw new ShellSyntaxError('reached EOF without closing quote "');
  }

  /** `$name`, `${…}`, `$(…)`, `$((…))`, `$'…'`. */
  private dollar(substitutions: string[]): void {
    const s = this.s;
    const next = s[this.i + 1];
    if (next === '(' && s[this.i + 2] === '(') {
      this.i = this.matching(this.i + 2, '(', ')') + 1;
      if (s[this.i] === ')') this.i++;
    } else if (next === '(') {
      const end = this.matching(this.i + 1, '(', ')');
      substitutions.push(s.slice(this.i + 2, end));
      this.i = end + 1;
    } else if (next === '{') {
      this.i = this.matching(this.i + 1, '{', '}') + 1;
    } else if (next === "'") {
      let j = this.i + 2;
      for (; j < s.length && s[j] !== "'"; j++) if (s[j] === '\\') j++;
      if (j >= s.length) throw new ShellSyntaxError("reached EOF without closing quote '");
      this.i = j + 1;
    } else {
      this.i++;
    }
  }

  /** Index of the bracket closing the one at `open`, skipping quotes. */
  private matching(open: number, left: string, right: string): number {
    const s = this.s;
    let depth = 0;
    for (let j = open; j < s.length; j++) {
      const c = s[j];
      if (c === '\\') j++;
      else if (c === "'" && left !== '{') {
        const end = s.indexOf("'", j + 1);
        if (end < 0) break;
        j = end;
      } else if (c === '"') {
        for (j++; j < s.length && s[j] !== '"'; j++) if (s[j] === '\\') j++;
      } else if (c === left) depth++;
      else if (c === right && --depth === 0) return j;
    }
    throw new ShellSyntaxError(`reached EOF without matching ${left} with ${right}`);
  }
}

interface Visitor {
  call(args: string[]): void;
  pipe(): void;
}

class Parser {
  private readonly tokens: Token[] = [];
  private pos = 0;
  private readonly visitor: Visitor;
  private readonly depth: number;

  constructor(source: string, visitor: Visitor, depth: number) {
    if (depth > MAX_DEPTH) throw new ShellSyntaxError('nesting too deep');
    const lexer = new Lexer(source);
    for (let t = lexer.next(); t !== undefined; t = lexer.next()) this.tokens.push(t);
    this.visitor = visitor;
    this.depth = depth;
  }

  parse(): void {
    this.list(new Set());
    if (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos] as Token;
      throw new ShellSyntaxError(`unexpected ${t.kind === 'op' ? t.op : t.word.text}`);
    }
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isWord(text: string, t = this.peek()): boolean {
    return t?.kind === 'word' && t.word.text === text;
  }

  private isOp(op: string, t = this.peek()): boolean {
    return t?.kind === 'op' && t.op === op;
  }

  private expectWord(text: string): void {
    if (!this.isWord(text)) throw new ShellSyntaxError(`expected ${text}`);
    this.pos++;
  }

  private skipNewlines(): void {
    while (this.isOp('\n') || this.isOp(';')) this.pos++;
  }

  /** Statements until one of the terminating reserved words (or `)`/`;;` or the end). */
  private list(until: ReadonlySet<string>): void {
    while (true) {
      this.skipNewlines();
      const t = this.peek();
      if (t === undefined) return;
      if (t.kind === 'word' && until.has(t.word.text)) return;
      if (t.kind === 'op' && (t.op === ')' || t.op === ';;' || t.op === ';&' || t.op === ';;&')) return;
      this.andOr();
      const sep = this.peek();
      if (sep === undefined) return;
      if (sep.kind === 'op' && (sep.op === ';' || sep.op === '\n' || sep.op === '&')) {
        this.pos++;
        continue;
      }
      if (sep.kind === 'word' && until.has(sep.word.text)) return;
      if (sep.kind === 'op' && (sep.op === ')' || sep.op === ';;' || sep.op === ';&' || sep.op === ';;&')) return;
      throw new ShellSyntaxError(`unexpected ${sep.kind === 'op' ? sep.op : sep.word.text}`);
    }
  }

  private andOr(): void {
    this.pipeline();
    while (this.isOp('&&') || this.isOp('||')) {
      this.pos++;
      while (this.isOp('\n')) this.pos++;
      this.pipeline();
    }
  }

  private pipeline(): void {
    if (this.isWord('!') || this.isWord('time')) this.pos++;
    this.command();
    while (this.isOp('|') || this.isOp('|&')) {
      this.visitor.pipe();
      this.pos++;
      while (this.isOp('\n')) this.pos++;
      this.command();
    }
  }

  private command(): void {
    const t = this.peek();
    if (t === undefined) throw new ShellSyntaxError('expected a command');
    if (t.kind === 'op') {
      if (t.op === '(') {
        this.pos++;
        if (this.isOp('(')) {
          this.skipArithmetic();
        } else {
          this.list(new Set());
          if (!this.isOp(')')) throw new ShellSyntaxError('reached EOF without matching ( with )');
          this.pos++;
        }
        this.redirections();
        return;
      }
      if (this.isRedirect(t)) {
        this.simple();
        return;
      }
      throw new ShellSyntaxError(`unexpected ${t.op}`);
    }
    switch (t.word.text) {
      case '{':
        this.pos++;
        this.list(new Set(['}']));
        this.expectWord('}');
        this.redirections();
        return;
      case 'if':
        this.pos++;
        this.list(new Set(['then']));
        this.expectWord('then');
        this.list(new Set(['elif', 'else', 'fi']));
        while (this.isWord('elif')) {
          this.pos++;
          this.list(new Set(['then']));
          this.expectWord('then');
          this.list(new Set(['elif', 'else', 'fi']));
        }
        if (this.isWord('else')) {
          this.pos++;
          this.list(new Set(['fi']));
        }
        this.expectWord('fi');
        this.redirections();
        return;
      case 'while':
      case 'until':
        this.pos++;
        this.list(new Set(['do']));
        this.doGroup();
        return;
      case 'for':
        this.pos++;
        if (this.isOp('(')) {
          this.pos++;
          this.skipArithmetic();
        } else {
          this.pos++;
          this.skipNewlines();
          if (this.isWord('in')) {
            this.pos++;
            while (this.peek()?.kind === 'word')
              this.wordSubstitutions((this.tokens[this.pos++] as { word: Word }).word);
          }
        }
        this.skipNewlines();
        this.doGroup();
        return;
      case 'case':
        this.caseClause();
        return;
      case '[[':
        this.pos++;
        while (this.peek() !== undefined && !this.isWord(']]')) this.pos++;
        this.expectWord(']]');
        return;
      case 'function':
        this.pos++;
        this.pos++;
        if (this.isOp('(')) this.pos += 2;
        this.skipNewlines();
        this.command();
        return;
      default:
        break;
    }
    if (RESERVED_END.has(t.word.text)) throw new ShellSyntaxError(`unexpected ${t.word.text}`);
    const after = this.tokens[this.pos + 1];
    if (this.isOp('(', after) && this.isOp(')', this.tokens[this.pos + 2])) {
      this.pos += 3;
      this.skipNewlines();
      this.command();
      return;
    }
    this.simple();
  }

  private doGroup(): void {
    this.expectWord('do');
    this.list(new Set(['done']));
    this.expectWord('done');
    this.redirections();
  }

  private caseClause(): void {
    this.pos++;
    const subject = this.peek();
    if (subject?.kind !== 'word') throw new ShellSyntaxError('case needs a word');
    this.wordSubstitutions(subject.word);
    this.pos++;
    this.skipNewlines();
    this.expectWord('in');
    this.skipNewlines();
    while (!this.isWord('esac')) {
      if (this.peek() === undefined) throw new ShellSyntaxError('reached EOF without esac');
      if (this.isOp('(')) this.pos++;
      while (!this.isOp(')')) {
        if (this.peek() === undefined) throw new ShellSyntaxError('case pattern without )');
        this.pos++;
      }
      this.pos++;
      this.list(new Set(['esac']));
      if (this.isOp(';;') || this.isOp(';&') || this.isOp(';;&')) this.pos++;
      this.skipNewlines();
    }
    this.pos++;
  }

  private skipArithmetic(): void {
    let depth = 1;
    while (depth > 0) {
      const t = this.peek();
      if (t === undefined) throw new ShellSyntaxError('reached EOF without closing ))');
      if (this.isOp('(', t)) depth++;
      if (this.isOp(')', t)) depth--;
      this.pos++;
    }
    if (this.isOp(')')) this.pos++;
  }

  private isRedirect(t: Token | undefined): boolean {
    return t?.kind === 'op' && /^(&>>|&>|>>|<<<|<<-|<<|<>|>&|<&|>\||>|<)$/.test(t.op);
  }

  private redirections(): void {
    const subs: Word[] = [];
    while (this.isRedirect(this.peek())) {
      this.pos++;
      const target = this.peek();
      if (target?.kind !== 'word') throw new ShellSyntaxError('redirection needs a target');
      subs.push(target.word);
      this.pos++;
    }
    for (const w of subs) this.wordSubstitutions(w);
  }

  private simple(): void {
    const assignments: Word[] = [];
    const args: Word[] = [];
    const redirects: Word[] = [];
    let declaration = false;
    while (true) {
      const t = this.peek();
      if (t === undefined) break;
      if (this.isRedirect(t)) {
        this.pos++;
        const target = this.peek();
        if (target?.kind !== 'word') throw new ShellSyntaxError('redirection needs a target');
        redirects.push(target.word);
        this.pos++;
        continue;
      }
      if (t.kind !== 'word') break;
      if (args.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(t.word.text)) {
        assignments.push(t.word);
        this.pos++;
        continue;
      }
      if (args.length === 0 && (DECLARATIONS.has(t.word.text) || t.word.text === 'let')) declaration = true;
      args.push(t.word);
      this.pos++;
    }
    if (!declaration && args.length > 0) this.visitor.call(args.map((w) => w.text));
    for (const w of [...assignments, ...args, ...redirects]) this.wordSubstitutions(w);
  }

  private wordSubstitutions(w: Word): void {
    for (const inner of w.substitutions) new Parser(inner, this.visitor, this.depth + 1).parse();
  }
}

/** The commands of a shell program, each as its arguments' source text. */
export function parseShellCommands(source: string): string[][] {
  const out: string[][] = [];
  new Parser(source, { call: (args) => out.push(args), pipe: () => {} }, 0).parse();
  return out;
}

/** Whether a shell program has a pipeline (`a | b`). */
export function shellHasPipes(source: string): boolean {
  let pipes = false;
  new Parser(source, { call: () => {}, pipe: () => (pipes = true) }, 0).parse();
  return pipes;
}
