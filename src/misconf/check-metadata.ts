import type { Annotation, Module } from '../rego/index.ts';

/** Which inputs a check is for: a source type and, for Kubernetes, the kinds (case-insensitive). */
export interface CheckSelector {
  readonly type: string;
  readonly subtypes: ReadonlyArray<{
    readonly group?: string;
    readonly version?: string;
    readonly kind?: string;
    readonly namespace?: string;
    readonly service?: string;
    readonly provider?: string;
  }>;
}

/** A check's metadata, read the way Trivy reads it (METADATA annotations, else `__rego_metadata__`). */
export interface CheckMetadata {
  id: string;
  avdId: string;
  title: string;
  shortCode: string;
  aliases: string[];
  description: string;
  severity: string;
  recommendedActions: string;
  primaryURL: string;
  references: string[];
  selectors: CheckSelector[];
  provider: string;
  service: string;
  library: boolean;
}

export function defaultMetadata(packagePath: readonly string[]): CheckMetadata {
  return {
    id: 'N/A',
    avdId: '',
    title: 'N/A',
    shortCode: '',
    aliases: [],
    description: `Rego module: data.${packagePath.join('.')}`,
    severity: 'UNKNOWN',
    recommendedActions: '',
    primaryURL: '',
    references: [],
    selectors: [],
    provider: '',
    service: '',
    library: false,
  };
}

const asText = (value: unknown): string =>
  typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Absolute URLs only, as OPA's `related_resources` refs are filtered by Trivy. */
const isAbsoluteUrl = (ref: string) => /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(ref);

function relatedRefs(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  const refs: string[] = [];
  for (const item of raw) {
    const ref = typeof item === 'string' ? item : isRecord(item) ? asText(item.ref) : '';
    if (ref !== '') refs.push(ref);
  }
  return refs;
}

/** Applies `custom` (or `__rego_metadata__`) keys: id, avd_id, severity, recommended_action(s), aliases, … */
export function applyCustomFields(meta: CheckMetadata, fields: Record<string, unknown>): void {
  const set = (key: string, apply: (text: string) => void) => {
    if (Object.hasOwn(fields, key)) apply(asText(fields[key]));
  };
  set('id', (v) => {
    meta.id = v;
  });
  set('avd_id', (v) => {
    meta.avdId = v;
  });
  set('title', (v) => {
    meta.title = v;
  });
  set('short_code', (v) => {
    meta.shortCode = v;
  });
  set('description', (v) => {
    meta.description = v;
  });
  set('service', (v) => {
    meta.service = v;
  });
  set('provider', (v) => {
    meta.provider = v;
  });
  set('recommended_actions', (v) => {
    meta.recommendedActions = v;
  });
  set('recommended_action', (v) => {
    meta.recommendedActions = v;
  });
  set('severity', (v) => {
    meta.severity = v.toUpperCase();
  });
  if (typeof fields.library === 'boolean') meta.library = fields.library;
  set('url', (v) => {
    meta.references.push(v);
  });
  meta.references.push(...relatedRefs(fields.related_resources));
  if (Array.isArray(fields.aliases)) meta.aliases.push(...fields.aliases.map(asText));
}

/** `input.selector` (from METADATA custom or `__rego_input__`): `[{type, subtypes: [{kind}]}]`. */
export function parseSelectors(input: unknown): CheckSelector[] {
  if (!isRecord(input) || !Array.isArray(input.selector)) return [];
  return input.selector.map((raw) => {
    const selector = isRecord(raw) ? raw : {};
    let type = asText(selector.type);
    if (type === 'defsec') type = 'cloud';
    const subtypes = Array.isArray(selector.subtypes)
      ? selector.subtypes.filter(isRecord).map((sub) => {
          // Trivy decodes subtypes with mapstructure, which matches field names case-insensitively.
          const lower = Object.fromEntries(Object.entries(sub).map(([k, v]) => [k.toLowerCase(), asText(v)]));
          return {
            group: lower.group,
            version: lower.version,
            kind: lower.kind,
            namespace: lower.namespace,
            service: lower.service,
            provider: lower.provider,
          };
        })
      : [];
    return { type, subtypes };
  });
}

/** The package-scoped METADATA annotation of a module, if it has one. */
export function packageAnnotation(module: Module): Annotation | undefined {
  const path = module.packagePath.join('.');
  return module.annotations.find((a) => a.scope === 'package' && a.path.join('.') === path);
}

/** Metadata from a package annotation: title, description, related_resources, then the custom keys. */
export function metadataFromAnnotation(module: Module, annotation: Annotation): CheckMetadata {
  const meta = defaultMetadata(module.packagePath);
  const fields = annotation.fields;
  meta.title = asText(fields.title);
  meta.description = asText(fields.description);
  const related = relatedRefs(fields.related_resources);
  meta.references.push(...related.filter(isAbsoluteUrl));
  const custom = isRecord(fields.custom) ? fields.custom : undefined;
  if (custom) {
    applyCustomFields(meta, custom);
    meta.selectors = parseSelectors(custom.input);
  }
  if (related.length > 0) meta.primaryURL = related[0] as string;
  return meta;
}
