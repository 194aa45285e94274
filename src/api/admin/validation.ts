/**
 * Request validation for the management API: TypeBox schemas compiled by TypeBox itself (no
 * silent stripping or coercion of bodies: an unknown field is an error that names it), query
 * parameters converted from strings first. Failures become a 400 in the OpenAI error shape
 * whose message and `param` name the field, e.g.
 *   {"error": {"message": "Invalid request body: 'expiry' must be one of week, month, year, never.", "param": "expiry", …}}
 */
import type { FastifySchemaCompiler } from 'fastify';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import type { TSchema } from 'typebox';
import { GatewayError } from '../../canonical/errors.js';

export interface SchemaIssue {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** "/upstreams/0/provider_id" -> "upstreams[0].provider_id" */
export function fieldName(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

/** The sub-schema a schemaPath ("#/properties/a/anyOf/0") points at. */
function schemaAt(root: unknown, schemaPath: string): Json | undefined {
  let node: unknown = root;
  for (const raw of schemaPath.replace(/^#\/?/, '').split('/')) {
    if (raw === '') continue;
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(seg)];
    else if (isObj(node)) node = node[seg];
    else return undefined;
  }
  return isObj(node) ? node : undefined;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'an array',
  object: 'a JSON object',
  null: 'null',
};

/** "a string", "a whole number or null", "one of a, b" — what a schema accepts, in words. */
function describe(schema: Json | undefined): string {
  if (!schema) return 'a valid value';
  if (typeof schema['x-error'] === 'string') return schema['x-error'];
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map(String).join(', ')}`;
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.anyOf)) {
    return schema.anyOf.map((s) => describe(isObj(s) ? s : undefined)).join(' or ');
  }
  if (typeof schema.type === 'string') return TYPE_WORDS[schema.type] ?? schema.type;
  return 'a valid value';
}

function phrase(issue: SchemaIssue, root: unknown): string {
  const p = issue.params;
  const schema = schemaAt(root, issue.schemaPath);
  if (typeof schema?.['x-error'] === 'string') return `must be ${schema['x-error']}`;
  switch (issue.keyword) {
    case 'type':
      return `must be ${TYPE_WORDS[String(p.type)] ?? String(p.type)}`;
    case 'enum':
      return `must be one of ${Array.isArray(p.allowedValues) ? p.allowedValues.map(String).join(', ') : 'the allowed values'}`;
    case 'minLength':
      return Number(p.limit) === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters`;
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum':
      return `must be ${String(p.comparison ?? '')} ${String(p.limit)}`.replace('  ', ' ');
    case 'minItems':
      return `must have at least ${String(p.limit)} item${Number(p.limit) === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must have at most ${String(p.limit)} items`;
    case 'uniqueItems':
      return 'must not repeat an item';
    case 'pattern':
      return `has the wrong format${schema?.description ? ` (${String(schema.description)})` : ''}`;
    case 'format':
      return `must be a valid ${String(p.format)}`;
    case 'minProperties':
      return 'must not be empty';
    case 'anyOf':
      return `must be ${describe(schema)}`;
    default:
      return issue.message;
  }
}

/** The most useful issue first: unknown fields, missing fields, then the deepest plain error. */
export function explain(issues: SchemaIssue[], root: unknown): { field: string; message: string } {
  const extra = issues.find((i) => i.keyword === 'additionalProperties');
  if (extra) {
    const names = Array.isArray(extra.params.additionalProperties) ? extra.params.additionalProperties.map(String) : [];
    const field = fieldName(extra.instancePath, names[0] ?? '?');
    const known = schemaAt(root, extra.schemaPath)?.properties;
    const hint = isObj(known) ? ` Known fields: ${Object.keys(known).join(', ')}.` : '';
    return { field, message: `'${field}' is not a known field.${hint}` };
  }
  const missing = issues.find((i) => i.keyword === 'required');
  if (missing) {
    const names = Array.isArray(missing.params.requiredProperties) ? missing.params.requiredProperties.map(String) : [];
    const field = fieldName(missing.instancePath, names[0] ?? '?');
    return { field, message: `'${field}' is required.` };
  }
  const useful = issues.filter((i) => i.keyword !== 'boolean');
  const first = useful[0];
  if (!first) return { field: '', message: 'is not valid.' };
  // inside an anyOf ("a string or null"), report the whole alternative at its own path
  const anyOf = useful.find((i) => i.keyword === 'anyOf');
  if (anyOf) {
    const inner = useful.filter(
      (i) => i.schemaPath.startsWith(`${anyOf.schemaPath}/anyOf/`) && i.instancePath.length > anyOf.instancePath.length,
    );
    const deeper = inner[0];
    if (deeper) return { field: fieldName(deeper.instancePath), message: phrase(deeper, root) };
    // the value had the right type for one alternative but broke its rule (a minimum, an enum…)
    const rule = useful.find(
      (i) => i.schemaPath.startsWith(`${anyOf.schemaPath}/anyOf/`) && i.instancePath === anyOf.instancePath && i.keyword !== 'type' && i.keyword !== 'anyOf',
    );
    if (rule) return { field: fieldName(rule.instancePath), message: phrase(rule, root) };
    return { field: fieldName(anyOf.instancePath), message: phrase(anyOf, root) };
  }
  return { field: fieldName(first.instancePath), message: phrase(first, root) };
}

const PART_WORDS: Record<string, string> = {
  body: 'request body',
  querystring: 'query parameter',
  params: 'path parameter',
  headers: 'header',
};

export function validationError(part: string, issues: SchemaIssue[], root: unknown): GatewayError {
  const { field, message } = explain(issues, root);
  const where = PART_WORDS[part] ?? part;
  let text: string;
  if (field === '') {
    if (part === 'body') text = message === 'must be a JSON object' ? 'The request body must be a JSON object.' : `Invalid request body: it ${message}.`;
    else text = `Invalid ${where}: ${message}.`;
  } else if (message.startsWith(`'${field}'`)) {
    text = `Invalid ${where}: ${message}`;
  } else {
    text = `Invalid ${where}: '${field}' ${message}.`;
  }
  return new GatewayError(400, 'invalid_request', text, { code: 'invalid_value', ...(field !== '' ? { param: field } : {}) });
}

/** Fastify validator compiler for TypeBox schemas (see the module comment). */
export const typeboxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  const part = httpPart ?? 'body';
  return (data: unknown) => {
    // bodies are taken as sent; query strings and headers are text, converted first (booleans,
    // numbers). Path parameters stay text (TypeBox's Convert cannot handle a "*" property name).
    const value = part === 'querystring' || part === 'headers' ? Value.Convert(schema, data) : data;
    if (check.Check(value)) return { value };
    const issues = [...check.Errors(value)] as unknown as SchemaIssue[];
    return { error: validationError(part, issues, schema) };
  };
};
