/**
 * PEP 503 name normalisation: runs of `-`, `_` and `.` become one `-`, optionally lower case.
 * Lock files and manifests spell the same project differently (`ruamel.yaml`, `Flask`).
 */
export function normalizePythonName(name: string, lowerCase = true): string {
  const normalized = name.replace(/[-_.]+/g, '-');
  return lowerCase ? normalized.toLowerCase() : normalized;
}
