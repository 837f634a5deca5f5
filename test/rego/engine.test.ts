/**
 * Engine behaviour the compliance suites do not pin down: exact big integers, value ordering,
 * import aliases over builtin namespaces, `with` mocking, annotations, errors, cancellation,
 * sessions, and robustness against hostile input.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVigilError } from '../../src/errors/index.ts';
import {
  fromJS,
  type ObjectValue,
  Policy,
  parseModule,
  RegoError,
  toJS,
  toJSONText,
  type Value,
} from '../../src/rego/index.ts';

function policy(...sources: string[]): Policy {
  return Policy.fromSources(sources.map((source, i) => ({ file: `m${i}.rego`, source })));
}

function value(p: Policy, path: string, input?: unknown): unknown {
  const v = p.evalPath(path.split('.'), { input: input === undefined ? undefined : fromJS(input) });
  return v === undefined ? undefined : toJS(v);
}

function regoError(fn: () => unknown): RegoError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RegoError) return error;
    throw error;
  }
  assert.fail('expected a RegoError');
}

describe('numbers', () => {
  it('keeps integers exact beyond 2^53 and prints them as written', () => {
    const p = policy(`package t
a := 9007199254740993 + 2
b := 4294967296 * 4294967296
c := b / 4294967296
d := 18446744073709551615 - 1
e := 7 / 2
f := 10 % 3
g := units.parse_bytes("10eb")
h := json.unmarshal("123456789012345678901234567890")
i := [x | x := numbers.range(9007199254740990, 9007199254740993)[_]]
`);
    const v = p.evalPath(['t']) as Value;
    assert.equal(
      toJSONText(v),
      '{"a":9007199254740995,"b":18446744073709551616,"c":4294967296,"d":18446744073709551614,"e":3.5,"f":1,' +
        '"g":10000000000000000000,"h":123456789012345678901234567890,' +
        '"i":[9007199254740990,9007199254740991,9007199254740992,9007199254740993]}',
    );
  });

  it('treats equal integers and floats as the same value', () => {
    const p = policy(`package t
same if 2.0 == 2
keys := {2: "int", 2.0: "float"}
`);
    assert.equal(value(p, 't.same'), true);
    assert.deepEqual(value(p, 't.keys'), { '2': 'float' });
  });
});

describe('values and ordering', () => {
  it('orders mixed keys and set members as OPA does, and iterates in that order', () => {
    const p = policy(`package t
s := {"b", 1, [1], {"k": 1}, null, true, set(), "a"}
ordered := [x | some x in s]
obj := {"b": 1, 1: 2, [0]: 3, "a": 4}
keys := [k | some k, _ in obj]
nested := object.keys({{"a": 1}: 1, {"a": 0}: 2})
`);
    assert.deepEqual(value(p, 't.ordered'), [null, true, 1, 'a', 'b', [1], { k: 1 }, []]);
    assert.deepEqual(value(p, 't.keys'), [1, 'a', 'b', [0]]);
    assert.deepEqual(value(p, 't.nested'), [{ a: 0 }, { a: 1 }]);
  });
});

describe('imports and name resolution', () => {
  it('lets an import alias shadow a builtin namespace, only where it is imported', () => {
    const p = policy(
      `package lib.net
cidr_contains(_, _) := "library"
`,
      `package uses_import
import data.lib.net
r := net.cidr_contains("10.0.0.0/8", "10.1.2.3")
`,
      `package uses_builtin
r := net.cidr_contains("10.0.0.0/8", "10.1.2.3")
`,
    );
    assert.equal(value(p, 'uses_import.r'), 'library');
    assert.equal(value(p, 'uses_builtin.r'), true);
  });

  it('resolves rules of the same package before builtins and through aliases', () => {
    const p = policy(
      `package a.b
f(x) := x + 1
g := f(1)
`,
      `package c
import data.a.b as lib
v := lib.f(10)
w := lib.g
`,
    );
    assert.equal(value(p, 'a.b.g'), 2);
    assert.equal(value(p, 'c.v'), 11);
    assert.equal(value(p, 'c.w'), 2);
  });
});

describe('with', () => {
  it('replaces input, data paths, functions and builtins for one expression', () => {
    const p = policy(`package t
import data.t.helper
helper(x) := x * 2
deny contains msg if {
  input.n > data.config.limit
  msg := sprintf("%d over %d", [input.n, data.config.limit])
}
check_input := n if {
  n := count(deny) with input as {"n": 5} with data.config.limit as 3
}
check_fn := n if {
  n := helper(4) with helper as 100
}
double(x) := x * 3
check_fn_fn := n if {
  n := helper(4) with helper as double
}
check_builtin := n if {
  n := count([1, 2, 3]) with count as 42
}
check_time := n if {
  n := time.now_ns() with time.now_ns as 7
}
`);
    assert.equal(value(p, 't.check_input'), 1);
    assert.equal(value(p, 't.check_fn'), 100);
    assert.equal(value(p, 't.check_fn_fn'), 12);
    assert.equal(value(p, 't.check_builtin'), 42);
    assert.equal(value(p, 't.check_time'), 7);
    assert.deepEqual(value(p, 't.deny', { n: 1 }), []);
  });
});

describe('annotations', () => {
  const source = `# METADATA
# title: Package title
# custom:
#   id: VGL-001
#   input:
#     selector:
#     - type: dockerfile
package annotated

import rego.v1

# METADATA
# title: Deny rule
# description: says no
deny contains msg if {
  chain := rego.metadata.chain()
  rule := rego.metadata.rule()
  msg := {"titles": [c.annotations.title | some c in chain], "rule": rule.title}
}
`;

  it('parses METADATA blocks and attaches them to the package and the rule', () => {
    const module = parseModule(source, 'a.rego');
    assert.equal(module.annotations.length, 2);
    const [pkg, rule] = module.annotations;
    assert.deepEqual(pkg?.path, ['annotated']);
    assert.equal(pkg?.scope, 'package');
    assert.deepEqual(pkg?.fields.custom, { id: 'VGL-001', input: { selector: [{ type: 'dockerfile' }] } });
    assert.equal(rule?.scope, 'rule');
    assert.deepEqual(rule?.path, ['annotated', 'deny']);
    assert.equal(module.rules[0]?.annotations?.[0]?.fields.title, 'Deny rule');
  });

  it('exposes them to rules through rego.metadata.chain() and rego.metadata.rule()', () => {
    const p = Policy.fromSources([{ file: 'a.rego', source }]);
    assert.deepEqual(value(p, 'annotated.deny'), [{ titles: ['Deny rule', 'Package title'], rule: 'Deny rule' }]);
    assert.equal(p.annotations().length, 2);
  });

  it('reports a broken METADATA block as a parse error with its line', () => {
    const err = regoError(() => parseModule('# METADATA\n# title: [unclosed\npackage x\n', 'b.rego'));
    assert.equal(err.regoCode, 'rego_parse_error');
    assert.equal(err.location?.row, 1);
  });
});

describe('errors', () => {
  it('locates parse, unsafe-variable and type errors', () => {
    const parse = regoError(() => policy('package t\np := [1, 2\n'));
    assert.match(parse.message, /^m0\.rego:\d+: rego_parse_error: /);
    const unsafe = regoError(() => policy('package t\np if { x > 1 }\n'));
    assert.equal(unsafe.regoCode, 'rego_unsafe_var_error');
    assert.match(unsafe.message, /var x is unsafe/);
    const undefinedFn = regoError(() => policy('package t\np := nope(1)\n'));
    assert.equal(undefinedFn.regoCode, 'rego_type_error');
  });

  it('raises conflicts always, builtin errors only in strict mode', () => {
    const p = policy(`package t
conflict := 1 if true
conflict := 2 if true
f(_) := 1
f(_) := 2
fn := f(0)
div := 1 / 0
`);
    assert.equal(regoError(() => p.evalPath(['t', 'conflict'])).regoCode, 'eval_conflict_error');
    assert.match(regoError(() => p.evalPath(['t', 'fn'])).message, /functions must not produce multiple outputs/);
    assert.equal(p.evalPath(['t', 'div']), undefined);
    const strict = regoError(() => p.evalPath(['t', 'div'], { strict: true }));
    assert.equal(strict.regoCode, 'eval_builtin_error');
    assert.match(strict.message, /m0\.rego:7: eval_builtin_error: div: divide by zero/);
  });

  it('stops when the signal aborts', () => {
    const p = policy(`package t
big := count([x | some x in numbers.range(1, 50000); x % 7 == 0])
`);
    const controller = new AbortController();
    controller.abort();
    assert.equal(
      regoError(() => p.evalPath(['t', 'big'], { signal: controller.signal })).regoCode,
      'eval_cancel_error',
    );
    assert.equal(value(p, 't.big'), 7142);
  });
});

describe('sessions', () => {
  it('evaluate a shared rule once for several queries on the same input', () => {
    const p = policy(
      `package lib
containers contains c if {
  print("computing")
  some c in input.spec.containers
}
`,
      `package check_a
import data.lib
deny contains c.name if { some c in lib.containers; c.privileged }
`,
      `package check_b
import data.lib
deny contains c.name if { some c in lib.containers; not c.image }
`,
    );
    const printed: string[] = [];
    const input = fromJS({
      spec: {
        containers: [
          { name: 'a', privileged: true },
          { name: 'b', image: 'x' },
        ],
      },
    });
    const session = p.session({ input, print: (line) => printed.push(line) });
    assert.deepEqual(toJS(session.evalPath(['check_a', 'deny']) as Value), ['a']);
    assert.deepEqual(toJS(session.evalPath(['check_b', 'deny']) as Value), ['a']);
    assert.equal(printed.length, 1, 'lib.containers was computed by the first query only');
  });
});

describe('robustness', () => {
  it('refuses deeply nested input with an error instead of overflowing the stack', () => {
    const deep = `package t\np := ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    assert.equal(regoError(() => policy(deep)).regoCode, 'rego_parse_error');
  });

  it('rejects random bytes with parse errors, never a crash', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet =
      'package t p q x := = == { } [ ] ( ) , ; : . " ` 1 2.5 -3 if contains some in every not with as _ \n #';
    const words = alphabet.split(' ');
    for (let i = 0; i < 300; i++) {
      const text = Array.from(
        { length: 5 + Math.floor(random() * 40) },
        () => words[Math.floor(random() * words.length)],
      ).join(' ');
      try {
        policy(text).evalPath(['t']);
      } catch (error) {
        assert.ok(isVigilError(error), `${JSON.stringify(text)} threw ${String(error)}`);
      }
    }
  });

  it('keeps object values it was given unchanged', () => {
    const input = fromJS({ a: { b: 1 } }) as ObjectValue;
    const p = policy(`package t
patched := x if {
  x := input with input.a.b as 2
}
`);
    p.evalPath(['t', 'patched'], { input });
    assert.deepEqual(toJS(input), { a: { b: 1 } });
  });
});
