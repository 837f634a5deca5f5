import { mergeOs } from '../analyzer/os/index.ts';
import type { AnalysisResult, Analyzer, AnalyzerContext, CollectedFiles, FileInfo } from '../analyzer/types.ts';
import { describeError } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';
import type { LayerVisitor } from './layer-walker.ts';
import type { PathFilter } from './path-filter.ts';

/** Files larger than this are never buffered unless an analyzer sets its own limit. */
export const DEFAULT_MAX_ANALYZED_FILE = 64 * 1024 * 1024;

interface HeldFile {
  info: FileInfo;
  load(): Promise<Buffer>;
}

/**
 * Gathers, for one layer or directory, the files each analyzer asked for. Layers hand over
 * buffered bytes while streaming; directories hand over loaders that read on demand.
 */
export class FileCollector implements LayerVisitor {
  readonly whiteouts: string[] = [];
  readonly opaqueDirs: string[] = [];
  private readonly analyzers: readonly Analyzer[];
  private readonly filter: PathFilter;
  private readonly byAnalyzer = new Map<Analyzer, string[]>();
  private readonly held = new Map<string, HeldFile>();

  constructor(analyzers: readonly Analyzer[], filter: PathFilter) {
    this.analyzers = analyzers;
    this.filter = filter;
  }

  wants(path: string, info: FileInfo): boolean {
    if (this.filter.skipFile(path)) return false;
    let wanted = false;
    for (const analyzer of this.analyzers) {
      if (info.size > (analyzer.maxFileSize ?? DEFAULT_MAX_ANALYZED_FILE)) continue;
      if (!analyzer.required(path, info)) continue;
      let paths = this.byAnalyzer.get(analyzer);
      if (!paths) {
        paths = [];
        this.byAnalyzer.set(analyzer, paths);
      }
      paths.push(path);
      wanted = true;
    }
    return wanted;
  }

  file(path: string, info: FileInfo, content: Buffer): void {
    this.held.set(path, { info, load: async () => content });
  }

  /** For directory scans: the file is read only when an analyzer asks for it. */
  lazyFile(path: string, info: FileInfo, load: () => Promise<Buffer>): void {
    this.held.set(path, { info, load });
  }

  whiteout(path: string): void {
    this.whiteouts.push(path);
  }

  opaqueDir(path: string): void {
    this.opaqueDirs.push(path);
  }

  /** Runs every analyzer that found files; one analyzer's failure becomes a warning, not a lost scan. */
  async analyze(context: AnalyzerContext, logger: Logger): Promise<AnalysisResult> {
    const merged: AnalysisResult = {};
    for (const analyzer of this.analyzers) {
      const paths = this.byAnalyzer.get(analyzer);
      if (!paths?.length) continue;
      try {
        mergeResult(merged, await analyzer.analyze(this.view(paths), context));
      } catch (error) {
        const message = `analyzer ${analyzer.type} failed on ${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ', …' : ''}: ${describeError(error)}`;
        logger.warn(message);
        merged.Warnings = [...(merged.Warnings ?? []), message];
      }
    }
    return merged;
  }

  private view(paths: readonly string[]): CollectedFiles {
    const present = paths.filter((path) => this.held.has(path));
    return {
      paths: () => present,
      read: async (path) => {
        const file = this.held.get(path);
        if (!file || !present.includes(path)) throw new Error(`${path} was not collected for this analyzer`);
        return file.load();
      },
      info: (path) => this.held.get(path)?.info,
    };
  }
}

/** Folds one analyzer's result into the layer's; OS answers combine by Trivy's merge rule. */
export function mergeResult(into: AnalysisResult, from: AnalysisResult): void {
  if (from.OS) {
    const os = mergeOs(into.OS, from.OS);
    if (os) into.OS = os;
  }
  if (from.Repository && !into.Repository) into.Repository = from.Repository;
  if (from.PackageInfos?.length) into.PackageInfos = [...(into.PackageInfos ?? []), ...from.PackageInfos];
  if (from.Applications?.length) into.Applications = [...(into.Applications ?? []), ...from.Applications];
  if (from.Warnings?.length) into.Warnings = [...(into.Warnings ?? []), ...from.Warnings];
}
