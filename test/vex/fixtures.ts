import { fileURLToPath } from 'node:url';

/** Paths into test/fixtures/vex (see SOURCES.md there). */
export const FIXTURES = fileURLToPath(new URL('../fixtures/vex/', import.meta.url));

export function fixture(path: string): string {
  return `${FIXTURES}${path}`;
}
