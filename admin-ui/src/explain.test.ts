import { describe, expect, it } from 'vitest';
import type { ExplanationStep, Variation } from './api';
import {
  AttributeError, attributesToRows, bucketInWords, clauseInWords, clauseOutcome, explanationInWords, grouped, parseAttributes,
  reasonInWords, rowsToAttributes,
} from './explain';

describe('attributes entered as rows', () => {
  it('become typed attributes, skipping rows without a name', () => {
    expect(rowsToAttributes([
      { name: 'country', type: 'text', value: 'NO' },
      { name: 'age', type: 'number', value: ' 42.5 ' },
      { name: 'beta', type: 'boolean', value: 'false' },
      { name: 'groups', type: 'list', value: 'staff, 7, true' },
      { name: '', type: 'text', value: 'ignored' },
      { name: 'none', type: 'list', value: '' },
    ])).toEqual({ country: 'NO', age: 42.5, beta: false, groups: ['staff', 7, true], none: [] });
  });

  it('refuse a number that is not one, a name given twice, and "key", naming the row', () => {
    const bad = (rows: Parameters<typeof rowsToAttributes>[0]) => {
      try { rowsToAttributes(rows); } catch (e) { return e as AttributeError; }
      throw new Error('accepted');
    };
    expect(bad([{ name: 'a', type: 'text', value: '' }, { name: 'age', type: 'number', value: 'ten' }])).toMatchObject({ row: 1, message: '“ten” is not a number (attribute “age”).' });
    expect(bad([{ name: 'age', type: 'number', value: '' }]).row).toBe(0);
    expect(bad([{ name: 'a', type: 'text', value: '' }, { name: 'a', type: 'text', value: '' }]).message).toContain('twice');
    expect(bad([{ name: 'key', type: 'text', value: 'u' }]).message).toContain('context key');
  });

  it('come back as the same rows through JSON', () => {
    const rows = [
      { name: 'country', type: 'text' as const, value: 'NO' }, { name: 'age', type: 'number' as const, value: '42' },
      { name: 'beta', type: 'boolean' as const, value: 'true' }, { name: 'groups', type: 'list' as const, value: 'a, 2, false' },
    ];
    expect(attributesToRows(parseAttributes(JSON.stringify(rowsToAttributes(rows))))).toEqual(rows);
  });

  it('cannot hold nested objects or text with commas in a list; the key stays in its own field', () => {
    expect(() => attributesToRows({ address: { city: 'Oslo' } })).toThrow(AttributeError);
    expect(() => attributesToRows({ tags: ['a,b'] })).toThrow('cannot be shown as a row');
    expect(attributesToRows({ key: 'u', plan: 'pro' })).toEqual([{ name: 'plan', type: 'text', value: 'pro' }]);
  });

  it('JSON must be an object', () => {
    expect(() => parseAttributes('[1]')).toThrow('must be a JSON object');
    expect(() => parseAttributes('{oops')).toThrow(AttributeError);
    expect(parseAttributes('  ')).toEqual({});
  });
});

const booleans: Variation[] = [{ value: true }, { value: false }];

describe('the evaluator’s steps in words', () => {
  it('group bucket numbers by thousands', () => {
    expect(grouped(4211)).toBe('4\u202f211');
    expect(grouped(100000)).toBe('100\u202f000');
    expect(grouped(7)).toBe('7');
  });

  it('say a clause as configured and why it held or not', () => {
    const clause = { index: 0, attribute: 'email', op: 'endsWith', values: ['@example.com'], matched: false };
    expect(clauseInWords(clause)).toBe('email ends with “@example.com”');
    expect(clauseOutcome(clause)).toBe('no: the context has no email');
    expect(clauseOutcome({ ...clause, contextValue: 'ola@x.org' })).toBe('no: the context’s email is “ola@x.org”');
    expect(clauseInWords({ ...clause, op: 'in', values: ['NO', 'SE'], negate: true, attribute: 'country' })).toBe('country is not one of “NO”, “SE”');
    expect(clauseInWords({ ...clause, op: 'matches', values: ['^a'], caseInsensitive: true })).toBe('email matches “^a” (ignoring case)');
    expect(clauseOutcome({ ...clause, unusable: true })).toContain('never matches');
  });

  it('say why a context is in a segment or not', () => {
    const clause = { index: 0, attribute: 'segment', op: 'segmentMatch', values: ['beta'], matched: false };
    expect(clauseInWords(clause)).toBe('the context is in segment “beta”');
    expect(clauseOutcome({ ...clause, segments: [{ segment: 'beta', membership: 'excluded' }] })).toBe('no: the context key is excluded from segment “beta”');
    expect(clauseOutcome({ ...clause, matched: true, segments: [{ segment: 'beta', membership: 'rule', rule: 1 }] })).toBe('yes: segment “beta”’s rule 2 matches');
    expect(clauseOutcome({ ...clause, segments: [{ segment: 'beta', membership: 'none' }] })).toContain('none of its rules matches');
    expect(clauseOutcome({ ...clause, segments: [] })).toBe('no: no such segment in this environment');
  });

  it('say the bucket, the attribute bucketed by and the range it falls in', () => {
    expect(bucketInWords({ bucketBy: 'accountId', value: 'acme', bucket: 4211, total: 100000, variation: 0, from: 0, to: 10000 }, booleans))
      .toBe('Bucket 4\u202f211 of 100\u202f000 by accountId “acme” → true (0–10\u202f000).');
    expect(bucketInWords({ bucketBy: 'accountId', total: 100000 }, booleans)).toBe('The context has no accountId to be bucketed by, so it is not in the rollout.');
  });

  it('tell the whole story, marking the step that decided', () => {
    const steps: ExplanationStep[] = [
      { step: 'prerequisite', flag: 'gate', found: true, on: true, requiredVariation: 0, servedVariation: 0, met: true },
      { step: 'targets', contextKey: 'u1', matched: false },
      { step: 'rule', index: 0, id: 'staff', clauses: [{ index: 0, attribute: 'email', op: 'endsWith', values: ['@example.com'], matched: false }], matched: false },
      { step: 'rule', index: 1, id: 'nordic', clauses: [{ index: 0, attribute: 'country', op: 'in', values: ['NO'], contextValue: 'NO', matched: true }],
        matched: true, served: 0, bucket: { bucketBy: 'key', value: 'u1', bucket: 5, total: 100, variation: 0, from: 0, to: 10 } },
    ];
    const words = explanationInWords(steps, booleans);
    expect(words.map((s) => s.text)).toEqual([
      'Prerequisite “gate” serves variation #0, as required.',
      'The context key “u1” is not among the individual targets.',
      'Rule 1 “staff” did not match: clause 1 failed.',
      'Rule 2 “nordic” matched → true.',
    ]);
    expect(words.map((s) => s.decided)).toEqual([false, false, false, true]);
    expect(words[3].details).toEqual(['Clause 1: country is one of “NO” — yes: the context’s country is “NO”.', 'Bucket 5 of 100 by key “u1” → true (0–10).']);
    expect(explanationInWords([{ step: 'off', served: 1 }], booleans)[0].text).toBe('The flag is off here: it serves false.');
    expect(explanationInWords([{ step: 'fallthrough' }], booleans)[0].text).toBe('No target or rule matched: the default rule serves the application’s default value.');
    expect(explanationInWords([{ step: 'prerequisite', flag: 'gate', found: false, on: false, requiredVariation: 0, met: false, served: 1 }], booleans)[0].text)
      .toBe('Prerequisite “gate” does not exist in this environment but needs to serve variation #0: the flag serves false.');
  });

  it('put a reason in a few words', () => {
    expect(reasonInWords({ kind: 'RULE_MATCH', ruleIndex: 2, ruleId: 'nordic', inRollout: true })).toBe('Rule 3 “nordic” matched (in rollout)');
    expect(reasonInWords({ kind: 'FALLTHROUGH', inRollout: false })).toBe('Default rule');
    expect(reasonInWords({ kind: 'PREREQUISITE_FAILED', prerequisiteKey: 'gate', inRollout: false })).toBe('Prerequisite “gate” not met');
  });
});
