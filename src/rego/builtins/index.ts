import type { BuiltinDefinition } from '../compiled.ts';
import { trivyBuiltins } from '../trivy/index.ts';
import { aggregateBuiltins } from './aggregates.ts';
import { collectionBuiltins } from './collections.ts';
import { encodingBuiltins } from './encoding.ts';
import { globBuiltins } from './glob.ts';
import { jsonPatchBuiltins } from './json-patch.ts';
import { miscBuiltins } from './misc.ts';
import { netBuiltins } from './net.ts';
import { numberBuiltins } from './numbers.ts';
import { objectBuiltins } from './objects.ts';
import { operatorBuiltins } from './operators.ts';
import { regexBuiltins } from './regex.ts';
import { stringBuiltins } from './strings.ts';
import { timeBuiltins } from './time.ts';
import { typeBuiltins } from './types.ts';
import { unitBuiltins } from './units.ts';

/** OPA's builtins (those Trivy's checks use, and their neighbours) plus the operators. */
export function opaBuiltins(): BuiltinDefinition[] {
  return [
    ...operatorBuiltins,
    ...aggregateBuiltins,
    ...collectionBuiltins,
    ...encodingBuiltins,
    ...globBuiltins,
    ...jsonPatchBuiltins,
    ...miscBuiltins,
    ...netBuiltins,
    ...numberBuiltins,
    ...objectBuiltins,
    ...regexBuiltins,
    ...stringBuiltins,
    ...timeBuiltins,
    ...typeBuiltins,
    ...unitBuiltins,
  ];
}

/** OPA's builtins and Trivy's custom ones (result.new, isManaged, sh.parse_commands, …), by name. */
export function defaultBuiltins(): Map<string, BuiltinDefinition> {
  const map = new Map<string, BuiltinDefinition>();
  for (const b of opaBuiltins()) map.set(b.name, b);
  for (const b of trivyBuiltins) map.set(b.name, b);
  return map;
}
