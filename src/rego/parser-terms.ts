import type { Body, Expr, Literal, Term, With } from './ast.ts';
import { type Location, RegoError } from './errors.ts';
import type { Token } from './lexer.ts';
import { normalize, parseNumber } from './number.ts';

/** Keywords that Rego v0 only knows after `import future.keywords…`; v1 always knows them. */
export interface KeywordSet {
  if: boolean;
  contains: boolean;
  in: boolean;
  every: boolean;
}

const RELATIONAL: Record<string, string> = {
  '==': 'equal',
  '!=': 'neq',
  '<': 'lt',
  '>': 'gt',
  '<=': 'lte',
  '>=': 'gte',
};
const ARITH: Record<string, string> = { '+': 'plus', '-': 'minus' };
const FACTOR: Record<string, string> = { '*': 'mul', '/': 'div', '%': 'rem' };

/** Words that are never variable names. */
const RESERVED = new Set([
  'not',
  'some',
  'with',
  'as',
  'default',
  'else',
  'import',
  'package',
  'true',
  'false',
  'null',
]);

/** Nesting limit, so hostile input cannot overflow the stack. */
const MAX_DEPTH = 1000;

/** Token cursor and the expression grammar shared by module and query parsing. */
export class TermParser {
  protected readonly tokens: Token[];
  protected pos = 0;
  protected readonly file: string;
  protected readonly source: string;
  protected keywords: KeywordSet;
  private depth = 0;

  constructor(tokens: Token[], source: string, file: string, keywords: KeywordSet) {
    this.tokens = tokens;
    this.source = source;
    this.file = file;
    this.keywords = keywords;
  }

  /** Every token has been consumed. */
  atEnd(): boolean {
    return this.tok.kind === 'eof';
  }

  protected get tok(): Token {
    return this.tokens[this.pos] as Token;
  }

  protected peek(offset = 1): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }

  protected next(): Token {
    const t = this.tok;
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  protected loc(t: Token = this.tok): Location {
    return { file: this.file, row: t.row, col: t.col };
  }

  protected fail(message: string, t: Token = this.tok): never {
    throw new RegoError('rego_parse_error', message, this.loc(t));
  }

  protected unexpected(expectation?: string): never {
    const t = this.tok;
    const what = t.kind === 'eof' ? 'eof token' : `${t.kind === 'punct' ? t.text : t.kind} token`;
    this.fail(expectation ? `unexpected ${what}: ${expectation}` : `unexpected ${what}`);
  }

  protected isPunct(text: string, t: Token = this.tok): boolean {
    return t.kind === 'punct' && t.text === text;
  }

  protected expectPunct(text: string): Token {
    if (!this.isPunct(text)) this.unexpected(`expected ${text}`);
    return this.next();
  }

  /** A keyword in the current mode (future keywords only when enabled). */
  protected isKeyword(word: string, t: Token = this.tok): boolean {
    if (t.kind !== 'ident' || t.text !== word) return false;
    if (word in this.keywords) return this.keywords[word as keyof KeywordSet];
    return RESERVED.has(word);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail('nesting too deep');
  }

  private leave(): void {
    this.depth--;
  }

  // ---- queries -------------------------------------------------------------------------------

  /** `{ literal (; | newline) literal … }` — the caller has consumed nothing. */
  protected parseBraceBody(): Body {
    this.expectPunct('{');
    const body = this.parseQuery('}');
    this.expectPunct('}');
    if (body.length === 0) this.fail('found empty body');
    return body;
  }

  /** Literals up to (not including) the closing token text, or eof when `end` is undefined. */
  parseQuery(end: string | undefined): Expr[] {
    const body: Expr[] = [];
    const atEnd = () => (end === undefined ? this.tok.kind === 'eof' : this.isPunct(end));
    while (!atEnd()) {
      if (this.isPunct(';')) {
        this.next();
        continue;
      }
      if (body.length > 0) {
        const prev = this.tokens[this.pos - 1] as Token;
        if (!this.tok.newlineBefore && !this.isPunct(';', prev)) this.unexpected('expected newline or ;');
      }
      body.push(this.parseLiteralWithModifiers());
    }
    return body;
  }

  protected parseLiteralWithModifiers(): Expr {
    const start = this.tok;
    let negated = false;
    let literal: Literal;
    if (this.isKeyword('not')) {
      this.next();
      negated = true;
      literal = this.parseExprLiteral();
    } else if (this.isKeyword('some')) {
      literal = this.parseSome();
    } else if (this.isKeyword('every')) {
      literal = this.parseEvery();
    } else {
      literal = this.parseExprLiteral();
    }
    const withs: With[] = [];
    while (this.isKeyword('with')) {
      const w = this.next();
      const target = this.parsePathRef();
      if (!this.isKeyword('as')) this.unexpected('expected as');
      this.next();
      const value = this.parseInfix(false);
      withs.push({ target, value, loc: this.loc(w) });
    }
    return { literal, negated, withs, loc: this.loc(start) };
  }

  /** `ident(.ident | ["string"])*` */
  protected parsePathRef(): string[] {
    const first = this.tok;
    if (first.kind !== 'ident') this.unexpected('expected identifier');
    this.next();
    const path = [first.text];
    while (!this.tok.spaceBefore) {
      if (this.isPunct('.')) {
        this.next();
        if (this.tok.kind !== 'ident' || this.tok.spaceBefore) this.unexpected('expected identifier');
        path.push(this.next().text);
      } else if (this.isPunct('[')) {
        this.next();
        if (this.tok.kind !== 'string' && this.tok.kind !== 'rawstring') this.unexpected('expected string');
        path.push(this.next().text);
        this.expectPunct(']');
      } else {
        break;
      }
    }
    return path;
  }

  private parseSome(): Literal {
    const someTok = this.next();
    const first = this.parseInfix(true);
    if (first.type === 'call' && first.name.length === 2 && first.name[0] === 'internal') {
      if (first.name[1] === 'member_2') {
        return { kind: 'somein', key: undefined, value: first.args[0] as Term, collection: first.args[1] as Term };
      }
      if (first.name[1] === 'member_3') {
        return {
          kind: 'somein',
          key: first.args[0] as Term,
          value: first.args[1] as Term,
          collection: first.args[2] as Term,
        };
      }
    }
    const vars: Term[] = [first];
    while (this.isPunct(',')) {
      this.next();
      vars.push(this.parsePrimary());
    }
    for (const v of vars) {
      if (v.type !== 'var') this.fail('expected var or membership in some declaration', someTok);
    }
    return { kind: 'some', vars };
  }

  private parseEvery(): Literal {
    const everyTok = this.next();
    const first = this.parseInfix(true);
    let key: Term | undefined;
    let value: Term;
    let domain: Term;
    if (first.type === 'call' && first.name[0] === 'internal' && first.name[1] === 'member_2') {
      value = first.args[0] as Term;
      domain = first.args[1] as Term;
    } else if (first.type === 'call' && first.name[0] === 'internal' && first.name[1] === 'member_3') {
      key = first.args[0] as Term;
      value = first.args[1] as Term;
      domain = first.args[2] as Term;
    } else {
      this.fail('expected membership in every', everyTok);
    }
    for (const v of [key, value]) {
      if (v !== undefined && v.type !== 'var') this.fail('every: expected variable', everyTok);
    }
    const body = this.parseBraceBody();
    return { kind: 'every', key, value, domain, body };
  }

  private parseExprLiteral(): Literal {
    const left = this.parseInfix(true);
    if (this.isPunct(':=') || this.isPunct('=')) {
      const op = this.next().text;
      const right = this.parseInfix(true);
      return op === ':=' ? { kind: 'assign', left, right } : { kind: 'unify', left, right };
    }
    return { kind: 'expr', term: left };
  }

  // ---- terms ---------------------------------------------------------------------------------

  /** Full infix term; with `keyValue`, also `k, v in xs`. */
  parseInfix(keyValue: boolean): Term {
    this.enter();
    try {
      let lhs = this.parseRelation();
      while (true) {
        if (this.isKeyword('in')) {
          const op = this.next();
          const rhs = this.parseRelation();
          lhs = this.call(['internal', 'member_2'], [lhs, rhs], op, 'in');
          continue;
        }
        if (keyValue && this.isPunct(',') && this.keywords.in) {
          const save = this.pos;
          this.next();
          const value = this.parseRelation();
          if (this.isKeyword('in')) {
            const op = this.next();
            const rhs = this.parseRelation();
            lhs = this.call(['internal', 'member_3'], [lhs, value, rhs], op, 'in');
            continue;
          }
          this.pos = save;
        }
        return lhs;
      }
    } finally {
      this.leave();
    }
  }

  private call(name: string[], args: Term[], at: Token, infix?: string): Term {
    return { type: 'call', name, args, infix, loc: this.loc(at) };
  }

  private parseBinary(next: () => Term, ops: Record<string, string>): Term {
    let lhs = next();
    while (this.tok.kind === 'punct' && Object.hasOwn(ops, this.tok.text)) {
      const op = this.next();
      const rhs = next();
      lhs = this.call([ops[op.text] as string], [lhs, rhs], op, op.text);
    }
    return lhs;
  }

  private parseRelation(): Term {
    return this.parseBinary(() => this.parseOr(), RELATIONAL);
  }

  private parseOr(): Term {
    return this.parseBinary(() => this.parseAnd(), { '|': 'or' });
  }

  private parseAnd(): Term {
    return this.parseBinary(() => this.parseArith(), { '&': 'and' });
  }

  private parseArith(): Term {
    return this.parseBinary(() => this.parseFactor(), ARITH);
  }

  private parseFactor(): Term {
    return this.parseBinary(() => this.parsePrimary(), FACTOR);
  }

  /** A term without infix operators: scalar, var, ref, call, composite, comprehension, parens. */
  parsePrimary(): Term {
    this.enter();
    try {
      const t = this.tok;
      let term: Term;
      switch (t.kind) {
        case 'number':
          this.next();
          term = { type: 'scalar', value: this.numberValue(t.text, t), loc: this.loc(t) };
          break;
        case 'string':
        case 'rawstring':
          this.next();
          term = { type: 'scalar', value: t.text, loc: this.loc(t) };
          break;
        case 'ident':
          term = this.parseIdentTerm();
          break;
        case 'punct':
          if (t.text === '-') {
            this.next();
            if (this.tok.kind !== 'number') this.fail('unary - can only be used with numeric literals', t);
            const num = this.next();
            return { type: 'scalar', value: this.numberValue(`-${num.text}`, num), loc: this.loc(t) };
          }
          if (t.text === '[') term = this.parseArray();
          else if (t.text === '{') term = this.parseSetOrObject();
          else if (t.text === '(') {
            this.next();
            term = this.parseInfix(true);
            this.expectPunct(')');
          } else this.unexpected();
          break;
        default:
          this.unexpected();
      }
      return this.parsePostfix(term);
    } finally {
      this.leave();
    }
  }

  private numberValue(text: string, t: Token) {
    const value = parseNumber(text);
    if (value === undefined) this.fail('invalid number', t);
    return normalize(value);
  }

  private parseIdentTerm(): Term {
    const t = this.next();
    const loc = this.loc(t);
    switch (t.text) {
      case 'true':
        return { type: 'scalar', value: true, loc };
      case 'false':
        return { type: 'scalar', value: false, loc };
      case 'null':
        return { type: 'scalar', value: null, loc };
    }
    if (t.text === 'set' && this.isPunct('(') && !this.tok.spaceBefore && this.isPunct(')', this.peek())) {
      this.next();
      this.next();
      return { type: 'set', items: [], loc };
    }
    const callFollows = this.isPunct('(') && !this.tok.spaceBefore;
    if (!callFollows && (RESERVED.has(t.text) || this.isKeyword(t.text, t))) {
      this.pos--;
      this.unexpected();
    }
    return { type: 'var', name: t.text, loc };
  }

  private parsePostfix(head: Term): Term {
    let term = head;
    while (!this.tok.spaceBefore) {
      if (this.isPunct('.')) {
        this.next();
        const key = this.tok;
        if (key.kind !== 'ident' || key.spaceBefore) this.unexpected('expected identifier');
        this.next();
        term = this.extendRef(term, { type: 'scalar', value: key.text, loc: this.loc(key) });
      } else if (this.isPunct('[')) {
        this.next();
        const index = this.parseInfix(false);
        this.expectPunct(']');
        term = this.extendRef(term, index);
      } else if (this.isPunct('(')) {
        term = this.parseCallArgs(term);
      } else {
        break;
      }
    }
    return term;
  }

  private extendRef(term: Term, key: Term): Term {
    if (term.type === 'ref') return { type: 'ref', head: term.head, path: [...term.path, key], loc: term.loc };
    return { type: 'ref', head: term, path: [key], loc: term.loc };
  }

  private parseCallArgs(target: Term): Term {
    const name = staticName(target);
    if (name === undefined) this.fail('invalid function name');
    const open = this.next();
    const args: Term[] = [];
    while (!this.isPunct(')')) {
      args.push(this.parseInfix(false));
      if (this.isPunct(',')) this.next();
      else if (!this.isPunct(')')) this.unexpected('expected , or )');
    }
    this.next();
    return { type: 'call', name, args, loc: { ...this.loc(open), row: target.loc.row, col: target.loc.col } };
  }

  private parseArray(): Term {
    const open = this.next();
    const loc = this.loc(open);
    if (this.isPunct(']')) {
      this.next();
      return { type: 'array', items: [], loc };
    }
    const save = this.pos;
    const head = this.tryParse(() => this.parsePrimary());
    if (head !== undefined && this.isPunct('|')) {
      this.next();
      const body = this.tryParse(() => this.comprehensionBody(']', open));
      if (body !== undefined) return { type: 'arraycompr', term: head, body, loc };
    }
    this.pos = save;
    const items = this.parseTermList(']');
    return { type: 'array', items, loc };
  }

  /** A comprehension body up to its closing bracket; a failure lets the caller re-read a plain collection. */
  private comprehensionBody(end: string, open: Token): Body {
    const body = this.parseQuery(end);
    this.expectPunct(end);
    if (body.length === 0) this.fail('found empty body', open);
    return body;
  }

  private parseTermList(end: string): Term[] {
    const items: Term[] = [];
    while (!this.isPunct(end)) {
      items.push(this.parseInfix(false));
      if (this.isPunct(',')) this.next();
      else if (!this.isPunct(end)) this.unexpected(`expected , or ${end}`);
    }
    this.next();
    return items;
  }

  private parseSetOrObject(): Term {
    const open = this.next();
    const loc = this.loc(open);
    if (this.isPunct('}')) {
      this.next();
      return { type: 'object', entries: [], loc };
    }
    const save = this.pos;
    const head = this.tryParse(() => this.parsePrimary());
    if (head !== undefined && this.isPunct('|')) {
      this.next();
      const body = this.tryParse(() => this.comprehensionBody('}', open));
      if (body !== undefined) return { type: 'setcompr', term: head, body, loc };
    }
    this.pos = save;
    const first = this.parseInfix(false);
    if (this.isPunct(':')) {
      this.next();
      const valueStart = this.pos;
      const value = this.tryParse(() => this.parsePrimary());
      if (value !== undefined && this.isPunct('|')) {
        this.next();
        const body = this.tryParse(() => this.comprehensionBody('}', open));
        if (body !== undefined) return { type: 'objectcompr', key: first, value, body, loc };
      }
      this.pos = valueStart;
      const entries: Array<[Term, Term]> = [[first, this.parseInfix(false)]];
      while (true) {
        if (this.isPunct('}')) break;
        this.expectPunct(',');
        if (this.isPunct('}')) break;
        const k = this.parseInfix(false);
        this.expectPunct(':');
        entries.push([k, this.parseInfix(false)]);
      }
      this.next();
      return { type: 'object', entries, loc };
    }
    const items: Term[] = [first];
    while (true) {
      if (this.isPunct('}')) break;
      this.expectPunct(',');
      if (this.isPunct('}')) break;
      items.push(this.parseInfix(false));
    }
    this.next();
    return { type: 'set', items, loc };
  }

  private tryParse<T>(fn: () => T): T | undefined {
    const save = this.pos;
    try {
      return fn();
    } catch (error) {
      if (error instanceof RegoError && error.regoCode === 'rego_parse_error' && error.detail !== 'nesting too deep') {
        this.pos = save;
        return undefined;
      }
      throw error;
    }
  }
}

/** The dotted name of a call target (`a.b["c"]`), or undefined when it is not a static path. */
function staticName(term: Term): string[] | undefined {
  if (term.type === 'var') return [term.name];
  if (term.type !== 'ref' || term.head.type !== 'var') return undefined;
  const name = [term.head.name];
  for (const p of term.path) {
    if (p.type !== 'scalar' || typeof p.value !== 'string') return undefined;
    name.push(p.value);
  }
  return name;
}
