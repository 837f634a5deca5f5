import { resolve } from 'node:path';
import { ARTIFACT_SPECS } from '../../db/artifact/index.ts';
import { artifactKindForFile, type DbArtifactKind, pushArtifactFile } from '../../db/build/index.ts';
import { usageError } from '../../errors/index.ts';
import { formatReference, parseReference, type Reference } from '../../oci/registry/index.ts';
import type { CommandContext } from '../command.ts';
import { annotationOption, typeOption } from '../commands/db-push.ts';
import { offlineOption } from '../network-options.ts';
import { createRegistryAccess } from '../registry-access.ts';

export async function runPush(context: CommandContext): Promise<number> {
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
