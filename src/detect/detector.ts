import type { TrivyDb } from '../db/trivydb/index.ts';
import { type Logger, silentLogger } from '../log/index.ts';
import { createAdvisoryStore } from './advisory-store.ts';
import { enrichFindings } from './enrich.ts';
import { detectLanguageFindings } from './language/library-driver.ts';
import { detectOsFindings } from './os/registry.ts';
import { AUTO_SEVERITY_SOURCE } from './severity-sources.ts';
import type { Detector } from './types.ts';

export interface DetectorOptions {
  /** The scan's clock: end-of-life checks and Ubuntu's ESM choice depend on the date. */
  readonly clock?: () => Date;
  readonly logger?: Logger;
  /** `--vuln-severity-source` in priority order (see parseSeveritySources); default `auto`. */
  readonly severitySources?: readonly string[];
}

/**
 * The detector for one scan over an opened trivy.db: OS packages through the family's driver,
 * language packages through their ecosystem's buckets, every finding enriched from the
 * `vulnerability` bucket. A damaged DB or missing Red Hat CPE data throws a VigilError.
 */
export function createDetector(db: TrivyDb, options: DetectorOptions = {}): Detector {
  const store = createAdvisoryStore(db);
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? (() => new Date());
  const enrich = { severitySources: options.severitySources ?? [AUTO_SEVERITY_SOURCE], logger };
  return {
    async detectOs(os, repository, packages) {
      const detected = detectOsFindings(os, repository, packages, { store, logger, now: clock() });
      return {
        vulnerabilities: enrichFindings(detected.findings, store, enrich),
        eosl: detected.eosl,
        supported: detected.supported,
      };
    },
    async detectPackages(applicationType, packages) {
      const findings = detectLanguageFindings(applicationType, packages, { store, logger });
      return enrichFindings(findings, store, enrich);
    },
  };
}
