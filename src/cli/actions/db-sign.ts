import { loadSigningKey, signArtifact } from '../../airgap/index.ts';
import {
  type ArtifactRepository,
  type ArtifactRepositoryWriter,
  formatLocation,
  LayoutWriter,
  locationDigest,
  locationTag,
  openArtifactRepository,
  parseArtifactLocation,
  RegistryWriter,
} from '../../airgap/store/index.ts';
import { usageError } from '../../errors/index.ts';
import type { CommandContext } from '../command.ts';
import { keyOption } from '../commands/db-sign.ts';
import { offlineOption } from '../network-options.ts';
import { createRegistryAccess } from '../registry-access.ts';

export async function runSign(context: CommandContext): Promise<number> {
  const [referenceArg, ...rest] = context.args;
  const keyPath = context.options.get(keyOption);
  if (!referenceArg || rest.length > 0) {
    throw usageError('give one artifact reference', 'vigil db sign --key vigil.key registry.local/trivy/trivy-db:2');
  }
  if (!keyPath) throw usageError('--key is required', 'vigil db sign --key vigil.key REF');
  const key = await loadSigningKey(keyPath);
  const location = parseArtifactLocation(referenceArg);
  if (location.kind === 'bundle') {
    throw usageError('a bundle cannot be signed in place', 'sign the artifacts before bundle create copies them');
  }
  const access = await createRegistryAccess(context, context.options.get(offlineOption) === true);
  let source: ArtifactRepository | undefined;
  let writer: ArtifactRepositoryWriter;
  try {
    source = await openArtifactRepository(location, { registry: access.registry, repositoryName: 'trivy-db' });
    if (location.kind === 'registry') {
      const { registry, repository } = location.reference;
      writer = new RegistryWriter(access.registry, registry, repository);
    } else {
      writer = new LayoutWriter(source.description.replace(/^oci:/, '').replace(/ \(.*\)$/, ''));
    }
    const target = locationDigest(location) ?? locationTag(location) ?? 'latest';
    const manifest = await source.getManifest(target, context.signal);
    const identity =
      location.kind === 'registry' ? source.description : formatLocation({ ...location, tag: undefined });
    const outcome = await signArtifact(source, writer, manifest.digest, identity, key, context.signal);
    const where = location.kind === 'registry' ? source.description : formatLocation({ ...location, tag: undefined });
    context.io.stdout.write(
      outcome.added
        ? `signed ${where}@${manifest.digest}: ${where}:${outcome.tag} (${outcome.signatureDigest})\n`
        : `${where}@${manifest.digest} already carries a signature by this key (${where}:${outcome.tag})\n`,
    );
  } finally {
    await source?.close();
    await access.close();
  }
  return 0;
}
