/** The artifact a bundle carries a downloaded VEX repository in: one gzip'd tar layer. */
export const VEX_REPOSITORY_TYPES = {
  configMediaType: 'application/vnd.vigil.vex.repository.config.v1+json',
  layerMediaType: 'application/vnd.vigil.vex.repository.layer.v1.tar+gzip',
  title: 'vex-repository.tar.gz',
} as const;
