// Route schemas are compiled once per process: every app (and API v2's second mount) builds its
// schemas anew, and compiling them again cost a third of building an app.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from 'typebox';
import { serializerCompiler, validatorCompiler } from '../../src/http/validation.js';

const route = { method: 'GET', url: '/x' };
const query = () => Type.Object({ limit: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

describe('schema compilers', () => {
  it('compile a schema built again to the same validator, per strictness', () => {
    const first = validatorCompiler({ ...route, httpPart: 'querystring', schema: query() });
    assert.equal(validatorCompiler({ ...route, httpPart: 'querystring', schema: query() }), first);
    const body = validatorCompiler({ ...route, httpPart: 'body', schema: query() });
    assert.notEqual(body, first, 'bodies are validated without coercion');
    assert.equal(first({ limit: '5' }), true, 'query text is coerced');
    assert.equal(body({ limit: '5' }), false, 'a body is not');
  });

  it('compile different schemas to different validators', () => {
    const other = Type.Object({ limit: Type.Integer({ minimum: 2 }) }, { additionalProperties: false });
    assert.notEqual(validatorCompiler({ ...route, httpPart: 'querystring', schema: other }), validatorCompiler({ ...route, httpPart: 'querystring', schema: query() }));
  });

  it('compile a response schema built again to the same serializer', () => {
    const answer = () => Type.Object({ id: Type.Integer(), name: Type.String() });
    const serialize = serializerCompiler({ ...route, httpStatus: '200', schema: answer() });
    assert.equal(serializerCompiler({ ...route, httpStatus: '200', schema: answer() }), serialize);
    assert.equal(serialize({ id: 1, name: 'a', secret: 'x' }), '{"id":1,"name":"a"}');
  });
});
