import type { Application, OS, Package } from '../analyzer/types.ts';
import type { Inventory } from '../artifact/applier.ts';
import type { Detector } from '../detect/types.ts';
import type { Logger } from '../log/index.ts';
import type { ReportOs, Result } from '../report/index.ts';
import { compareVulnerabilities } from '../report/index.ts';
import { osPackagePurl, packageUid } from './os-package-identity.ts';

/** Installed-package types that Trivy gathers into one result per language, with a per-package path. */
const AGGREGATED_TYPES: Readonly<Record<string, string>> = {
  'python-pkg': 'Python',
  'conda-pkg': 'Conda',
  gemspec: 'Ruby',
  'node-pkg': 'Node.js',
  jar: 'Java',
};

export interface ResultOptions {
  artifactName: string;
  listAllPackages: boolean;
  /** Detection is skipped when the vulnerability scanner is off. */
  detector: Detector | undefined;
  logger: Logger;
}

export interface BuiltResults {
  results: Result[];
  os: ReportOs | undefined;
}

/** Turns an inventory into Trivy-shaped results: one for the OS packages, one per application. */
export async function buildResults(inventory: Inventory, options: ResultOptions): Promise<BuiltResults> {
  const results: Result[] = [];
  let os = inventory.OS ? { ...inventory.OS } : undefined;
  const osPackages = inventory.PackageInfos.flatMap((info) => info.Packages);
  if (os) {
    const packages = osPackages.map((pkg) => identifyOsPackage(os as OS, pkg)).sort(byName);
    const result: Result = {
      Target: `${options.artifactName} (${os.Family} ${targetRelease(os)})`,
      Class: 'os-pkgs',
      Type: os.Family,
    };
    if (options.detector) {
      const detection = await options.detector.detectOs(os, inventory.Repository, packages);
      if (!detection.supported)
        options.logger.warn(`unsupported OS ${os.Family} ${os.Name}: its packages were not checked`);
      if (detection.eosl) {
        os = { ...os, EOSL: true };
        options.logger.warn(
          `${os.Family} ${os.Name} is past its end of service life: the vulnerability data may no longer be updated`,
        );
      }
      result.Vulnerabilities = detection.vulnerabilities.sort(compareVulnerabilities);
    }
    if (options.listAllPackages) result.Packages = packages;
    results.push(result);
  } else if (osPackages.length > 0) {
    options.logger.warn('OS packages were found but the OS was not detected: OS vulnerabilities were not checked');
  }
  for (const app of aggregate(inventory.Applications)) {
    const result: Result = { Target: app.FilePath, Class: 'lang-pkgs', Type: app.Type };
    const packages = app.Packages.map((pkg) => identifyLanguagePackage(app, pkg));
    if (options.detector) {
      result.Vulnerabilities = (await options.detector.detectPackages(app.Type, packages)).sort(compareVulnerabilities);
    }
    if (options.listAllPackages) result.Packages = [...packages].sort(byName);
    results.push(result);
  }
  return { results, os: os && reportOs(os) };
}

/** Trivy names an Ubuntu Pro (ESM) release `18.04-ESM` in the target, as detection does. */
function targetRelease(os: OS): string {
  return os.Extended && !os.Name.endsWith('-ESM') ? `${os.Name}-ESM` : os.Name;
}

/** The report's OS keeps the release as found; the ESM flag is Trivy's lower-case `extended`. */
function reportOs(os: OS): ReportOs {
  return {
    Family: os.Family,
    Name: os.Name,
    ...(os.EOSL ? { EOSL: true } : {}),
    ...(os.Extended ? { extended: true } : {}),
  };
}

const byName = (a: Package, b: Package) => (a.Name === b.Name ? 0 : a.Name < b.Name ? -1 : 1);

function identifyOsPackage(os: OS, pkg: Package): Package {
  const purl = pkg.Identifier?.PURL ?? osPackagePurl(os, pkg);
  return {
    ...pkg,
    Identifier: { ...pkg.Identifier, PURL: purl, UID: packageUid([purl ?? pkg.Name, pkg.FilePath ?? '']) },
  };
}

function identifyLanguagePackage(app: Application, pkg: Package): Package {
  const key = pkg.Identifier?.PURL ?? `${app.Type}:${pkg.ID ?? `${pkg.Name}@${pkg.Version}`}`;
  return {
    ...pkg,
    Identifier: { ...pkg.Identifier, UID: pkg.Identifier?.UID ?? packageUid([key, app.FilePath, pkg.FilePath ?? '']) },
  };
}

/** Gathers installed packages of one language (jars, site-packages, gemspecs…) into one result. */
function aggregate(applications: readonly Application[]): Application[] {
  const merged = new Map<string, Application>();
  const rest: Application[] = [];
  for (const app of applications) {
    const name = AGGREGATED_TYPES[app.Type];
    if (!name) {
      rest.push(app);
      continue;
    }
    const packages = app.Packages.map((pkg) => ({ ...pkg, FilePath: pkg.FilePath ?? app.FilePath }));
    const existing = merged.get(app.Type);
    if (existing) existing.Packages.push(...packages);
    else merged.set(app.Type, { Type: app.Type, FilePath: name, Packages: packages });
  }
  const byPath = (a: Application, b: Application) => (a.FilePath === b.FilePath ? 0 : a.FilePath < b.FilePath ? -1 : 1);
  return [...rest.sort(byPath), ...[...merged.values()].sort(byPath)];
}
