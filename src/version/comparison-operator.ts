import type { Comparison } from './types.ts';

/**
 * The plain comparison operators every constraint syntax here shares (go-version and the
 * libraries built on it, go-mvn-version, Trivy's OS constraints): a bare version, `=` and `==`
 * mean equal; `=>` and `=<` are other spellings of `>=` and `<=`.
 */
const ACCEPTED_ORDERS: Readonly<Record<string, readonly Comparison[]>> = {
  '': [0],
  '=': [0],
  '==': [0],
  '!=': [-1, 1],
  '>': [1],
  '<': [-1],
  '>=': [0, 1],
  '=>': [0, 1],
  '<=': [-1, 0],
  '=<': [-1, 0],
};

/**
 * Whether `order` (the version compared with the operator's bound) satisfies a plain comparison
 * operator; undefined for any other operator, which the scheme handles itself.
 */
export function satisfiesComparison(operator: string, order: Comparison): boolean | undefined {
  return Object.hasOwn(ACCEPTED_ORDERS, operator) ? ACCEPTED_ORDERS[operator]?.includes(order) : undefined;
}
