import { PRODUCT_VERSION } from '../../product/index.ts';
import type { CommandContext, CommandDefinition } from '../command.ts';
import { defineOption } from '../option-spec.ts';

const formatOption = defineOption({
  name: 'format',
  short: 'f',
  kind: 'string',
  valueName: 'FORMAT',
  description: 'output format',
  choices: ['table', 'json'],
  defaultValue: () => 'table',
  group: 'Version Options:',
});

export const versionCommand: CommandDefinition = {
  name: 'version',
  summary: 'print the version of Vigil',
  options: [formatOption],
  examples: ['vigil version', 'vigil version --format json'],
  run: (context: CommandContext) => {
    const format = context.options.require(formatOption);
    if (format === 'json') {
      context.io.stdout.write(`${JSON.stringify({ Version: PRODUCT_VERSION, CacheDir: context.global.cacheDir })}\n`);
    } else {
      context.io.stdout.write(`Version: ${PRODUCT_VERSION}\nCache directory: ${context.global.cacheDir}\n`);
    }
    return 0;
  },
};
