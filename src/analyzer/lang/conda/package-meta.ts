import type { Package } from '../../types.ts';
import { asRecord, asString } from '../document-values.ts';

/** A conda-meta/<name>-<version>-<build>.json record of an installed conda package. */
export function parseCondaMeta(text: string): Package {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`JSON decode error: ${(error as Error).message}`);
  }
  const record = asRecord(value) ?? {};
  const name = asString(record.name) ?? '';
  const version = asString(record.version) ?? '';
  if (name === '' || version === '') throw new SyntaxError('unable to parse conda package');
  const license = asString(record.license) ?? '';
  return { Name: name, Version: version, Licenses: license === '' ? [] : [license] };
}
