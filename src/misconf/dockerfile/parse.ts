import { validateInstruction } from './instructions.ts';
import { readInstructions } from './lines.ts';
import { DockerfileSyntaxError, type DockerNode, type Heredoc } from './nodes.ts';
import { parseHeredocMarker } from './words.ts';

/** One instruction in Trivy's Dockerfile input document (field names as `schema["dockerfile"]`). */
export interface DockerfileCommand {
  Cmd: string;
  SubCmd: string;
  Flags: string[] | null;
  Value: string[] | null;
  Original: string;
  JSON: boolean;
  Stage: number;
  Path: string;
  StartLine: number;
  EndLine: number;
}

export interface DockerfileStage {
  /** The text after `FROM ` (e.g. `golang:1.22 AS build`); empty for instructions before the first FROM. */
  Name: string;
  Commands: DockerfileCommand[];
}

/** The input document Trivy's Dockerfile checks see. */
export interface DockerfileDocument {
  Stages: DockerfileStage[] | null;
}

export { DockerfileSyntaxError };

/**
 * Parses a Dockerfile into Trivy's input document. No ARG or ENV substitution happens, as in Trivy:
 * checks see the text as written. Throws DockerfileSyntaxError when BuildKit would reject the file.
 */
export function parseDockerfile(source: string, path: string): DockerfileDocument {
  const { nodes } = readInstructions(source);
  const stages: DockerfileStage[] = [];
  let stage: DockerfileStage = { Name: '', Commands: [] };
  let stageIndex = 0;
  let seenFrom = false;
  for (const node of nodes) {
    let flags: string[] | null;
    try {
      flags = validateInstruction(node);
    } catch (error) {
      if (error instanceof DockerfileSyntaxError) {
        throw new DockerfileSyntaxError(`line ${node.startLine}: ${error.message}`);
      }
      throw error;
    }
    const cmd = node.cmd.toLowerCase();
    if (cmd === 'from') {
      if (stage.Commands.length > 0) stages.push(stage);
      // Trivy counts stages from the second FROM on, so ARGs before the first FROM share index 0.
      if (seenFrom) stageIndex += 1;
      seenFrom = true;
      const name = node.original.startsWith('FROM ') ? node.original.slice(5) : node.original;
      stage = { Name: name.trim(), Commands: [] };
    }
    stage.Commands.push(toCommand(node, flags, stageIndex, path));
  }
  if (stage.Commands.length > 0) stages.push(stage);
  return { Stages: stages.length > 0 ? stages : null };
}

function toCommand(node: DockerNode, flags: string[] | null, stage: number, path: string): DockerfileCommand {
  const target = node.sub ?? node;
  const command: DockerfileCommand = {
    Cmd: node.cmd.toLowerCase(),
    SubCmd: node.sub ? node.sub.cmd : '',
    Flags: flags,
    Value: target.next,
    Original: node.original,
    JSON: target.json,
    Stage: stage,
    Path: path,
    StartLine: node.startLine,
    EndLine: node.endLine,
  };
  // Behind ONBUILD Trivy looks at the wrapped instruction, which carries no heredocs of its own.
  if (!node.sub && node.heredocs.length > 0 && node.next !== null) {
    command.Original = `${node.original}\n${node.heredocs.map((h) => h.content + h.name).join('\n')}`;
    command.Value = [heredocScript(node.next[0] as string, node.heredocs)];
  }
  return command;
}

/**
 * A single plain heredoc becomes its lines joined with ` ; ` (the shell runs them one by one);
 * anything more complex (redirections, several heredocs, a shebang) stays as written.
 */
function heredocScript(firstValue: string, heredocs: readonly Heredoc[]): string {
  const first = heredocs[0] as Heredoc;
  if (parseHeredocMarker(firstValue) === undefined || first.content.startsWith('#!')) {
    return firstValue + heredocs.map((h) => `\n${h.content}${h.name}`).join('');
  }
  let content = first.content;
  if (first.chomp) content = content.replace(/^\t+/gm, '');
  content = content.replaceAll('\r\n', '\n');
  if (content.endsWith('\n')) content = content.slice(0, -1);
  return content.split('\n').join(' ; ');
}
