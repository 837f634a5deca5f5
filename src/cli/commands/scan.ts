import type { CommandDefinition } from '../command.ts';

/** The scan targets. Their options arrive with the issues that build each scanner. */
export const imageCommand: CommandDefinition = {
  name: 'image',
  summary: 'scan a container image for vulnerable packages',
  description:
    'Scan a container image: REF is pulled from a registry, or --input reads a `docker save` archive, ' +
    'an OCI layout tarball or an OCI layout directory. OS packages and language packages are matched ' +
    'against the cached vulnerability DB; with a warm cache no network is needed.',
  arguments: [{ name: 'REF', description: 'image reference, e.g. debian:12 or registry.local:5000/app@sha256:…' }],
  examples: ['vigil image --input debian.tar', 'vigil image alpine:3.19 --format json --output report.json'],
  plannedFor: 'the OS-package scanning milestone (issue 5)',
};

export const fsCommand: CommandDefinition = {
  name: 'fs',
  summary: 'scan a project directory (lock files) for vulnerable dependencies',
  description:
    'Scan a directory as a project: lock files and manifests (package-lock.json, poetry.lock, go.mod, …) ' +
    'are read and matched against the vulnerability DB.',
  arguments: [{ name: 'DIR', required: true, description: 'directory to scan' }],
  examples: ['vigil fs .', 'vigil fs ./service --severity HIGH,CRITICAL --exit-code 1'],
  plannedFor: 'the scanning milestones (issues 5 and 6)',
};

export const rootfsCommand: CommandDefinition = {
  name: 'rootfs',
  summary: 'scan an unpacked root file system (installed packages)',
  description:
    'Scan a directory as an installed root file system: OS package databases (dpkg, apk, rpm) and ' +
    'installed language metadata are read and matched against the vulnerability DB.',
  arguments: [{ name: 'DIR', required: true, description: 'root of the file system to scan' }],
  examples: ['vigil rootfs /mnt/image-root'],
  plannedFor: 'the OS-package scanning milestone (issue 5)',
};
