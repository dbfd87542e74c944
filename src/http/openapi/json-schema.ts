/**
 * Small builders for the JSON Schemas of the HTTP contract (OpenAPI 3.1 uses JSON Schema 2020-12 as it is).
 * Objects list the properties an answer always has as `required`; they stay open to new properties, so a
 * client written against this version keeps working when an answer gains a field.
 */
export type Schema = Record<string, unknown>;

export const str = (description?: string): Schema => ({
  type: 'string',
  ...(description ? { description } : {}),
});
export const int = (description?: string): Schema => ({
  type: 'integer',
  ...(description ? { description } : {}),
});
export const bool: Schema = { type: 'boolean' };
export const isoTime: Schema = { type: 'string', format: 'date-time' };
export const anyObject = (description?: string): Schema => ({
  type: 'object',
  ...(description ? { description } : {}),
});

export function oneOf(values: readonly string[], description?: string): Schema {
  return { type: 'string', enum: [...values], ...(description ? { description } : {}) };
}

/** `schema` or null. */
export function nullable(schema: Schema): Schema {
  if (typeof schema.$ref === 'string') return { oneOf: [schema, { type: 'null' }] };
  const type = schema.type;
  if (typeof type === 'string') {
    const out: Schema = { ...schema, type: [type, 'null'] };
    if (Array.isArray(schema.enum)) out.enum = [...(schema.enum as unknown[]), null];
    return out;
  }
  return { oneOf: [schema, { type: 'null' }] };
}

export function arrayOf(items: Schema): Schema {
  return { type: 'array', items };
}

/** An object whose `required` properties are always present and `optional` ones sometimes. */
export function obj(required: Record<string, Schema>, optional: Record<string, Schema> = {}): Schema {
  return {
    type: 'object',
    properties: { ...required, ...optional },
    required: Object.keys(required),
  };
}

export function ref(name: string): Schema {
  return { $ref: `#/components/schemas/${name}` };
}

/** `{ data: [item…], has_more }`, the admin lists' page. */
export function page(item: Schema): Schema {
  return obj({ data: arrayOf(item), has_more: bool });
}
