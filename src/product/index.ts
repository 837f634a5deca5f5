import { readFileSync } from 'node:fs';

/** Facts about this build of Vigil, read once from package.json. */
const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export const PRODUCT_NAME = 'vigil';
export const PRODUCT_VERSION: string = packageJson.version;

/** The User-Agent every HTTP request carries. */
export function userAgent(): string {
  return `${PRODUCT_NAME}/${PRODUCT_VERSION}`;
}
