import { ObjectValue, type Value } from '../value.ts';

/** Metadata keys result.new copies from the cause, and the result key each fills. */
const COPIED: ReadonlyArray<readonly [string, string]> = [
  ['startline', 'startline'],
  ['StartLine', 'startline'],
  ['endline', 'endline'],
  ['EndLine', 'endline'],
  ['filepath', 'filepath'],
  ['sourceprefix', 'sourceprefix'],
  ['Path', 'filepath'],
  ['explicit', 'explicit'],
  ['managed', 'managed'],
  ['fskey', 'fskey'],
  ['resource', 'resource'],
];

function field(v: Value, key: string): Value | undefined {
  return v instanceof ObjectValue ? v.get(key) : undefined;
}

/**
 * Trivy's result.new(msg, cause): a result object with the cause's location metadata, read from
 * `cause.__defsec_metadata` (cloud and Kubernetes inputs) or the cause itself (Dockerfiles), and
 * its parent's, recursively.
 */
export function createResult(msg: Value | null, cause: Value, withMessage: boolean): ObjectValue {
  const out = new ObjectValue();
  out.set('startline', 0);
  out.set('endline', 0);
  out.set('sourceprefix', '');
  out.set('filepath', '');
  out.set('explicit', false);
  out.set('managed', true);
  out.set('fskey', '');
  out.set('resource', '');
  out.set('parent', null);
  if (withMessage) out.set('msg', msg);
  const meta = field(cause, '__defsec_metadata') ?? cause;
  for (const [from, to] of COPIED) {
    const v = field(meta, from);
    if (v !== undefined) out.set(to, v);
  }
  const parent = field(meta, 'parent');
  if (parent !== undefined) out.set('parent', createResult(null, parent, false));
  return out;
}
