import { fileURLToPath } from 'node:url';

/** Where the inputs of the OS images live (see test/fixtures/os-images/SOURCES.md). */
export const FIXTURES = fileURLToPath(new URL('../fixtures/os-images/', import.meta.url));
export const fixture = (name: string) => `${FIXTURES}${name}`;

/** An os-release file: values quoted where the distributions quote them (anything beyond [A-Za-z0-9._-]). */
export const osRelease = (fields: Readonly<Record<string, string>>) =>
  `${Object.entries(fields)
    .map(([key, value]) => `${key}=${/^[A-Za-z0-9._-]+$/.test(value) ? value : `"${value}"`}`)
    .join('\n')}\n`;
