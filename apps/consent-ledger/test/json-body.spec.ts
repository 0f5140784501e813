import { MAX_JSON_DEPTH, parseJsonBody } from '../src/http/json-body';
import { ProblemException } from '../src/http/problem';

const problemOf = (text: string) => {
  try {
    parseJsonBody(text);
  } catch (error) {
    return (error as ProblemException).problem;
  }
  throw new Error('parsed');
};

describe('parseJsonBody', () => {
  it('parses JSON, brackets and escaped quotes inside strings not counted as nesting', () => {
    const text = JSON.stringify({ note: `${'['.repeat(100)} \\" ${'{'.repeat(100)}`, list: [[1, 2], { a: '"]' }] });
    expect(parseJsonBody(text)).toEqual(JSON.parse(text));
  });

  it(`accepts ${MAX_JSON_DEPTH} levels and refuses one more`, () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(() => parseJsonBody(nested(MAX_JSON_DEPTH))).not.toThrow();
    expect(problemOf(nested(MAX_JSON_DEPTH + 1))).toMatchObject({ status: 400, type: 'urn:consent-ledger:problem:json_too_deep' });
  });

  it('names a __proto__ key, even escaped, and a constructor.prototype', () => {
    expect(problemOf('{"a": {"__proto__": {"x": 1}}}').detail).toContain('"__proto__"');
    expect(problemOf('{"\\u005f_proto__": {}}').detail).toContain('"__proto__"');
    expect(problemOf('{"constructor": {"prototype": {}}}').detail).toContain('"constructor"');
    expect(problemOf('[{"\\u0063onstructor": {"prototype": {}}}]').detail).toContain('"constructor"');
    expect(parseJsonBody('{"constructor": "a string is harmless"}')).toEqual({ constructor: 'a string is harmless' });
  });

  it('says an empty body is empty and malformed JSON is malformed', () => {
    expect(problemOf('  ')).toMatchObject({ status: 400, detail: expect.stringContaining('empty') });
    expect(problemOf('{"a": ')).toMatchObject({ status: 400, type: 'urn:consent-ledger:problem:malformed_json' });
  });
});
