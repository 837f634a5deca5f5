import type { CommandDefinition } from '../command.ts';

export const dbPushCommand: CommandDefinition = {
  name: 'push',
  summary: "publish a DB artifact to a registry with Trivy's media types",
  arguments: [
    { name: 'FILE', required: true, description: 'db.tar.gz made by vigil db build' },
    { name: 'REPO:TAG', required: true, description: 'destination reference' },
  ],
  plannedFor: 'the trivy.db reader milestone (issue 4)',
};
