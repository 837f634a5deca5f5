import type { Package } from '../../types.ts';
import { splitLicenses } from '../license-text.ts';

const SPEC_NEW = 'Gem::Specification.new';

/** `"async".freeze` → `async` */
function unquote(value: string): string {
  let text = value.trim();
  if (text.endsWith('.freeze')) text = text.slice(0, -'.freeze'.length);
  return text.replace(/^['"]+|['"]+$/g, '');
}

/** The first capture of `pattern` in `line`, or empty. */
function capture(pattern: RegExp, line: string): string {
  return pattern.exec(line)?.[1] ?? '';
}

/**
 * An installed gem's specification (`specifications/*.gemspec`, Ruby source written by RubyGems):
 * name, version and licences from the `<var>.name = …` assignments of the
 * `Gem::Specification.new do |<var>|` block, read line by line as Trivy does.
 */
export function parseGemspec(text: string): Package {
  let variable = '';
  let name = '';
  let version = '';
  let license = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.includes(SPEC_NEW)) variable = capture(/\|(.*)\|/, line);
    if (variable === '') continue;
    if (line.startsWith(`${variable}.name`)) {
      name = unquote(capture(/\.name\s*=\s*(\S+)/, line));
    } else if (line.startsWith(`${variable}.version`)) {
      version = unquote(capture(/\.version\s*=\s*(\S+)/, line));
    } else if (line.startsWith(`${variable}.licenses`)) {
      license = capture(/\.licenses\s*=\s*\[(.+)\]/, line)
        .split(',')
        .map(unquote)
        .join(', ');
    } else if (line.startsWith(`${variable}.license`)) {
      license = unquote(capture(/\.license\s*=\s*(\S+)/, line));
    }
    if (name !== '' && version !== '' && license !== '') break;
  }
  if (name === '' || version === '') throw new SyntaxError('failed to parse gemspec');
  return { Name: name, Version: version, Licenses: splitLicenses(license) };
}
