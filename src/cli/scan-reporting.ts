import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { describeError, VigilError } from '../errors/index.ts';
import { countMisconfigurationFailures } from '../misconf/index.ts';
import type { Report } from '../report/index.ts';
import { renderJsonReport, renderTableReport } from '../report/index.ts';
import type { CliIO } from './command.ts';

/** Writes the report to --output (atomically) or stdout, in the chosen format. */
export async function writeReport(
  report: Report,
  format: string,
  output: string | undefined,
  io: CliIO,
): Promise<void> {
  const toFile = output !== undefined && output !== '' && output !== '-';
  const colour = !toFile && Boolean(io.stdout.isTTY) && !io.env.NO_COLOR;
  const text = format === 'json' ? renderJsonReport(report) : renderTableReport(report, { colour });
  if (!toFile) {
    io.stdout.write(text);
    return;
  }
  const path = resolve(io.cwd, output);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, text);
    await rename(temporary, path);
  } catch (error) {
    throw new VigilError('OUTPUT_UNWRITABLE', `cannot write the report to ${path}: ${describeError(error)}`, {
      hint: 'choose a writable --output path',
    });
  }
}

/** --exit-code applies when any result still lists a vulnerability or a failed check after filters and VEX. */
export function scanExitCode(report: Report, exitCode: number): number {
  if (exitCode === 0) return 0;
  const vulnerable = report.Results.some((result) => (result.Vulnerabilities ?? []).length > 0);
  return vulnerable || countMisconfigurationFailures(report.Results) > 0 ? exitCode : 0;
}
