import type { CommandDefinition } from '../command.ts';

export const dbSignCommand: CommandDefinition = {
  name: 'sign',
  summary: "sign an artifact's manifest digest (cosign key-based format)",
  arguments: [{ name: 'REF', required: true, description: 'artifact reference to sign' }],
  plannedFor: 'the air-gap milestone (issue 8)',
};
