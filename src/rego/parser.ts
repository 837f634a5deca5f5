import { attachAnnotations } from './annotations.ts';
import type { Body, ElseClause, Expr, Import, Module, Rule, RuleKind, Term } from './ast.ts';
import { RegoError } from './errors.ts';
import { type Token, tokenize } from './lexer.ts';
import { type KeywordSet, TermParser } from './parser-terms.ts';

export type RegoVersion = 'v0' | 'v1';

export interface ParseOptions {
  /** v1 (default): `if`/`contains` required and all keywords on. v0: OPA 0.x syntax unless `import rego.v1`. */
  readonly version?: RegoVersion;
}

const ALL_KEYWORDS: KeywordSet = { if: true, contains: true, in: true, every: true };
const NO_KEYWORDS: KeywordSet = { if: false, contains: false, in: false, every: false };

/** Parses one module. Throws RegoError (rego_parse_error) with file and row. */
export function parseModule(source: string, file: string, options: ParseOptions = {}): Module {
  const { tokens, comments } = tokenize(source, file);
  const parser = new ModuleParser(tokens, source, file, options.version ?? 'v1');
  const module = parser.parseModule();
  attachAnnotations(module, comments, source);
  return module;
}

/** Parses a query (a body) such as `data.test.p = x`. */
export function parseQuery(source: string, options: ParseOptions & { file?: string } = {}): Body {
  const file = options.file ?? 'query';
  const { tokens } = tokenize(source, file);
  const v1 = (options.version ?? 'v1') === 'v1';
  const parser = new TermParser(tokens, source, file, v1 ? { ...ALL_KEYWORDS } : { ...NO_KEYWORDS });
  const body = parser.parseQuery(undefined);
  if (body.length === 0) throw new RegoError('rego_parse_error', 'empty query', { file, row: 1, col: 1 });
  return body;
}

/** Parses a single term such as `{"a": [1, 2]}` (used for `input_term` and `with` values). */
export function parseTermText(source: string, file = 'term'): Term {
  const { tokens } = tokenize(source, file);
  const parser = new TermParser(tokens, source, file, { ...ALL_KEYWORDS });
  const term = parser.parseInfix(false);
  if (!parser.atEnd()) {
    throw new RegoError('rego_parse_error', 'unexpected trailing input', { file, row: 1, col: 1 });
  }
  return term;
}

class ModuleParser extends TermParser {
  private v1Rules: boolean;

  constructor(tokens: Token[], source: string, file: string, version: RegoVersion) {
    super(tokens, source, file, version === 'v1' ? { ...ALL_KEYWORDS } : { ...NO_KEYWORDS });
    this.v1Rules = version === 'v1';
  }

  parseModule(): Module {
    if (!this.isKeyword('package')) this.unexpected('expected package');
    const pkgTok = this.next();
    const packagePath = this.parsePathRef();
    if (packagePath[0] === 'data') packagePath.shift();
    if (packagePath.length === 0) this.fail('package path must not be empty', pkgTok);
    const imports: Import[] = [];
    while (this.isKeyword('import')) imports.push(this.parseImport());
    this.checkImports(imports);
    const rules: Rule[] = [];
    while (this.tok.kind !== 'eof') {
      if (this.isKeyword('import')) this.fail('imports must appear before rules');
      if (this.isKeyword('package')) this.fail('unexpected package');
      if (this.isPunct(';')) {
        this.next();
        continue;
      }
      rules.push(...this.parseRule());
    }
    return {
      file: this.file,
      packagePath,
      packageLoc: this.loc(pkgTok),
      imports,
      rules,
      annotations: [],
      v1: this.v1Rules,
    };
  }

  /** OPA's import rules: no alias used twice, and `rego.v1` excludes `future.keywords`. */
  private checkImports(imports: readonly Import[]): void {
    const seen = new Set<string>();
    const regoImports = imports.filter((i) => i.path[0] === 'rego');
    if (regoImports.length > 1) {
      throw new RegoError('rego_parse_error', 'duplicate import of rego.v1', (regoImports[1] as Import).loc);
    }
    const hasRegoV1 = regoImports.length > 0;
    for (const imp of imports) {
      if (imp.path[0] === 'future' && hasRegoV1) {
        throw new RegoError(
          'rego_parse_error',
          'the `rego.v1` import implies `future.keywords`, these are therefore mutually exclusive',
          imp.loc,
        );
      }
      if (imp.path[0] !== 'input' && imp.path[0] !== 'data') continue;
      const name = imp.alias ?? (imp.path[imp.path.length - 1] as string);
      if (seen.has(name))
        throw new RegoError('rego_compile_error', `import must not shadow ${imp.path.join('.')}`, imp.loc);
      seen.add(name);
    }
  }

  private parseImport(): Import {
    const t = this.next();
    const path = this.parsePathRef();
    let alias: string | undefined;
    if (this.isKeyword('as')) {
      this.next();
      const a = this.tok;
      if (
        a.kind !== 'ident' ||
        this.isKeyword(a.text) ||
        ['not', 'some', 'with', 'as', 'default', 'else', 'import', 'package', 'true', 'false', 'null'].includes(a.text)
      ) {
        this.unexpected('expected identifier');
      }
      if (a.text === '_') this.fail('`_` cannot be used as alias', a);
      alias = this.next().text;
    }
    const head = path[0];
    if (head === 'future') {
      if (path[1] !== 'keywords' || path.length > 3) this.fail('invalid import, must be future.keywords', t);
      if (alias !== undefined) this.fail('future keyword imports cannot be aliased', t);
      const word = path[2];
      if (word === undefined) {
        Object.assign(this.keywords, ALL_KEYWORDS);
      } else if (word in this.keywords) {
        this.keywords[word as keyof KeywordSet] = true;
        if (word === 'every') this.keywords.in = true;
      } else {
        this.fail(`unexpected keyword, must be one of [contains every if in]`, t);
      }
    } else if (head === 'rego') {
      if (path.length !== 2 || path[1] !== 'v1') this.fail('invalid import, must be rego.v1', t);
      if (alias !== undefined) this.fail('rego.v1 import cannot be aliased', t);
      Object.assign(this.keywords, ALL_KEYWORDS);
      this.v1Rules = true;
    } else if (head !== 'input' && head !== 'data') {
      this.fail(`invalid import path: must begin with input or data`, t);
    } else if (alias === undefined && path.length === 1 && head === 'data') {
      // `import data` is allowed and binds `data`.
    }
    return { path, alias, loc: this.loc(t) };
  }

  /** One rule, or several when v0 writes multiple bodies (`p { a } { b }`). */
  private parseRule(): Rule[] {
    const start = this.tok;
    const isDefault = this.isKeyword('default');
    if (isDefault) this.next();
    const ref = this.parseRuleRef();
    let args: Term[] | undefined;
    if (this.isPunct('(') && !this.tok.newlineBefore) {
      this.next();
      args = [];
      while (!this.isPunct(')')) {
        args.push(this.parseInfix(false));
        if (this.isPunct(',')) this.next();
        else if (!this.isPunct(')')) this.unexpected('expected , or )');
      }
      this.next();
    }
    let key: Term | undefined;
    let value: Term | undefined;
    if (this.isKeyword('contains')) {
      if (args !== undefined || isDefault) this.fail('unexpected contains keyword');
      this.next();
      key = this.parseInfix(true);
    } else if (this.isPunct(':=') || this.isPunct('=')) {
      this.next();
      value = this.parseInfix(true);
    }
    if (isDefault) {
      if (value === undefined) this.fail('illegal default rule (must have a value)', start);
      return [
        this.makeRule(
          args ? 'function' : 'complete',
          ref,
          undefined,
          value,
          args,
          [this.trueBody(start)],
          [],
          true,
          start,
        ),
      ];
    }

    let kind: RuleKind;
    if (args !== undefined) kind = 'function';
    else if (key !== undefined) kind = 'multi';
    else {
      const last = ref[ref.length - 1] as Term;
      const dynamic = ref.length > 1 && !(last.type === 'scalar' && typeof last.value === 'string');
      const twoTerms = ref.length === 2 && last.type === 'scalar' && typeof last.value === 'string';
      if ((dynamic || twoTerms) && value === undefined && !this.v1Rules) {
        // v0: `p[x] { … }` is a partial set.
        kind = 'multi';
        key = last;
        ref.pop();
      } else if (ref.slice(1).some((t) => !(t.type === 'scalar' && typeof t.value === 'string'))) {
        kind = 'object';
      } else {
        kind = 'complete';
      }
    }

    const bodies: Body[] = [];
    const elses: ElseClause[] = [];
    const first = this.parseOptionalBody(start);
    if (first === undefined) {
      if (value === undefined && key === undefined && args === undefined && this.v1Rules && kind !== 'multi') {
        this.fail('rule must have a value or a body', start);
      }
      bodies.push([this.trueBody(start)]);
    } else {
      bodies.push(first);
      while (this.isPunct('{') && !this.tok.newlineBefore && !this.v1Rules) {
        bodies.push(this.parseBraceBody());
      }
      while (this.isKeyword('else')) {
        if (bodies.length > 1) this.fail('else keyword cannot be used on multiple rules');
        if (kind === 'multi' || kind === 'object') this.fail('else keyword cannot be used on multi-value rules');
        elses.push(this.parseElse());
      }
    }
    if (first === undefined && this.isKeyword('else')) this.fail('else keyword cannot be used on rule without body');
    return bodies.map((body) => this.makeRule(kind, ref, key, value, args, body, elses, false, start));
  }

  private trueBody(at: Token): Expr {
    return {
      literal: { kind: 'expr', term: { type: 'scalar', value: true, loc: this.loc(at) } },
      negated: false,
      withs: [],
      loc: this.loc(at),
    };
  }

  /** `if { … }`, `if literal`, or v0 `{ … }`; undefined when the rule has no body. */
  private parseOptionalBody(start: Token): Body | undefined {
    if (this.isKeyword('if')) {
      this.next();
      if (this.isPunct('{')) {
        const save = this.pos;
        try {
          return this.parseBraceBody();
        } catch (error) {
          // `if {…}` may also be a single literal that starts with an object or set.
          this.pos = save;
          try {
            return [this.parseLiteralWithModifiers()];
          } catch {
            throw error;
          }
        }
      }
      return [this.parseLiteralWithModifiers()];
    }
    if (this.isPunct('{') && (!this.tok.newlineBefore || !this.v1Rules)) {
      if (this.v1Rules) this.fail('`if` keyword is required before rule body', start);
      return this.parseBraceBody();
    }
    return undefined;
  }

  private parseElse(): ElseClause {
    const t = this.next();
    let value: Term | undefined;
    if (this.isPunct(':=') || this.isPunct('=')) {
      this.next();
      value = this.parseInfix(false);
    }
    const body = this.parseOptionalBody(t) ?? [this.trueBody(t)];
    return { value, body, loc: this.loc(t) };
  }

  /** `name(.name | [term])*` */
  private parseRuleRef(): Term[] {
    const first = this.tok;
    if (first.kind !== 'ident' || this.isKeyword(first.text)) this.unexpected('expected rule name');
    this.next();
    const ref: Term[] = [{ type: 'scalar', value: first.text, loc: this.loc(first) }];
    while (!this.tok.spaceBefore) {
      if (this.isPunct('.')) {
        this.next();
        const k = this.tok;
        if (k.kind !== 'ident' || k.spaceBefore) this.unexpected('expected identifier');
        this.next();
        ref.push({ type: 'scalar', value: k.text, loc: this.loc(k) });
      } else if (this.isPunct('[')) {
        this.next();
        ref.push(this.parseInfix(false));
        this.expectPunct(']');
      } else {
        break;
      }
    }
    return ref;
  }

  private makeRule(
    kind: RuleKind,
    ref: Term[],
    key: Term | undefined,
    value: Term | undefined,
    args: Term[] | undefined,
    body: Body,
    elses: ElseClause[],
    isDefault: boolean,
    start: Token,
  ): Rule {
    const endTok = this.tokens[Math.max(0, this.pos - 1)] as Token;
    return {
      kind,
      ref: [...ref],
      key,
      value,
      args,
      body,
      elses,
      isDefault,
      loc: this.loc(start),
      text: this.source.slice(start.offset, endTok.end),
    };
  }
}
