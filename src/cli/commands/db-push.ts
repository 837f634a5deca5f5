import type { DbArtifactKind } from '../../db/build/index.ts';
import type { CommandDefinition } from '../command.ts';
import { NETWORK_OPTIONS } from '../network-options.ts';
import { defineOption } from '../option-spec.ts';

/** What `vigil db push` runs, loaded only when it runs: parsing a command line never loads it. */
const actions = () => import('../actions/db-push.ts');

const PUSH_GROUP = 'Push Options:';

const KINDS: readonly DbArtifactKind[] = ['db', 'java-db', 'checks'];

export const typeOption = defineOption({
  name: 'type',
  kind: 'string',
  valueName: 'TYPE',
  description: 'what the file is: db (trivy.db), java-db (trivy-java.db) or checks (a checks bundle)',
  choices: KINDS,
  defaultText: 'from the file name: javadb.tar.gz → java-db, bundle.tar.gz → checks, other *.tar.gz → db',
  group: PUSH_GROUP,
});

export const annotationOption = defineOption({
  name: 'annotation',
  kind: 'list',
  valueName: 'KEY=VALUE',
  description: 'manifest annotation, e.g. org.opencontainers.image.version=2.3.0 for a checks bundle',
  group: PUSH_GROUP,
});

export const dbPushCommand: CommandDefinition = {
  name: 'push',
  summary: "publish a DB artifact to a registry with Trivy's media types",
  description:
    'Publish db.tar.gz (from vigil db build), javadb.tar.gz or a checks bundle as the OCI artifact Trivy and ' +
    'Vigil pull: an empty config blob, the file as the only layer with the media type and title Trivy ' +
    'checks, and an OCI manifest under the tag. The archive is checked first (a .tar.gz holding the ' +
    'database and a metadata.json of the right schema version). Credentials as for every registry command: ' +
    '--username/--password(-stdin), --registry-token, or Docker/podman credential files. A reference ' +
    'without a tag gets the schema tag clients ask for (:2 for the DB, :1 for the Java DB, latest for checks).',
  arguments: [
    { name: 'FILE', required: true, description: 'db.tar.gz made by vigil db build (or javadb.tar.gz, bundle.tar.gz)' },
    {
      name: 'REPO:TAG',
      required: true,
      description: 'destination reference, e.g. registry.local:5000/aquasec/trivy-db:2',
    },
  ],
  options: [typeOption, annotationOption, ...NETWORK_OPTIONS],
  examples: [
    'vigil db push db.tar.gz registry.local:5000/aquasec/trivy-db:2',
    'vigil db push javadb.tar.gz registry.local:5000/aquasec/trivy-java-db:1 --username ci --password-stdin',
    'vigil db pull --db-repository registry.local:5000/aquasec/trivy-db:2   # then, on the clients',
  ],
  run: async (context) => (await actions()).runPush(context),
};
