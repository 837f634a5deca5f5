import type { CommandDefinition } from '../command.ts';
import { DB_OPTIONS } from '../db-options.ts';
import { MISCONF_OPTIONS } from '../misconf-options.ts';
import { NETWORK_OPTIONS } from '../network-options.ts';
import {
  inputOption,
  platformOption,
  SCAN_REPORT_OPTIONS,
  SCAN_TARGET_OPTIONS,
  vulnSeveritySourceOption,
} from '../scan-options.ts';
import { VEX_OPTIONS } from '../vex-options.ts';

/** The scan itself (analyzers, detection, VEX, misconfiguration checks), loaded only when a scan runs. */
const scanCommand = () => import('../scan-command.ts');

const SHARED_OPTIONS = [
  ...SCAN_REPORT_OPTIONS,
  ...SCAN_TARGET_OPTIONS,
  vulnSeveritySourceOption,
  ...VEX_OPTIONS,
  ...MISCONF_OPTIONS,
  ...DB_OPTIONS,
  ...NETWORK_OPTIONS,
];

/** The scan targets: images, project directories and root file systems. */
export const imageCommand: CommandDefinition = {
  name: 'image',
  summary: 'scan a container image for vulnerable packages',
  description:
    'Scan a container image: REF is pulled from a registry, or --input reads a `docker save` archive, ' +
    'an OCI layout tarball or an OCI layout directory. OS packages and language packages are matched ' +
    'against the cached vulnerability DB; with a warm cache no network is needed.',
  arguments: [{ name: 'REF', description: 'image reference, e.g. debian:12 or registry.local:5000/app@sha256:…' }],
  options: [inputOption, platformOption, ...SHARED_OPTIONS],
  examples: [
    'vigil image --input debian.tar',
    'vigil image --input samples/alpine-3.11.tar.gz --cache-dir samples/cache --offline',
    'vigil image registry.local:5000/app:1.2 --format json --output report.json',
  ],
  run: async (context) => (await scanCommand()).runScanCommand(context, 'image'),
};

export const fsCommand: CommandDefinition = {
  name: 'fs',
  summary: 'scan a project directory (lock files) for vulnerable dependencies',
  description:
    'Scan a directory as a project: lock files and manifests (package-lock.json, poetry.lock, go.mod, …) ' +
    'are read and matched against the vulnerability DB.',
  arguments: [{ name: 'DIR', required: true, description: 'directory to scan' }],
  options: SHARED_OPTIONS,
  examples: ['vigil fs .', 'vigil fs ./service --severity HIGH,CRITICAL --exit-code 1'],
  run: async (context) => (await scanCommand()).runScanCommand(context, 'fs'),
};

export const rootfsCommand: CommandDefinition = {
  name: 'rootfs',
  summary: 'scan an unpacked root file system (installed packages)',
  description:
    'Scan a directory as an installed root file system: OS package databases (dpkg, apk, rpm) and ' +
    'installed language metadata are read and matched against the vulnerability DB.',
  arguments: [{ name: 'DIR', required: true, description: 'root of the file system to scan' }],
  options: SHARED_OPTIONS,
  examples: ['vigil rootfs /mnt/image-root'],
  run: async (context) => (await scanCommand()).runScanCommand(context, 'rootfs'),
};
