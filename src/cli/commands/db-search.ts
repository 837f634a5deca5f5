import type { CommandDefinition } from '../command.ts';
import { defineOption } from '../option-spec.ts';

/** What `vigil db search` runs, loaded only when it runs: parsing a command line never loads it. */
const actions = () => import('../actions/db-search.ts');

export const searchFormatOption = defineOption({
  name: 'format',
  short: 'f',
  kind: 'string',
  valueName: 'FORMAT',
  description: 'output format',
  choices: ['table', 'json'],
  defaultValue: () => 'table',
  group: 'Search Options:',
});

export const dbSearchCommand: CommandDefinition = {
  name: 'search',
  summary: 'print advisories from the cached DB by vulnerability ID or by ecosystem and package',
  description:
    'Search the cached vulnerability DB (<cache-dir>/db/trivy.db) offline. With one argument, print the ' +
    'vulnerability and every advisory for that ID; with two, every advisory for a package: a language ' +
    'ecosystem (npm, pip, go, maven, …) searches all of its sources, an OS name (debian, alpine 3.19, ' +
    '"Red Hat") its release buckets.',
  arguments: [
    { name: 'ID|ECOSYSTEM', required: true, description: 'a vulnerability ID, or an ecosystem such as npm' },
    { name: 'PACKAGE', description: 'package name, when the first argument is an ecosystem' },
  ],
  options: [searchFormatOption],
  examples: ['vigil db search CVE-2019-11358', 'vigil db search npm jquery', 'vigil db search debian openssl -f json'],
  run: async (context) => (await actions()).runSearch(context),
};
