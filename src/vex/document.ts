import { open } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { describeError, VigilError } from '../errors/index.ts';
import { isCsaf, parseCsaf } from './csaf.ts';
import { isCycloneDx, parseCycloneDx } from './cyclonedx.ts';
import { invalidVex, isObject } from './json-fields.ts';
import type { VexDocument } from './model.ts';
import { isOpenVex, parseOpenVex } from './openvex.ts';

/** The largest VEX document read (the biggest VEX Hub document is about 1 MB; Red Hat CSAF files reach tens). */
export const MAX_VEX_DOCUMENT_BYTES = 128 * 1024 * 1024;

export type ExpectedFormat = 'openvex' | 'csaf';

/**
 * Parses a VEX document, recognising the format as Trivy does: CycloneDX (`bomFormat`), then
 * OpenVEX (`@context`), then CSAF (`vulnerabilities`). An in-toto statement whose predicate is
 * OpenVEX is unwrapped; YAML is read as OpenVEX (go-vex's YAML form). `expected` is a VEX
 * repository index's `format`, which must then be what the document is.
 */
export function parseVexDocument(text: string, source: string, expected?: ExpectedFormat): VexDocument {
  const json = readStructured(text, source);
  const body = isObject(json) && isObject(json.predicate) && isOpenVex(json.predicate) ? json.predicate : json;
  if (expected === 'csaf') {
    if (!isCsaf(body)) throw invalidVex(source, 'the index says CSAF, but it has no CSAF vulnerabilities');
    return parseCsaf(body, source);
  }
  if (expected === 'openvex') {
    if (!isOpenVex(body)) throw invalidVex(source, 'the index says OpenVEX, but it has no OpenVEX @context');
    return parseOpenVex(body, source);
  }
  if (isCycloneDx(body)) return parseCycloneDx(body, source);
  if (isOpenVex(body)) return parseOpenVex(body, source);
  if (isCsaf(body)) return parseCsaf(body, source);
  // go-vex's YAML documents carry no @context, only statements.
  if (isObject(body) && Array.isArray(body.statements) && !text.trimStart().startsWith('{')) {
    return parseOpenVex(body, source);
  }
  throw invalidVex(source, 'not OpenVEX (no @context), CSAF (no vulnerabilities) or CycloneDX (no bomFormat)');
}

function readStructured(text: string, source: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw invalidVex(source, `not valid JSON: ${describeError(error)}`);
    }
  }
  try {
    return parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw invalidVex(source, `neither JSON nor YAML: ${describeError(error)}`);
  }
}

/** Reads and parses a VEX file given with --vex; a missing, oversized or unreadable file is an error naming it. */
export async function loadVexFile(path: string, expected?: ExpectedFormat, source = path): Promise<VexDocument> {
  return parseVexDocument(await readBoundedText(path, MAX_VEX_DOCUMENT_BYTES, source), source, expected);
}

export async function readBoundedText(path: string, limit: number, label = path): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new VigilError('VEX_UNREADABLE', `cannot read VEX document ${label}: ${describeError(error)}`, {
      hint: 'check the path given with --vex',
    });
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new VigilError('VEX_UNREADABLE', `VEX document ${label} is not a regular file`);
    if (info.size > limit) {
      throw new VigilError(
        'VEX_TOO_LARGE',
        `VEX document ${label} is ${info.size} bytes, over the ${limit}-byte limit`,
      );
    }
    const bytes = await handle.readFile();
    // The file may have grown since stat.
    if (bytes.length > limit) {
      throw new VigilError('VEX_TOO_LARGE', `VEX document ${label} is over the ${limit}-byte limit`);
    }
    return bytes.toString('utf8');
  } finally {
    await handle.close();
  }
}
