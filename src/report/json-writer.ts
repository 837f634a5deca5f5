import type { Report } from './types.ts';

/** Trivy's JSON form: two-space indentation and a trailing newline; empty fields are omitted. */
export function renderJsonReport(report: Report): string {
  return `${JSON.stringify(report, dropEmpty, 2)}\n`;
}

function dropEmpty(_key: string, value: unknown): unknown {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value) && value.length === 0) return undefined;
  return value;
}
