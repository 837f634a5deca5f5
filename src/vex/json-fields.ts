import { VigilError } from '../errors/index.ts';

/**
 * Small readers for untrusted JSON: every parser reads fields through these so a wrong type
 * becomes one clear error naming the file and the field, never a crash further on.
 */
export type JsonObject = Record<string, unknown>;

/** A field's place in the document, for messages; a function so the string is built only on error. */
export type Where = string | (() => string);

export function at(where: Where): string {
  return typeof where === 'string' ? where : where();
}

const EMPTY: JsonObject = Object.freeze({}) as JsonObject;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function invalidVex(source: string, detail: string): VigilError {
  return new VigilError('VEX_INVALID', `invalid VEX document ${source}: ${detail}`, {
    hint: 'check that the file is OpenVEX, CSAF 2.x VEX or CycloneDX VEX JSON',
  });
}

export function optionalString(source: string, object: JsonObject, field: string, where: Where): string | undefined {
  const value = object[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidVex(source, `${at(where)}.${field} must be a string`);
  return value;
}

export function optionalArray(source: string, object: JsonObject, field: string, where: Where): unknown[] {
  const value = object[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidVex(source, `${at(where)}.${field} must be an array`);
  return value;
}

export function optionalObject(source: string, object: JsonObject, field: string, where: Where): JsonObject {
  const value = object[field];
  if (value === undefined || value === null) return EMPTY;
  if (!isObject(value)) throw invalidVex(source, `${at(where)}.${field} must be an object`);
  return value;
}

/** RFC 3339 time → epoch milliseconds; undefined when absent, an error when unreadable. */
export function optionalTime(source: string, object: JsonObject, field: string, where: Where): number | undefined {
  const text = optionalString(source, object, field, where);
  if (text === undefined || text === '') return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw invalidVex(source, `${at(where)}.${field} is not a date: ${JSON.stringify(text)}`);
  return ms;
}

/** Strings of an array field, skipping nothing: a non-string element is an error. */
export function stringArray(source: string, object: JsonObject, field: string, where: Where): string[] {
  return optionalArray(source, object, field, where).map((item, index) => {
    if (typeof item !== 'string') throw invalidVex(source, `${at(where)}.${field}[${index}] must be a string`);
    return item;
  });
}
