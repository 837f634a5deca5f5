import type { CommandDefinition } from '../command.ts';

/** `vigil db …`: the lifecycle of the vulnerability DB, the Java DB and the checks bundle. */
export const dbCommand: CommandDefinition = {
  name: 'db',
  summary: 'download, inspect, search, build and publish the vulnerability databases',
  subcommands: [
    {
      name: 'pull',
      summary: 'download the vulnerability DB now (and the Java DB or checks bundle on request)',
      description:
        'Update the cached artifacts now, honouring the DB repository and network options. Repositories are ' +
        'tried in order until one works; the previous DB stays intact if every one fails.',
      examples: ['vigil db pull', 'vigil db pull --java --db-repository registry.local/trivy-db'],
      plannedFor: 'the DB lifecycle milestone (issue 3)',
    },
    {
      name: 'status',
      summary: 'show what is cached: path, schema, UpdatedAt, NextUpdate, DownloadedAt, age, source',
      examples: ['vigil db status', 'vigil db status --cache-dir /srv/vigil-cache'],
      plannedFor: 'the DB lifecycle milestone (issue 3)',
    },
    {
      name: 'search',
      summary: 'print advisories from the cached DB by vulnerability ID or by ecosystem and package',
      arguments: [
        { name: 'ID|ECOSYSTEM', required: true, description: 'a vulnerability ID, or an ecosystem such as npm' },
        { name: 'PACKAGE', description: 'package name, when the first argument is an ecosystem' },
      ],
      examples: ['vigil db search CVE-2019-11358', 'vigil db search npm jquery'],
      plannedFor: 'the trivy.db reader milestone (issue 4)',
    },
    {
      name: 'build',
      summary: 'build a trivy-db v2 artifact (db.tar.gz) from YAML fixtures or OSV JSON advisories',
      plannedFor: 'the trivy.db reader milestone (issue 4)',
    },
    {
      name: 'push',
      summary: "publish a DB artifact to a registry with Trivy's media types",
      arguments: [
        { name: 'FILE', required: true, description: 'db.tar.gz made by vigil db build' },
        { name: 'REPO:TAG', required: true, description: 'destination reference' },
      ],
      plannedFor: 'the trivy.db reader milestone (issue 4)',
    },
    {
      name: 'sign',
      summary: "sign an artifact's manifest digest (cosign key-based format)",
      arguments: [{ name: 'REF', required: true, description: 'artifact reference to sign' }],
      plannedFor: 'the air-gap milestone (issue 8)',
    },
  ],
};

export const mirrorCommand: CommandDefinition = {
  name: 'mirror',
  summary: 'copy the DB, Java DB and checks bundle byte for byte into a private registry or OCI layout',
  plannedFor: 'the air-gap milestone (issue 8)',
};

export const bundleCommand: CommandDefinition = {
  name: 'bundle',
  summary: 'one-file offline bundles of every database, the checks and VEX repositories',
  subcommands: [
    {
      name: 'create',
      summary: 'write a bundle file from the cache',
      arguments: [{ name: 'FILE', required: true, description: 'bundle to write' }],
      plannedFor: 'the air-gap milestone (issue 8)',
    },
    {
      name: 'import',
      summary: 'verify a bundle and install it into the cache, all or nothing',
      arguments: [{ name: 'FILE', required: true, description: 'bundle to import' }],
      plannedFor: 'the air-gap milestone (issue 8)',
    },
    {
      name: 'inspect',
      summary: 'list what a bundle holds and how old it is',
      arguments: [{ name: 'FILE', required: true, description: 'bundle to inspect' }],
      plannedFor: 'the air-gap milestone (issue 8)',
    },
  ],
};
