import semver from 'semver';
import { versionScheme } from '../../../version/index.ts';

// A bare version (go-version's loose grammar): Cargo reads it as a caret requirement.
const BARE_VERSION = /^v?\d+(\.\d+)*(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/**
 * Whether a locked version meets a Cargo version requirement (`1.2` = `^1.2`, `~1.2`, `>= 1, < 2`,
 * `1.*`, `*`). Throws when the version or requirement does not parse.
 */
export function satisfiesCargoRequirement(version: string, requirement: string): boolean {
  let range = requirement.trim();
  if (BARE_VERSION.test(range)) range = `^${range}`;
  // go-version's strict `semver.Parse`, as Trivy checks the locked version.
  if (!versionScheme('semver').isValid(version)) throw new Error(`version error (${version})`);
  const nodeRange = range.replace(/\s*,\s*/g, ' ');
  if (semver.validRange(nodeRange) === null) throw new Error(`constraint error (${requirement})`);
  return semver.satisfies(version, nodeRange);
}
