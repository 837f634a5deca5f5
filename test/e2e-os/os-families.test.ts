import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { tempDir } from '../helpers/temp-dir.ts';
import { buildOciLayouts, type ImageSpec } from './image-builder.ts';
import { DEBIAN_LIBIDN2_GOLDEN, EXPECTATIONS, type Expectation } from './os-expectations.ts';
import { OS_IMAGES } from './os-images.ts';
import { findingLine, layoutLayers, osFindings, type ScanOutcome, seededCache, vigil } from './vigil-scan.ts';

/**
 * `vigil image --input LAYOUT --offline -f json` over one small image per OS family, against a DB
 * built from Trivy's integration fixtures (plus test/fixtures/os-images/advisories.yaml).
 *
 * Where Trivy's integration tests scan the same real image with the same DB fixtures, the expected
 * findings are those of its golden report (integration/testdata/<golden>.json.golden in
 * aquasecurity/trivy): our image carries the packages of that image that the fixtures name.
 * Golden differences that are Trivy's own later changes are noted. EOSL is judged on today's date,
 * so only releases whose end of life is past for certain (or decades away) are used.
 */

/** Runs `work` for at most `width` items at a time. */
function limited<T>(width: number, work: (item: T) => Promise<void>): (item: T) => Promise<void> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (item) => {
    // A finished item hands its slot straight to the next waiting one.
    if (running >= width) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      await work(item);
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

describe('vigil image on one image per OS family', () => {
  const scans = new Map<string, ScanOutcome>();
  const imagesDir = tempDir('vigil-e2e-os-images-');
  const cacheDir = tempDir('vigil-e2e-os-cache-');
  const layouts = new Map<string, string>();

  before(async () => {
    const cache = seededCache(cacheDir);
    const scan = limited(2, async (expected: Expectation) => {
      const input = layouts.get(expected.image) as string;
      const args = [
        'image',
        '--input',
        input,
        '--cache-dir',
        await cache,
        '--offline',
        '-f',
        'json',
        '--list-all-pkgs',
      ];
      scans.set(expected.image, await vigil(args));
    });
    // Images without rpm databases need no rpmbuild: they are scanned while the others build.
    const needsRpmbuild = (image: ImageSpec) => image.layers.some((layer) => layer.rpmdb);
    const groups = [OS_IMAGES.filter((image) => !needsRpmbuild(image)), OS_IMAGES.filter(needsRpmbuild)];
    await Promise.all(
      groups.map(async (group) => {
        for (const [name, layout] of await buildOciLayouts(group, imagesDir)) layouts.set(name, layout);
        await Promise.all(group.map((image) => scan(EXPECTATIONS.find((e) => e.image === image.name) as Expectation)));
      }),
    );
  });

  it('has an expectation for every image built', () => {
    assert.deepEqual(
      EXPECTATIONS.map((e) => e.image),
      OS_IMAGES.map((image) => image.name),
    );
  });

  for (const expected of EXPECTATIONS) {
    const source = expected.golden ? ` (Trivy golden ${expected.golden})` : '';
    it(`${expected.image}: ${expected.target}, ${expected.findings.length} findings${source}`, () => {
      const scan = scans.get(expected.image) as ScanOutcome;
      assert.equal(scan.status, 0, scan.stderr);
      const report = scan.report;
      assert.ok(report, 'a JSON report');
      const input = layouts.get(expected.image) as string;
      assert.equal(report.ArtifactName, input);
      assert.equal(report.ArtifactType, 'container_image');
      assert.deepEqual(report.Metadata.OS, expected.os);
      const [result, ...others] = report.Results;
      assert.equal(others.length, 0, 'only the OS result');
      assert.equal(result?.Target, `${input} ${expected.target}`);
      assert.equal(result?.Class, 'os-pkgs');
      assert.equal(result?.Type, expected.os.Family);
      assert.equal(result?.Packages?.length, expected.packages);

      const findings = osFindings(report);
      assert.deepEqual(findings.map(findingLine), expected.findings);
      if (expected.purl) assert.equal(findings[0]?.PkgIdentifier?.PURL, expected.purl);
      const layers = layoutLayers(input);
      const layer = expected.layer ?? 0;
      for (const finding of findings) {
        assert.deepEqual(finding.Layer, { Digest: layers.digests[layer], DiffID: layers.diffIds[layer] });
        assert.ok(finding.Title, `${finding.VulnerabilityID} has its title from the vulnerability bucket`);
        const id = finding.VulnerabilityID;
        const primaryUrl = id.startsWith('CVE-')
          ? `https://avd.aquasec.com/nvd/${id.toLowerCase()}`
          : expected.primaryUrl;
        assert.equal(finding.PrimaryURL, primaryUrl, `${id} primary URL`);
        assert.match(finding.PkgID ?? '', new RegExp(`^${finding.PkgName.replace(/[+.]/g, '\\$&')}@`));
      }
      const warned = /past its end of service life/.test(scan.stderr);
      assert.equal(warned, expected.os.EOSL === true, scan.stderr);
    });
  }
  it("prints a Debian finding field for field as Trivy's golden does", () => {
    const finding = osFindings(scans.get('debian-10')?.report).find((v) => v.VulnerabilityID === 'CVE-2019-18224');
    assert.ok(finding);
    const { Layer: _layer, VendorSeverity: _vendorSeverity, ...rest } = finding;
    const { UID: _uid, ...identifier } = rest.PkgIdentifier ?? {};
    assert.equal(JSON.stringify({ ...rest, PkgIdentifier: identifier }), JSON.stringify(DEBIAN_LIBIDN2_GOLDEN));
  });
});
