import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';
import fastJsonStringify from 'fast-json-stringify';
import { Type } from 'typebox';
import { MAX_ID } from '../domain/ids.js';
import { parseInstant } from '../domain/instant.js';

/**
 * Bodies are validated strictly: no type coercion, unknown fields refused rather than dropped,
 * every problem reported. Query strings and path parameters are text, so they may be coerced.
 */
function makeAjv(coerceTypes: boolean) {
  const ajv = new Ajv({ allErrors: true, coerceTypes, removeAdditional: false, useDefaults: true, strict: false });
  addFormats.default(ajv);
  // ajv-formats lets leap seconds and any year through, which the handlers would then read as NaN
  // or as year 9999: every `date-time` is read by the one parser the handlers use.
  ajv.addFormat('date-time', { type: 'string', validate: (text: string) => parseInstant(text) !== undefined });
  return ajv;
}

const strict = makeAjv(false);
const coercing = makeAjv(true);

/** An id in a body: a number no database query refuses. */
export const IdSchema = Type.Integer({ minimum: 1, maximum: MAX_ID });

/** An id in a path: text that the route reads with parseId (domain/ids.ts), so each API words its own refusal. */
export const IdParam = Type.String({ description: `an id: a whole number from 1 to ${MAX_ID}`, examples: ['42'] });

/**
 * Compiles each distinct schema once per process. Routes build their schemas as they register, so
 * the same schema arrives as a new object for every app (API v2 alone is mounted twice), and
 * compiling it again cost a third of building one.
 */
function compiledOncePerSchema<Compiled>(compile: (schema: object) => Compiled): (schema: object) => Compiled {
  const compiled = new Map<string, Compiled>();
  return (schema) => {
    const key = JSON.stringify(schema);
    let done = compiled.get(key);
    if (done === undefined) {
      done = compile(schema);
      compiled.set(key, done);
    }
    return done;
  };
}

const validateStrictly = compiledOncePerSchema((schema) => strict.compile(schema));
const validateCoercing = compiledOncePerSchema((schema) => coercing.compile(schema));

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? validateStrictly : validateCoercing)(schema);

/** Fastify's own response serializer (fast-json-stringify, no shared schemas), compiled once per schema. */
const serializeOnce = compiledOncePerSchema((schema) => fastJsonStringify(schema, { schema: {} }));

export const serializerCompiler: FastifySerializerCompiler<object> = ({ schema }) => serializeOnce(schema);

/** Turns validation errors into the reference's field → messages map (reference v1 §2.7). */
export function describeValidationErrors(errors: readonly ErrorObject[], data: unknown): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  const add = (path: string[], message: string) => {
    if (path.length === 0) path = ['_schema'];
    let node = tree;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      node = (next && typeof next === 'object' && !Array.isArray(next) ? next : (node[key] = {})) as Record<string, unknown>;
    }
    const leaf = path.at(-1) as string;
    const messages = Array.isArray(node[leaf]) ? (node[leaf] as string[]) : (node[leaf] = []);
    if (!(messages as string[]).includes(message)) (messages as string[]).push(message);
  };
  const seen = new Set<string>();
  for (const error of errors) {
    const path = error.instancePath.split('/').slice(1).map(unescapePointer);
    if (error.keyword === 'required') {
      add([...path, String(error.params.missingProperty)], 'Missing data for required field.');
    } else if (error.keyword === 'additionalProperties') {
      add([...path, String(error.params.additionalProperty)], 'Unknown field.');
    } else {
      // A union reports one error per branch; one message per field is clearer.
      const key = path.join('/');
      if (seen.has(key)) continue;
      seen.add(key);
      add(path, messageFor(error, valueAt(data, path)));
    }
  }
  return tree;
}

function messageFor(error: ErrorObject, value: unknown): string {
  if (value === null) return 'Field may not be null.';
  const expected = error.params.type;
  switch (error.keyword) {
    case 'type':
      if (expected === 'string') return 'Not a valid string.';
      if (expected === 'integer' || expected === 'number') return 'Not a valid integer.';
      if (expected === 'array') return 'Not a valid list.';
      return 'Invalid input type.';
    case 'minLength':
      return error.params.limit === 1 ? 'Field may not be empty.' : `Shorter than minimum length ${String(error.params.limit)}.`;
    case 'maxLength':
      return `Longer than maximum length ${String(error.params.limit)}.`;
    case 'maxItems':
      return `Longer than maximum length ${String(error.params.limit)}.`;
    default:
      return error.message ? `${error.message[0]?.toUpperCase()}${error.message.slice(1)}.` : 'Invalid value.';
  }
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let node = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
