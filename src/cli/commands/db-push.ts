import { resolve } from 'node:path';
import { ARTIFACT_SPECS } from '../../db/artifact/index.ts';
import { artifactKindForFile, type DbArtifactKind, pushArtifactFile } from '../../db/build/index.ts';
import { usageError } from '../../errors/index.ts';
import { formatReference, parseReference, type Reference } from '../../oci/registry/index.ts';
import type { CommandContext, CommandDefinition } from '../command.ts';
import { createRegistryAccess, NETWORK_OPTIONS, offlineOption } from '../network-options.ts';
import { defineOption } from '../option-spec.ts';

const PUSH_GROUP = 'Push Options:';
const KINDS: readonly DbArtifactKind[] = ['db', 'java-db', 'checks'];

const typeOption = defineOption({
  name: 'type',
  kind: 'string',
  valueName: 'TYPE',
  description: 'what the file is: db (trivy.db), java-db (trivy-java.db) or checks (a checks bundle)',
  choices: KINDS,
  defaultText: 'from the file name: javadb.tar.gz → java-db, bundle.tar.gz → checks, other *.tar.gz → db',
  group: PUSH_GROUP,
});

const annotationOption = defineOption({
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
  run: runPush,
};

async function runPush(context: CommandContext): Promise<number> {
  const [fileArg, referenceArg, ...rest] = context.args;
  if (fileArg === undefined || referenceArg === undefined || rest.length > 0) {
    throw usageError(
      'give the artifact file and the destination',
      'vigil db push db.tar.gz registry.local:5000/trivy-db:2',
    );
  }
  const file = resolve(context.io.cwd, fileArg);
  const kind = artifactKind(context, file);
  const reference = destination(referenceArg, kind);
  const access = await createRegistryAccess(context, context.options.get(offlineOption) === true);
  try {
    const result = await pushArtifactFile(access.registry, reference, file, kind, {
      annotations: annotations(context),
      logger: context.logger,
      signal: context.signal,
    });
    context.logger.info(`pushed ${fileArg} to ${formatReference(reference)}`);
    context.io.stdout.write(`${formatReference({ ...reference, digest: result.manifestDigest })}\n`);
  } finally {
    await access.close();
  }
  return 0;
}

function artifactKind(context: CommandContext, file: string): DbArtifactKind {
  const chosen = context.options.get(typeOption) as DbArtifactKind | undefined;
  if (chosen !== undefined) return chosen;
  const guessed = artifactKindForFile(file);
  if (guessed === undefined) {
    throw usageError(
      `cannot tell what kind of artifact ${file} is`,
      'name it *.tar.gz or pass --type db|java-db|checks',
    );
  }
  return guessed;
}

/** As the pull side does for repository options: a tagless reference gets the schema tag. */
function destination(text: string, kind: DbArtifactKind): Reference {
  const reference = parseReference(text, { defaultTag: null });
  if (reference.tag !== undefined || reference.digest !== undefined) return reference;
  return { ...reference, tag: ARTIFACT_SPECS[kind].taglessTag };
}

/** KEY=VALUE pairs; list options split on commas, so a piece without `=` continues the previous value. */
function annotations(context: CommandContext): Record<string, string> {
  const out: Record<string, string> = {};
  let last: string | undefined;
  for (const item of context.options.get(annotationOption) ?? []) {
    const at = item.indexOf('=');
    if (at > 0) {
      last = item.slice(0, at);
      out[last] = item.slice(at + 1);
    } else if (last !== undefined) {
      out[last] = `${out[last]},${item}`;
    } else {
      throw usageError(`invalid --annotation ${JSON.stringify(item)}`, 'write it as KEY=VALUE');
    }
  }
  return out;
}
