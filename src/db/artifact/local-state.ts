import { stat } from 'node:fs/promises';
import type { ArtifactPaths, ArtifactSpec } from './artifact-kinds.ts';
import { bboltProblem, sqliteProblem } from './file-format.ts';
import { readChecksMetadata, readDbMetadata } from './metadata.ts';
import type { LocalChecksState, LocalDbState } from './update-decision.ts';

/** The cached DB as the update rules see it: metadata.json parsed, the data file's format checked. */
export async function readLocalDbState(spec: ArtifactSpec, paths: ArtifactPaths): Promise<LocalDbState> {
  const metadata = readDbMetadata(paths.metadata);
  const dataProblem = spec.dataFormat === 'bbolt' ? await bboltProblem(paths.data) : await sqliteProblem(paths.data);
  return { metadata, dataProblem };
}

export async function readLocalChecksState(paths: ArtifactPaths): Promise<LocalChecksState> {
  const info = await stat(paths.data).catch(() => undefined);
  return { metadata: readChecksMetadata(paths.metadata), contentExists: info?.isDirectory() === true };
}
