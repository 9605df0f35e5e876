import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { forbiddenCharacterIn, withoutForbiddenCharacters } from '../../domain/characters.js';
import { HttpError } from '../errors.js';

/**
 * No route sees a text with a character no text may hold (domain/characters.ts): a request whose
 * body, query or path has one is a 400 that names the first such field, before validation. One
 * hook at the root, so every route inherits it; each scope's error handler words the HttpError
 * in its own shape (v1 and the pages' envelope, v2's and /auth's `errMsg`).
 */
export default fp(
  async function textInput(app: FastifyInstance) {
    // A callback hook, not an async one: it runs on every request, most with nothing to check.
    app.addHook('preValidation', (request, _reply, done) => {
      const problem = forbiddenTextIn(request.body, 'body') ?? (PLAIN_URL.test(request.url) ? undefined : (forbiddenTextIn(request.query, 'query') ?? forbiddenTextIn(request.params, 'params')));
      done(problem ? new HttpError(400, `${problem.path}: must not contain ${problem.character}`) : undefined);
    });
  },
  { name: 'text-input' },
);

/**
 * Printable ASCII without `%`: no query value or path parameter decoded from such a URL can hold
 * a forbidden character, so nearly every read skips the walk.
 */
const PLAIN_URL = /^[!-$&-~]*$/;

/** A value met on the walk, with the way to it (built only for the one that is reported). */
interface Step {
  value: unknown;
  key?: string;
  parent?: Step;
}

function pathOf(step: Step, key?: string): string {
  const path = key === undefined ? [] : [key];
  for (let at: Step | undefined = step; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse().join('/');
}

/**
 * The first string, or field name, holding a forbidden character, in document order, with its
 * path (`attributes/0/value`); `part` names a value that is a string itself. Bytes (a Buffer) are
 * not text. Iterative, so that no depth of nesting a JSON body can have overflows the stack.
 */
function forbiddenTextIn(value: unknown, part: string): { path: string; character: string } | undefined {
  if (value === undefined || value === null || (typeof value === 'object' && isEmpty(value))) return undefined;
  const pending: Step[] = [{ value }];
  for (let step = pending.pop(); step; step = pending.pop()) {
    const node = step.value;
    if (typeof node === 'string') {
      const character = forbiddenCharacterIn(node);
      if (character) return { path: step.key === undefined ? part : pathOf(step), character };
    } else if (typeof node === 'object' && node !== null && !ArrayBuffer.isView(node)) {
      const entries = Object.entries(node);
      for (const [key] of entries) {
        const character = forbiddenCharacterIn(key);
        if (character) return { path: pathOf(step, withoutForbiddenCharacters(key, '\uFFFD')), character };
      }
      for (const [key, child] of entries.reverse()) pending.push({ value: child, key, parent: step });
    }
  }
  return undefined;
}

function isEmpty(value: object): boolean {
  for (const _key in value) return false;
  return true;
}
