import { mergeBuildInfo } from '../analyzer/buildinfo/index.ts';
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
  private readonly context: AnalyzerContext;
  private readonly logger: Logger;
  private readonly byAnalyzer = new Map<Analyzer, string[]>();
  private readonly wantedBy = new Map<string, Analyzer[]>();
  private readonly held = new Map<string, HeldFile>();
  /** Results of analyzers that ran file by file while the layer streamed. */
  private readonly streamed: AnalysisResult = {};

  constructor(analyzers: readonly Analyzer[], filter: PathFilter, context: AnalyzerContext, logger: Logger) {
    this.analyzers = analyzers;
    this.filter = filter;
    this.context = context;
    this.logger = logger;
  }

  wants(path: string, info: FileInfo): boolean {
    if (this.filter.skipFile(path)) return false;
    const wanting: Analyzer[] = [];
    for (const analyzer of this.analyzers) {
      if (info.size > (analyzer.maxFileSize ?? DEFAULT_MAX_ANALYZED_FILE)) continue;
      if (!analyzer.required(path, info)) continue;
      wanting.push(analyzer);
      if (analyzer.independentFiles) continue;
      let paths = this.byAnalyzer.get(analyzer);
      if (!paths) {
        paths = [];
        this.byAnalyzer.set(analyzer, paths);
      }
      paths.push(path);
    }
    if (wanting.length > 0) this.wantedBy.set(path, wanting);
    return wanting.length > 0;
  }

  /** Standalone-file analyzers run now and the bytes go; the rest wait for the end of the layer. */
  async file(path: string, info: FileInfo, content: Buffer): Promise<void> {
    const wanting = this.wantedBy.get(path) ?? [];
    this.wantedBy.delete(path);
    const load = async () => content;
    for (const analyzer of wanting.filter((candidate) => candidate.independentFiles)) {
      await this.run(analyzer, [path], { [path]: { info, load } }, this.streamed);
    }
    if (wanting.some((candidate) => !candidate.independentFiles)) this.held.set(path, { info, load });
  }

  /** For directory scans: the file is read only when an analyzer asks for it. */
  async lazyFile(path: string, info: FileInfo, load: () => Promise<Buffer>): Promise<void> {
    const wanting = this.wantedBy.get(path) ?? [];
    this.wantedBy.delete(path);
    for (const analyzer of wanting.filter((candidate) => candidate.independentFiles)) {
      await this.run(analyzer, [path], { [path]: { info, load } }, this.streamed);
    }
    if (wanting.some((candidate) => !candidate.independentFiles)) this.held.set(path, { info, load });
  }

  whiteout(path: string): void {
    this.whiteouts.push(path);
  }

  opaqueDir(path: string): void {
    this.opaqueDirs.push(path);
  }

  /**
   * Runs the analyzers that waited for the whole layer, after those that streamed. One
   * analyzer's failure becomes a warning, not a lost scan.
   */
  async analyze(): Promise<AnalysisResult> {
    const merged: AnalysisResult = {};
    for (const analyzer of this.analyzers) {
      const paths = this.byAnalyzer.get(analyzer);
      if (paths?.length) await this.run(analyzer, paths, this.held, merged);
    }
    mergeResult(merged, this.streamed);
    return merged;
  }

  private async run(
    analyzer: Analyzer,
    paths: readonly string[],
    files: ReadonlyMap<string, HeldFile> | Readonly<Record<string, HeldFile>>,
    into: AnalysisResult,
  ): Promise<void> {
    const lookup = (path: string) =>
      files instanceof Map ? files.get(path) : (files as Record<string, HeldFile>)[path];
    const present = paths.filter((path) => lookup(path) !== undefined);
    const view: CollectedFiles = {
      paths: () => present,
      read: async (path) => {
        const file = lookup(path);
        if (!file || !present.includes(path)) throw new Error(`${path} was not collected for this analyzer`);
        return file.load();
      },
      info: (path) => lookup(path)?.info,
    };
    try {
      mergeResult(into, await analyzer.analyze(view, this.context));
    } catch (error) {
      const message = `analyzer ${analyzer.type} failed on ${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ', …' : ''}: ${describeError(error)}`;
      this.logger.warn(message);
      into.Warnings = [...(into.Warnings ?? []), message];
    }
  }
}

/** Folds one analyzer's result into the layer's; OS answers and build information combine by Trivy's merge rules. */
export function mergeResult(into: AnalysisResult, from: AnalysisResult): void {
  if (from.OS) {
    const os = mergeOs(into.OS, from.OS);
    if (os) into.OS = os;
  }
  if (from.Repository && !into.Repository) into.Repository = from.Repository;
  if (from.PackageInfos?.length) into.PackageInfos = [...(into.PackageInfos ?? []), ...from.PackageInfos];
  if (from.Applications?.length) into.Applications = [...(into.Applications ?? []), ...from.Applications];
  if (from.Warnings?.length) into.Warnings = [...(into.Warnings ?? []), ...from.Warnings];
  if (from.ConfigFiles?.length) into.ConfigFiles = [...(into.ConfigFiles ?? []), ...from.ConfigFiles];
  if (from.BuildInfo) into.BuildInfo = mergeBuildInfo(into.BuildInfo, from.BuildInfo);
}
