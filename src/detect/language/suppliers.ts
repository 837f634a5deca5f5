import type { MatchOptions } from '../../version/index.ts';

/**
 * How surely a package comes from a supplier of patched builds: `matched` (its name or version
 * says so), `candidate` (a version suffix that real packages may carry too: confirmed only if the
 * supplier's advisories know the package) or `none`.
 */
export type SupplierMatch = 'matched' | 'candidate' | 'none';

/**
 * A supplier of patched open-source packages with its own advisory buckets (Trivy
 * pkg/detector/library/supplier.go). Its packages are checked against `<supplier> <eco>::`
 * buckets instead of the ecosystem's, since upstream advisories do not know its patches.
 */
export interface Supplier {
  readonly name: string;
  match(ecosystem: string, packageName: string, version: string): SupplierMatch;
  bucketPrefix(ecosystem: string): string;
  /** Match options on top of the ecosystem's own; none means the ecosystem's comparer as it is. */
  matchOptions(ecosystem: string): MatchOptions | undefined;
}

/** A Seal release suffix (`sp1`, and `sp2p1` for private builds) after the given separator. */
const sealSuffix = (separator: string, tail = '') => new RegExp(`${separator}sp\\d+(p\\d+)?${tail}$`);

const SEAL_RULES: Readonly<Record<string, { namePrefix: RegExp; suffix?: RegExp; suffixMatch?: SupplierMatch }>> = {
  maven: { namePrefix: /^seal\.sp\d+\./, suffix: sealSuffix('\\+'), suffixMatch: 'matched' },
  npm: { namePrefix: /^@seal-security\//, suffix: sealSuffix('-'), suffixMatch: 'candidate' },
  pip: { namePrefix: /^seal-/, suffix: sealSuffix('\\+'), suffixMatch: 'matched' },
  go: { namePrefix: /^sealsecurity\.io\//, suffix: sealSuffix('-', '(\\+incompatible)?'), suffixMatch: 'candidate' },
  rubygems: { namePrefix: /^seal-/, suffix: sealSuffix('\\.'), suffixMatch: 'candidate' },
};

/**
 * Seal Security (Trivy pkg/detector/library/seal): renamed packages (`seal-django`,
 * `@seal-security/ejs`, `sealsecurity.io/…`, `seal.spN.group:artifact`) or versions with a Seal
 * suffix (`+sp1`, `-sp1`, `.sp1`). Its PyPI versions carry local labels, so they compare strictly.
 */
export const SEAL_SECURITY: Supplier = {
  name: 'seal',
  match(ecosystem, packageName, version) {
    const rule = SEAL_RULES[ecosystem];
    if (rule === undefined || packageName === '') return 'none';
    if (rule.namePrefix.test(packageName)) return 'matched';
    if (rule.suffix?.test(version)) return rule.suffixMatch ?? 'none';
    return 'none';
  },
  bucketPrefix: (ecosystem) => `seal ${ecosystem}::`,
  matchOptions: (ecosystem) => (ecosystem === 'pip' ? { allowLocalSpecifier: true } : undefined),
};

export const DEFAULT_SUPPLIERS: readonly Supplier[] = [SEAL_SECURITY];

export function lookupSupplier(
  suppliers: readonly Supplier[],
  ecosystem: string,
  packageName: string,
  version: string,
): { supplier: Supplier; match: Exclude<SupplierMatch, 'none'> } | undefined {
  for (const supplier of suppliers) {
    const match = supplier.match(ecosystem, packageName, version);
    if (match !== 'none') return { supplier, match };
  }
  return undefined;
}
