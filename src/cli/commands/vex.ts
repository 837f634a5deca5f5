import type { CommandDefinition } from '../command.ts';
import { defineOption } from '../option-spec.ts';

/** What the `vigil vex repo` commands run, loaded only when one of them runs: parsing a command line never loads it. */
const actions = () => import('../actions/vex.ts');

const BUILD_GROUP = 'Build Options:';

export const outOption = defineOption({
  name: 'out',
  kind: 'string',
  valueName: 'DIR',
  description: 'folder to write the repository to (created if missing)',
  group: BUILD_GROUP,
});

export const baseUrlOption = defineOption({
  name: 'base-url',
  kind: 'string',
  valueName: 'URL',
  description:
    'URL the --out folder will be served at; without it the manifest points at the archive relative to itself',
  group: BUILD_GROUP,
});

export const nameOption = defineOption({
  name: 'name',
  kind: 'string',
  valueName: 'NAME',
  description: 'repository name written into the manifest',
  defaultValue: () => 'VEX repository',
  group: BUILD_GROUP,
});

export const updateIntervalOption = defineOption({
  name: 'update-interval',
  kind: 'string',
  valueName: 'DURATION',
  description: 'how often clients should check for updates (Go duration)',
  defaultValue: () => '24h',
  group: BUILD_GROUP,
});

export const vexRepoInitCommand: CommandDefinition = {
  name: 'init',
  summary: 'create the repository configuration with VEX Hub as "default"',
  description:
    'Write $VIGIL_HOME/vex/repository.yaml with one repository, VEX Hub, named "default". An existing ' +
    'file is left as it is. Add your own repositories to it (name, url, enabled, username, password, ' +
    'token, insecure); their order is their priority.',
  run: async (context) => (await actions()).runInit(context),
};

export const vexRepoListCommand: CommandDefinition = {
  name: 'list',
  summary: 'list configured repositories and their status',
  run: async (context) => (await actions()).runList(context),
};

export const vexRepoDownloadCommand: CommandDefinition = {
  name: 'download',
  summary: 'download or refresh the enabled repositories (all, or the NAMES given)',
  description:
    'Check each enabled repository now, whatever its update interval: the manifest is fetched again, ' +
    'then the archive with If-None-Match, so an unchanged repository costs one small request and ' +
    'keeps its cache. A failed download leaves the previous copy in place.',
  arguments: [{ name: 'NAMES', variadic: true, description: 'repositories to download' }],
  examples: ['vigil vex repo download', 'vigil vex repo download internal --cacert corp-ca.pem'],
  run: async (context) => (await actions()).runDownload(context),
};

export const vexRepoBuildCommand: CommandDefinition = {
  name: 'build',
  summary: 'build a servable VEX repository from a folder of VEX documents',
  description:
    'Read every OpenVEX and CSAF JSON document under DIR and write OUT/index.json, ' +
    'OUT/vex-repository.tar.gz (the same inputs give the same bytes) and ' +
    'OUT/.well-known/vex-repository.json. Serve OUT with any static web server and add its URL to ' +
    'repository.yaml. Packages are the product PURLs without version, qualifiers and subpath.',
  arguments: [{ name: 'DIR', required: true, description: 'folder of VEX documents' }],
  options: [outOption, baseUrlOption, nameOption, updateIntervalOption],
  examples: ['vigil vex repo build ./vex --out ./site --base-url https://vex.corp.example'],
  run: async (context) => (await actions()).runBuild(context),
};

/** `vigil vex repo …`: VEX repositories (VEX Hub or a self-hosted copy). */
export const vexCommand: CommandDefinition = {
  name: 'vex',
  summary: 'manage VEX repositories',
  subcommands: [
    {
      name: 'repo',
      summary: 'VEX repositories configured in $VIGIL_HOME/vex/repository.yaml',
      subcommands: [vexRepoInitCommand, vexRepoListCommand, vexRepoDownloadCommand, vexRepoBuildCommand],
    },
  ],
};
