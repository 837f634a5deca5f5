// The artifact kinds' own file rather than db/artifact's index, which loads the whole pull: the
// option specs are read for every command line, including --help.
import { ARTIFACT_SPECS } from '../db/artifact/artifact-kinds.ts';
import { defineOption } from './option-spec.ts';

/** The DB lifecycle options, with Trivy's names, aliases and config keys (trivy-compat §1). */
export const DB_GROUP = 'DB Options:';

export const dbRepositoryOption = defineOption({
  name: 'db-repository',
  kind: 'list',
  valueName: 'REPOS',
  description:
    'OCI repositories of the vulnerability DB, tried in order until one works (a tagless value gets :2; REPO@sha256:… pins one DB); also oci:DIR (an OCI layout) and file:BUNDLE (from vigil bundle create)',
  defaultValue: () => [...ARTIFACT_SPECS.db.defaultRepositories],
  defaultText: ARTIFACT_SPECS.db.defaultRepositories.join(','),
  configPaths: ['db.repository'],
  group: DB_GROUP,
});

export const javaDbRepositoryOption = defineOption({
  name: 'java-db-repository',
  kind: 'list',
  valueName: 'REPOS',
  description: 'OCI repositories of the Java DB, tried in order (a tagless value gets :1)',
  defaultValue: () => [...ARTIFACT_SPECS['java-db'].defaultRepositories],
  defaultText: ARTIFACT_SPECS['java-db'].defaultRepositories.join(','),
  configPaths: ['db.java-repository'],
  group: DB_GROUP,
});

export const checksBundleRepositoryOption = defineOption({
  name: 'checks-bundle-repository',
  kind: 'list',
  valueName: 'REPOS',
  description: 'OCI repositories of the checks bundle, tried in order (a tagless value gets :latest, as in Trivy)',
  aliases: ['policy-bundle-repository'],
  defaultValue: () => [...ARTIFACT_SPECS.checks.defaultRepositories],
  defaultText: ARTIFACT_SPECS.checks.defaultRepositories.join(','),
  configPaths: ['misconfiguration.checks-bundle-repository'],
  group: DB_GROUP,
});

const flag = (name: string, description: string, configPaths: string[], aliases?: string[]) =>
  defineOption({
    name,
    kind: 'boolean',
    description,
    defaultValue: () => false,
    configPaths,
    aliases,
    group: DB_GROUP,
  });

export const skipDbUpdateOption = flag(
  'skip-db-update',
  'use the cached vulnerability DB as it is, never download it',
  ['db.skip-update'],
  ['skip-update'],
);
export const skipJavaDbUpdateOption = flag('skip-java-db-update', 'use the cached Java DB as it is', [
  'db.java-skip-update',
]);
export const skipCheckUpdateOption = flag(
  'skip-check-update',
  'use the cached checks bundle as it is',
  ['rego.skip-check-update'],
  ['skip-policy-update'],
);
export const downloadDbOnlyOption = flag(
  'download-db-only',
  'update the vulnerability DB if the update rules say so, then exit without scanning',
  ['db.download-only'],
);
export const downloadJavaDbOnlyOption = flag(
  'download-java-db-only',
  'update the Java DB if the update rules say so, then exit without scanning',
  ['db.download-java-only'],
);
export const offlineScanOption = flag(
  'offline-scan',
  'do not fetch anything while analysing (such as remote Maven POMs); DB updates are governed by the options above',
  ['scan.offline'],
);

export const dbMaxAgeOption = defineOption({
  name: 'db-max-age',
  kind: 'duration',
  valueName: 'DURATION',
  description: 'refuse a vulnerability or Java DB built longer ago than this, e.g. 3d (a week old always warns)',
  configPaths: ['db.max-age'],
  group: DB_GROUP,
});

export const dbSignatureKeyOption = defineOption({
  name: 'db-signature-key',
  kind: 'list',
  valueName: 'PUBKEYS',
  description:
    'PEM public keys (ECDSA P-256, such as cosign.pub): every downloaded DB, Java DB and checks bundle must carry a cosign signature by one of them, checked offline',
  configPaths: ['db.signature-key'],
  group: DB_GROUP,
});

export const allowDbDowngradeOption = flag(
  'allow-db-downgrade',
  'accept a DB built earlier (UpdatedAt) than the one in the cache, which is refused otherwise',
  ['db.allow-downgrade'],
);

/** Every DB option, for the scan commands (which also take NETWORK_OPTIONS, where --offline is). */
export const DB_OPTIONS = [
  dbRepositoryOption,
  javaDbRepositoryOption,
  checksBundleRepositoryOption,
  skipDbUpdateOption,
  skipJavaDbUpdateOption,
  skipCheckUpdateOption,
  downloadDbOnlyOption,
  downloadJavaDbOnlyOption,
  offlineScanOption,
  dbMaxAgeOption,
  dbSignatureKeyOption,
  allowDbDowngradeOption,
] as const;
