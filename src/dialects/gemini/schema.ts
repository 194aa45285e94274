/**
 * Schemas between JSON Schema (canonical, lower-case types) and Gemini's OpenAPI-style subset
 * (`Schema`: upper-case `type`, `nullable`, `anyOf`, `enum` of strings, no `$ref`).
 *
 * To Gemini (function parameters and `responseSchema`), deliberately lossy and not reported:
 * - `$ref` is inlined from `$defs` / `definitions` (a recursive reference becomes a bare OBJECT
 *   whose description says so); `allOf` is merged into one schema.
 * - `type: [T, "null"]` and an `anyOf` member `{type: "null"}` become `nullable: true`; several
 *   non-null types become `anyOf`; `oneOf` becomes `anyOf`.
 * - `const` becomes a one-value `enum`; an `enum` with non-string values is dropped and its values
 *   are appended to the description ("Allowed values: …") because Gemini enums are strings.
 * - `format` is kept only where Gemini accepts it (string: enum, date-time; number: float,
 *   double; integer: int32, int64).
 * - Dropped: `additionalProperties`, `$schema`, `$id`, `$comment`, `default`, `examples`,
 *   `example`, `exclusiveMinimum`, `exclusiveMaximum`, `not`, `if/then/else`, `patternProperties`,
 *   `unevaluatedProperties` and any other keyword outside the subset.
 * - `required` keeps only names present in `properties`; an OBJECT with no properties has no
 *   `properties` key (Gemini rejects an empty one), and a parameter schema that is an object
 *   without properties is omitted altogether (a function without parameters).
 * From Gemini: upper- or lower-case input is accepted; types become lower-case, `nullable`
 * becomes a `"null"` type member, `example` becomes `examples`, `format: "enum"` and
 * `propertyOrdering` are dropped, integer-valued strings (`minItems: "1"`) become numbers.
 */
import { isObject, type JsonObject } from './wire.js';

const INT_KEYWORDS = new Set(['minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties']);

/** Gemini `Schema` (either case) -> JSON Schema with lower-case types. */
export function geminiSchemaToJsonSchema(schema: unknown): JsonObject {
  if (!isObject(schema)) return {};
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (value === undefined || value === null) continue;
    switch (key) {
      case 'type':
        if (typeof value === 'string') {
          if (value.toUpperCase() !== 'TYPE_UNSPECIFIED') out.type = value.toLowerCase();
        } else if (Array.isArray(value)) {
          out.type = value.map((t) => (typeof t === 'string' ? t.toLowerCase() : t));
        }
        break;
      case 'nullable':
      case 'propertyOrdering':
        break;
      case 'properties':
        if (isObject(value)) {
          const props: JsonObject = {};
          for (const [name, sub] of Object.entries(value)) props[name] = geminiSchemaToJsonSchema(sub);
          out.properties = props;
        }
        break;
      case 'items':
        out.items = geminiSchemaToJsonSchema(value);
        break;
      case 'anyOf':
      case 'oneOf':
      case 'allOf':
        if (Array.isArray(value)) out[key] = value.map((s) => geminiSchemaToJsonSchema(s));
        break;
      case 'format':
        if (value !== 'enum') out.format = value;
        break;
      case 'example':
        out.examples = [value];
        break;
      default:
        out[key] = INT_KEYWORDS.has(key) && typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    }
  }
  if (schema.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.anyOf)) out.anyOf = [...out.anyOf, { type: 'null' }];
  }
  return out;
}

const KEEP_AS_IS = new Set([
  'description',
  'title',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'propertyOrdering',
]);

const FORMATS: Record<string, Set<string>> = {
  STRING: new Set(['enum', 'date-time']),
  NUMBER: new Set(['float', 'double']),
  INTEGER: new Set(['int32', 'int64']),
};

const MAX_DEPTH = 64;

class Converter {
  constructor(private readonly root: JsonObject) {}

  convert(node: unknown, seen: ReadonlySet<string>, depth: number): JsonObject {
    if (!isObject(node) || depth > MAX_DEPTH) return {};
    if (typeof node.$ref === 'string') return this.convertRef(node, node.$ref, seen, depth);
    if (Array.isArray(node.allOf)) return this.convert(this.mergeAllOf(node, seen), seen, depth + 1);

    const alternatives = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined;
    if (alternatives) return this.convertAnyOf(node, alternatives, seen, depth);

    let nullable = node.nullable === true;
    let type: string | undefined;
    if (Array.isArray(node.type)) {
      const types = node.type.filter((t): t is string => typeof t === 'string');
      const nonNull = types.filter((t) => t !== 'null');
      if (nonNull.length < types.length) nullable = true;
      if (nonNull.length > 1) {
        const anyOf = nonNull.map((t) => this.convert({ ...node, type: t, nullable: false }, seen, depth + 1));
        return withNullable({ anyOf, ...describe(node) }, nullable);
      }
      type = nonNull[0];
    } else if (typeof node.type === 'string') {
      type = node.type;
    }
    if (type?.toLowerCase() === 'null') return { nullable: true, ...describe(node) };

    const out: JsonObject = {};
    const upper = type?.toUpperCase();
    if (upper && upper !== 'TYPE_UNSPECIFIED') out.type = upper;

    for (const [key, value] of Object.entries(node)) {
      if (KEEP_AS_IS.has(key) && value !== undefined && value !== null) out[key] = value;
    }
    if (typeof node.format === 'string' && upper && FORMATS[upper]?.has(node.format)) out.format = node.format;

    const enumValues = node.const !== undefined ? [node.const] : Array.isArray(node.enum) ? node.enum : undefined;
    if (enumValues) {
      if (enumValues.every((v): v is string => typeof v === 'string')) {
        out.enum = enumValues;
        if (!out.type) out.type = 'STRING';
      } else {
        const note = `Allowed values: ${enumValues.map((v) => JSON.stringify(v)).join(', ')}`;
        out.description = typeof out.description === 'string' ? `${out.description} (${note})` : note;
      }
    }

    if (isObject(node.properties)) {
      const props: JsonObject = {};
      for (const [name, sub] of Object.entries(node.properties)) props[name] = this.convert(sub, seen, depth + 1);
      if (Object.keys(props).length > 0) {
        out.properties = props;
        if (!out.type) out.type = 'OBJECT';
        if (Array.isArray(node.required)) {
          const required = node.required.filter((n): n is string => typeof n === 'string' && n in props);
          if (required.length > 0) out.required = required;
        }
      }
    }
    if (node.items !== undefined) {
      out.items = Array.isArray(node.items)
        ? { anyOf: node.items.map((s) => this.convert(s, seen, depth + 1)) }
        : this.convert(node.items, seen, depth + 1);
      if (!out.type) out.type = 'ARRAY';
    }
    return withNullable(out, nullable);
  }

  private convertRef(node: JsonObject, ref: string, seen: ReadonlySet<string>, depth: number): JsonObject {
    if (seen.has(ref)) {
      return { type: 'OBJECT', description: `${describeText(node) ?? 'Recursive structure'} (recursive reference ${ref})` };
    }
    const target = this.resolve(ref);
    const { $ref: _ignored, ...siblings } = node;
    const next = new Set(seen).add(ref);
    return this.convert({ ...(target ?? {}), ...siblings }, next, depth + 1);
  }

  private resolve(ref: string): JsonObject | undefined {
    if (ref === '#') return this.root;
    const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
    if (!m?.[2]) return undefined;
    const name = m[2].replace(/~1/g, '/').replace(/~0/g, '~');
    const defs = this.root[m[1] ?? '$defs'];
    const found = isObject(defs) ? defs[name] : undefined;
    return isObject(found) ? found : undefined;
  }

  private convertAnyOf(node: JsonObject, alternatives: unknown[], seen: ReadonlySet<string>, depth: number): JsonObject {
    let nullable = node.nullable === true;
    const rest: unknown[] = [];
    for (const alt of alternatives) {
      if (isObject(alt) && alt.type === 'null') nullable = true;
      else rest.push(alt);
    }
    const { anyOf: _a, oneOf: _o, ...base } = node;
    if (rest.length === 1) {
      const merged = { ...(isObject(rest[0]) ? rest[0] : {}), ...describe(base) };
      return withNullable(this.convert(merged, seen, depth + 1), nullable);
    }
    const anyOf = rest.map((alt) => this.convert(alt, seen, depth + 1));
    return withNullable({ anyOf, ...describe(base) }, nullable);
  }

  /** allOf: one schema with the union of properties and required names (first value wins otherwise). */
  private mergeAllOf(node: JsonObject, seen: ReadonlySet<string>): JsonObject {
    const { allOf, ...base } = node;
    const merged: JsonObject = { ...base };
    const props: JsonObject = isObject(base.properties) ? { ...base.properties } : {};
    const required = new Set<string>(Array.isArray(base.required) ? base.required.filter((r) => typeof r === 'string') : []);
    for (const part of Array.isArray(allOf) ? allOf : []) {
      let sub: unknown = part;
      if (isObject(sub) && typeof sub.$ref === 'string' && !seen.has(sub.$ref)) sub = this.resolve(sub.$ref) ?? {};
      if (!isObject(sub)) continue;
      for (const [k, v] of Object.entries(sub)) {
        if (k === 'properties' && isObject(v)) Object.assign(props, v);
        else if (k === 'required' && Array.isArray(v)) v.forEach((r) => typeof r === 'string' && required.add(r));
        else if (!(k in merged)) merged[k] = v;
      }
    }
    if (Object.keys(props).length > 0) merged.properties = props;
    if (required.size > 0) merged.required = [...required];
    return merged;
  }
}

function describeText(node: JsonObject): string | undefined {
  return typeof node.description === 'string' ? node.description : undefined;
}

function describe(node: JsonObject): JsonObject {
  const out: JsonObject = {};
  if (typeof node.description === 'string') out.description = node.description;
  if (typeof node.title === 'string') out.title = node.title;
  return out;
}

function withNullable(schema: JsonObject, nullable: boolean): JsonObject {
  if (nullable) schema.nullable = true;
  return schema;
}

/** JSON Schema -> Gemini `Schema` (see the file comment for what is dropped). */
export function jsonSchemaToGeminiSchema(schema: JsonObject): JsonObject {
  return new Converter(schema).convert(schema, new Set(), 0);
}

/**
 * Function parameters for a `functionDeclaration`: the converted schema, or undefined for a
 * function without parameters (Gemini rejects an OBJECT with empty `properties`).
 */
export function toGeminiParameters(schema: JsonObject): JsonObject | undefined {
  const out = jsonSchemaToGeminiSchema(schema);
  if (out.type === 'OBJECT' && out.properties === undefined && out.anyOf === undefined) return undefined;
  if (Object.keys(out).length === 0) return undefined;
  return out;
}
