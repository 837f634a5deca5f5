import type { Advisory, RedHatEntry, Vulnerability } from '../db/trivydb/index.ts';
import { STATUS_NAMES } from '../db/trivydb/index.ts';

/**
 * Decodes trivy.db values with the strictness of Go's encoding/json into trivy-db's structs:
 * `null` is the zero value, unknown fields are ignored, and a field of the wrong JSON type is an
 * error (Trivy then fails the scan with "failed to get … advisories"), never a wrong answer.
 */

/** A value check: undefined when acceptable, else what is wrong. */
type FieldCheck = (value: unknown) => string | undefined;

const isString: FieldCheck = (v) => (v === null || typeof v === 'string' ? undefined : 'a string');
const isInt: FieldCheck = (v) =>
  v === null || (typeof v === 'number' && Number.isSafeInteger(v)) ? undefined : 'an integer';
const isNumber: FieldCheck = (v) => (v === null || typeof v === 'number' ? undefined : 'a number');
const isAny: FieldCheck = () => undefined;
/** Status is stored as an int; trivy-db also reads its string name. */
const isStatus: FieldCheck = (v) =>
  v === null || (typeof v === 'number' && Number.isSafeInteger(v)) || typeof v === 'string' ? undefined : 'a status';
const isTime: FieldCheck = (v) =>
  v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v))) ? undefined : 'an RFC 3339 time';

function listOf(item: FieldCheck): FieldCheck {
  return (v) => {
    if (v === null) return undefined;
    if (!Array.isArray(v)) return 'a list';
    for (const element of v) if (item(element) !== undefined) return `a list of ${item(element)}`;
    return undefined;
  };
}

function mapOf(item: FieldCheck): FieldCheck {
  return (v) => {
    if (v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) return 'an object';
    for (const element of Object.values(v)) if (item(element) !== undefined) return `an object of ${item(element)}`;
    return undefined;
  };
}

function objectOf(shape: Readonly<Record<string, FieldCheck>>): FieldCheck {
  return (v) => {
    if (v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) return 'an object';
    // for…in: a JSON.parse result has only its own plain properties, and no entry pairs are allocated.
    for (const field in v) {
      const check = shape[field];
      const problem = check?.((v as Record<string, unknown>)[field]);
      if (problem !== undefined) return `${field} must be ${problem}`;
    }
    return undefined;
  };
}

const strings = listOf(isString);

const DATA_SOURCE = objectOf({ ID: isString, Name: isString, URL: isString, BaseID: isString });

/** Oracle OVAL keeps one fixed version per set of architectures. */
const ORACLE_ENTRY = objectOf({ FixedVersion: isString, Arches: strings, VendorIDs: strings });

const ADVISORY = objectOf({
  VulnerabilityID: isString,
  VendorIDs: strings,
  OSes: strings,
  Arches: strings,
  Status: isStatus,
  Severity: isInt,
  FixedVersion: isString,
  AffectedVersion: isString,
  VulnerableVersions: strings,
  PatchedVersions: strings,
  UnaffectedVersions: strings,
  DataSource: DATA_SOURCE,
  Entries: listOf(ORACLE_ENTRY),
  Custom: isAny,
});

const CVSS = objectOf({
  V2Vector: isString,
  V3Vector: isString,
  V40Vector: isString,
  V2Score: isNumber,
  V3Score: isNumber,
  V40Score: isNumber,
});

const VULNERABILITY = objectOf({
  Title: isString,
  Description: isString,
  Severity: isString,
  CweIDs: strings,
  VendorSeverity: mapOf(isInt),
  CVSS: mapOf(CVSS),
  References: strings,
  PublishedDate: isTime,
  LastModifiedDate: isTime,
  Custom: isAny,
});

const RED_HAT_ENTRY = objectOf({
  FixedVersion: isString,
  Cves: listOf(objectOf({ ID: isString, Severity: isInt })),
  Arches: strings,
  Status: isStatus,
  Affected: listOf(isInt),
});
const RED_HAT_VALUE = objectOf({ Entries: listOf(RED_HAT_ENTRY) });

/** Thrown for a value Go's json.Unmarshal would refuse; callers add which lookup failed. */
export class DbValueError extends Error {
  constructor(where: string, problem: string) {
    super(`json unmarshal error at ${where}: ${problem}`);
    this.name = 'DbValueError';
  }
}

/** Where a value lies, named only when it fails: building the path for every value would cost more than parsing it. */
export type ValuePlace = string | (() => string);

function placeName(where: ValuePlace): string {
  return typeof where === 'string' ? where : where();
}

function parse(raw: Buffer, where: ValuePlace, check: FieldCheck, typeName: string): Record<string, unknown> {
  return parseAt(raw, 0, raw.length, where, check, typeName);
}

/** The JSON object at `bytes[start, end)`, checked against `check`, without its null fields. */
function parseAt(
  bytes: Buffer,
  start: number,
  end: number,
  where: ValuePlace,
  check: FieldCheck,
  typeName: string,
): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8', start, end));
  } catch (error) {
    throw new DbValueError(placeName(where), (error as Error).message);
  }
  if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
    throw new DbValueError(
      placeName(where),
      `cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into ${typeName}`,
    );
  }
  const problem = check(value);
  if (problem !== undefined) throw new DbValueError(placeName(where), problem);
  return withoutNulls(value as Record<string, unknown> | null);
}

/** Go leaves a field at its zero value for JSON null; dropping it gives the same object here. */
function withoutNulls(value: Record<string, unknown> | null): Record<string, unknown> {
  if (value === null) return {};
  // Most values have no null field: the parsed object itself is then the answer (it is fresh).
  let hasNull = false;
  for (const key in value) {
    if (value[key] === null) {
      hasNull = true;
      break;
    }
  }
  if (!hasNull) return value;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const field = value[key];
    if (field !== null) out[key] = field;
  }
  return out;
}

function statusNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Math.max((STATUS_NAMES as readonly string[]).indexOf(value.toLowerCase()), 0);
  return undefined;
}

export function decodeAdvisory(raw: Buffer, where: ValuePlace, id: string): Advisory {
  return decodeAdvisoryAt(raw, 0, raw.length, where, id);
}

/** decodeAdvisory on `bytes[start, end)`, for a value read in place from the page cache. */
export function decodeAdvisoryAt(bytes: Buffer, start: number, end: number, where: ValuePlace, id: string): Advisory {
  const advisory = parseAt(bytes, start, end, where, ADVISORY, 'types.Advisory') as Advisory & Record<string, unknown>;
  // The ID goes where a stored VulnerabilityID was, else last, as `{ ...value, VulnerabilityID }` puts it.
  advisory.VulnerabilityID = id;
  const status = statusNumber(advisory.Status);
  if (status === undefined) delete advisory.Status;
  else advisory.Status = status;
  return advisory;
}

export function decodeVulnerability(raw: Buffer, where: ValuePlace): Vulnerability {
  return decodeVulnerabilityAt(raw, 0, raw.length, where);
}

export function decodeVulnerabilityAt(bytes: Buffer, start: number, end: number, where: ValuePlace): Vulnerability {
  return parseAt(bytes, start, end, where, VULNERABILITY, 'types.Vulnerability') as Vulnerability;
}

export function decodeRedHatEntries(raw: Buffer, where: string): RedHatEntry[] {
  const value = parse(raw, where, RED_HAT_VALUE, 'redhat.Advisory');
  const entries = (value.Entries ?? []) as Array<Record<string, unknown> | null>;
  return entries.map((entry) => {
    const clean = withoutNulls(entry);
    const status = statusNumber(clean.Status);
    return { ...clean, Status: status } as RedHatEntry;
  });
}
