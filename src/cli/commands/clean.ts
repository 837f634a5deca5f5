import { rm, stat } from 'node:fs/promises';
import { cacheLayout } from '../../cache/layout.ts';
import { describeError, usageError, VigilError } from '../../errors/index.ts';
import type { CommandContext, CommandDefinition } from '../command.ts';
import { defineOption } from '../option-spec.ts';

const CLEAN_GROUP = 'Clean Options:';
const flag = (name: string, short: string | undefined, description: string) =>
  defineOption({ name, short, kind: 'boolean', description, group: CLEAN_GROUP });

const allOption = flag('all', 'a', 'remove every part of the cache listed below');
const vulnDbOption = flag('vuln-db', undefined, 'remove the vulnerability DB (db/)');
const javaDbOption = flag('java-db', undefined, 'remove the Java DB (java-db/)');
const checksOption = flag('checks-bundle', undefined, 'remove the downloaded checks bundle (policy/)');
const vexOption = flag('vex-repo', undefined, 'remove downloaded VEX repositories (vex/repositories/)');
const scanOption = flag('scan-cache', undefined, 'remove cached per-layer scan results (scan/)');

export const cleanCommand: CommandDefinition = {
  name: 'clean',
  summary: 'remove cached databases, checks, VEX repositories or scan results',
  description:
    'Remove parts of the cache directory. Only the directories Vigil owns are removed, never the ' +
    'cache directory itself, so a mistaken --cache-dir cannot wipe unrelated files.',
  options: [allOption, vulnDbOption, javaDbOption, checksOption, vexOption, scanOption],
  examples: ['vigil clean --all', 'vigil clean --vuln-db --java-db --cache-dir /srv/vigil-cache'],
  run: runClean,
};

async function runClean(context: CommandContext): Promise<number> {
  const layout = cacheLayout(context.global.cacheDir);
  const all = context.options.get(allOption) === true;
  const targets: Array<[string, string]> = [];
  const pick = (option: typeof vulnDbOption, label: string, path: string) => {
    if (all || context.options.get(option) === true) targets.push([label, path]);
  };
  pick(vulnDbOption, 'vulnerability DB', layout.vulnDbDir);
  pick(javaDbOption, 'Java DB', layout.javaDbDir);
  pick(checksOption, 'checks bundle', layout.checksDir);
  pick(vexOption, 'VEX repositories', layout.vexRepositoriesDir);
  pick(scanOption, 'scan cache', layout.scanCacheDir);
  if (all) {
    // Leftovers of interrupted downloads and unpacked inputs; the locks are only hints.
    targets.push(
      ['unfinished downloads', layout.downloadsDir],
      ['locks', layout.locksDir],
      ['temporary files', layout.inputTempDir],
    );
  }
  if (targets.length === 0) {
    throw usageError('no clean option is specified', 'choose what to remove, e.g. vigil clean --all');
  }
  for (const [label, path] of targets) {
    const present = await stat(path).then(
      () => true,
      () => false,
    );
    try {
      await rm(path, { recursive: true, force: true });
    } catch (error) {
      throw new VigilError('CLEAN_FAILED', `cannot remove the ${label} at ${path}: ${describeError(error)}`, {
        hint: 'check the permissions of the cache directory',
      });
    }
    context.logger.info(present ? `removed the ${label}: ${path}` : `no ${label} to remove at ${path}`);
  }
  return 0;
}
