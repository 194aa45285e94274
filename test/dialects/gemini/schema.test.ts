import { describe, expect, it } from 'vitest';
import { geminiSchemaToJsonSchema, jsonSchemaToGeminiSchema } from '../../../src/dialects/gemini/index.js';

describe('JSON Schema -> Gemini schema subset', () => {
  it.each([
    ['nullable via type array', { type: ['string', 'null'] }, { type: 'STRING', nullable: true }],
    ['several types -> anyOf', { type: ['string', 'integer'] }, { anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }] }],
    [
      'anyOf with null -> nullable member',
      { anyOf: [{ type: 'number' }, { type: 'null' }], description: 'n' },
      { type: 'NUMBER', description: 'n', nullable: true },
    ],
    ['oneOf -> anyOf', { oneOf: [{ type: 'string' }, { type: 'boolean' }] }, { anyOf: [{ type: 'STRING' }, { type: 'BOOLEAN' }] }],
    ['const -> enum', { const: 'x' }, { type: 'STRING', enum: ['x'] }],
    [
      'non-string enum -> description',
      { type: 'integer', enum: [1, 2], description: 'Level' },
      { type: 'INTEGER', description: 'Level (Allowed values: 1, 2)' },
    ],
    ['supported format kept', { type: 'string', format: 'date-time' }, { type: 'STRING', format: 'date-time' }],
    ['unsupported format dropped', { type: 'string', format: 'email' }, { type: 'STRING' }],
    [
      'dropped keywords',
      { type: 'string', default: 'a', examples: ['b'], $comment: 'c', minLength: 1 },
      { type: 'STRING', minLength: 1 },
    ],
    [
      'map-like object without properties',
      { type: 'object', additionalProperties: { type: 'string' } },
      { type: 'OBJECT' },
    ],
    ['tuple items -> anyOf items', { type: 'array', items: [{ type: 'string' }, { type: 'number' }] }, { type: 'ARRAY', items: { anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }] } }],
  ])('%s', (_name, input, output) => {
    expect(jsonSchemaToGeminiSchema(input)).toEqual(output);
  });

  it('inlines $ref from $defs and definitions; a recursive $ref becomes a described OBJECT', () => {
    const schema = {
      type: 'object',
      properties: {
        a: { $ref: '#/$defs/A' },
        b: { $ref: '#/definitions/B', description: 'the b' },
        node: { $ref: '#/$defs/Node' },
      },
      $defs: {
        A: { type: 'string', enum: ['x', 'y'] },
        Node: { type: 'object', properties: { value: { type: 'integer' }, next: { $ref: '#/$defs/Node' } } },
      },
      definitions: { B: { type: 'array', items: { type: 'number' } } },
    };
    expect(jsonSchemaToGeminiSchema(schema)).toEqual({
      type: 'OBJECT',
      properties: {
        a: { type: 'STRING', enum: ['x', 'y'] },
        b: { type: 'ARRAY', items: { type: 'NUMBER' }, description: 'the b' },
        node: {
          type: 'OBJECT',
          properties: {
            value: { type: 'INTEGER' },
            next: { type: 'OBJECT', description: 'Recursive structure (recursive reference #/$defs/Node)' },
          },
        },
      },
    });
  });

  it('merges allOf', () => {
    expect(
      jsonSchemaToGeminiSchema({
        allOf: [
          { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
          { properties: { b: { type: 'boolean' } }, required: ['b'] },
        ],
      }),
    ).toEqual({ type: 'OBJECT', properties: { a: { type: 'STRING' }, b: { type: 'BOOLEAN' } }, required: ['a', 'b'] });
  });
});

describe('Gemini schema -> JSON Schema', () => {
  it('accepts upper and lower case, nullable, example and int64 strings', () => {
    expect(
      geminiSchemaToJsonSchema({
        type: 'OBJECT',
        properties: {
          tags: { type: 'ARRAY', items: { type: 'string' }, minItems: '1', maxItems: '5' },
          kind: { type: 'STRING', format: 'enum', enum: ['a', 'b'], example: 'a' },
          maybe: { anyOf: [{ type: 'NUMBER' }, { type: 'BOOLEAN' }], nullable: true },
        },
        propertyOrdering: ['tags', 'kind', 'maybe'],
        required: ['tags'],
      }),
    ).toEqual({
      type: 'object',
      properties: {
        tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 5 },
        kind: { type: 'string', enum: ['a', 'b'], examples: ['a'] },
        maybe: { anyOf: [{ type: 'number' }, { type: 'boolean' }, { type: 'null' }] },
      },
      required: ['tags'],
    });
  });
});
