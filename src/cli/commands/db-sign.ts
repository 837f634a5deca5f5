import type { CommandDefinition } from '../command.ts';
import { NETWORK_OPTIONS } from '../network-options.ts';
import { defineOption } from '../option-spec.ts';

/** What `vigil db sign` runs, loaded only when it runs: parsing a command line never loads it. */
const actions = () => import('../actions/db-sign.ts');

export const keyOption = defineOption({
  name: 'key',
  kind: 'string',
  valueName: 'KEY',
  description: 'PEM private key, ECDSA P-256 (unencrypted PKCS#8 or SEC1; cosign.key files must be converted)',
  group: 'Sign Options:',
});

export const dbSignCommand: CommandDefinition = {
  name: 'sign',
  summary: "sign an artifact's manifest digest (cosign key-based format)",
  description:
    "Sign the manifest digest REF names with an ECDSA P-256 key, in cosign's key-based format: a simple-signing " +
    'payload naming the digest, its signature in the layer annotation dev.cosignproject.cosign/signature, stored ' +
    'under the tag sha256-<hex>.sig of the same repository (signatures already there are kept). cosign verify ' +
    '--key and Vigil (--db-signature-key) both check it. REF is a registry reference or oci:DIR[:TAG].',
  arguments: [
    { name: 'REF', required: true, description: 'artifact to sign: REGISTRY/REPO[:TAG|@DIGEST] or oci:DIR[:TAG]' },
  ],
  options: [keyOption, ...NETWORK_OPTIONS],
  examples: [
    'vigil db sign --key vigil.key registry.local:5000/trivy/trivy-db:2',
    'vigil db pull --db-repository registry.local:5000/trivy/trivy-db --db-signature-key vigil.pub',
  ],
  run: async (context) => (await actions()).runSign(context),
};
