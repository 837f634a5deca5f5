import {
  type Checked,
  type Comparison,
  failure,
  type MatchOptions,
  ok,
  type SchemeName,
  type VersionScheme,
} from './types.ts';

/** Longer strings are refused before any parsing, so no input can make a regular expression crawl. */
export const MAX_VERSION_LENGTH = 512;
export const MAX_CONSTRAINT_LENGTH = 64 * 1024;

/** A parsed constraint: does this parsed version satisfy it? */
export type VersionPredicate<V> = (version: V) => boolean;

/**
 * The base of every scheme: a scheme writes how to parse a version, how to order two parsed
 * versions and how to read its constraint syntax; validity, comparison and matching follow.
 */
export abstract class ParsedVersionScheme<V> implements VersionScheme {
  abstract readonly name: SchemeName;

  /** Parses a version no longer than MAX_VERSION_LENGTH. */
  protected abstract parseVersion(version: string): Checked<V>;

  protected abstract compareParsed(a: V, b: V): Comparison;

  /** Parses a constraint no longer than MAX_CONSTRAINT_LENGTH. */
  protected abstract parseConstraint(constraint: string, options: MatchOptions): Checked<VersionPredicate<V>>;

  parse(version: string): Checked<V> {
    if (version.length > MAX_VERSION_LENGTH) {
      return failure(`${this.name} version longer than ${MAX_VERSION_LENGTH} characters`);
    }
    return this.parseVersion(version);
  }

  isValid(version: string): boolean {
    return this.parse(version).ok;
  }

  compare(a: string, b: string): Checked<Comparison> {
    const left = this.parse(a);
    if (!left.ok) return left;
    const right = this.parse(b);
    if (!right.ok) return right;
    return ok(this.compareParsed(left.value, right.value));
  }

  satisfies(version: string, constraint: string, options: MatchOptions = {}): Checked<boolean> {
    const parsed = this.parse(version);
    if (!parsed.ok) return parsed;
    if (constraint.length > MAX_CONSTRAINT_LENGTH) {
      return failure(`${this.name} constraint longer than ${MAX_CONSTRAINT_LENGTH} characters`);
    }
    const predicate = this.parseConstraint(constraint, options);
    if (!predicate.ok) return predicate;
    return ok(predicate.value(parsed.value));
  }
}
