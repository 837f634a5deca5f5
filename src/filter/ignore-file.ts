import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { describeError, VigilError } from '../errors/index.ts';

/** One rule from an ignore file: an ID, optionally limited to paths or PURLs, optionally expiring. */
export interface IgnoreRule {
  id: string;
  expiresAt?: Date;
  paths?: string[];
  purls?: string[];
  statement?: string;
}

const MAX_IGNORE_FILE = 4 * 1024 * 1024;

/**
 * Reads `.trivyignore` (one ID per line, `exp:YYYY-MM-DD` to expire, `#` comments) or the YAML
 * form `.trivyignore.yaml` (`vulnerabilities: [{id, paths, purls, expired_at, statement}]`).
 * A missing default file is no error; a missing explicit one is.
 */
export async function loadIgnoreFile(path: string, explicit: boolean): Promise<IgnoreRule[]> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_IGNORE_FILE) throw new Error('larger than 4 MiB');
    text = bytes.toString('utf8');
  } catch (error) {
    if (!explicit && (error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new VigilError('IGNORE_FILE_UNREADABLE', `cannot read ignore file ${path}: ${describeError(error)}`, {
      hint: 'pass an existing file with --ignorefile',
    });
  }
  return /\.ya?ml$/i.test(path) ? parseYamlIgnore(text, path) : parseTextIgnore(text, path);
}

export function parseTextIgnore(text: string, path: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const [id, ...fields] = line.split(/\s+/);
    const rule: IgnoreRule = { id: id as string };
    for (const field of fields) {
      if (!field.startsWith('exp:')) continue;
      const date = parseDay(field.slice(4));
      if (!date) {
        throw new VigilError('IGNORE_FILE_INVALID', `${path}:${index + 1}: invalid expiry ${JSON.stringify(field)}`, {
          hint: 'write the date as exp:YYYY-MM-DD',
        });
      }
      rule.expiresAt = date;
    }
    rules.push(rule);
  }
  return rules;
}

function parseYamlIgnore(text: string, path: string): IgnoreRule[] {
  let document: unknown;
  try {
    document = parse(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new VigilError('IGNORE_FILE_INVALID', `${path} is not valid YAML: ${describeError(error).split('\n')[0]}`, {
      hint: 'fix the YAML syntax at the position shown',
    });
  }
  const entries = (document as { vulnerabilities?: unknown } | null)?.vulnerabilities;
  if (entries === undefined) return [];
  if (!Array.isArray(entries)) {
    throw new VigilError('IGNORE_FILE_INVALID', `${path}: "vulnerabilities" must be a list`, {
      hint: 'write entries like:  vulnerabilities: [{id: CVE-2024-1234, statement: "not reachable"}]',
    });
  }
  return entries.map((entry: Record<string, unknown>, index) => {
    if (!entry || typeof entry.id !== 'string') {
      throw new VigilError('IGNORE_FILE_INVALID', `${path}: vulnerabilities[${index}] has no id`, {
        hint: 'every entry needs an id such as CVE-2024-1234',
      });
    }
    const rule: IgnoreRule = { id: entry.id };
    const expiry = entry.expired_at;
    if (expiry !== undefined) {
      const date = expiry instanceof Date ? expiry : parseDay(String(expiry));
      if (!date) {
        throw new VigilError('IGNORE_FILE_INVALID', `${path}: vulnerabilities[${index}].expired_at is not a date`, {
          hint: 'write it as YYYY-MM-DD',
        });
      }
      rule.expiresAt = date;
    }
    if (Array.isArray(entry.paths)) rule.paths = entry.paths.map(String);
    if (Array.isArray(entry.purls)) rule.purls = entry.purls.map(String);
    if (typeof entry.statement === 'string') rule.statement = entry.statement;
    return rule;
  });
}

function parseDay(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const date = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
