import { describe, expect, it } from 'vitest';
import type { Clause } from '../api';
import { fromClauseDraft, newClauseDraft, toClauseDraft } from './clause';

const roundTrip = (c: Clause) => fromClauseDraft(toClauseDraft(c), 'here');

describe('a clause as a draft and back', () => {
  it.each<Clause>([
    { attribute: 'country', op: 'in', values: ['NO', 'SE'] },
    { attribute: 'plan', op: 'in', values: ['Pro'], caseInsensitive: true, negate: true },
    { attribute: 'age', op: 'in', values: [18, 21] },
    { attribute: 'beta', op: 'in', values: [true] },
    { attribute: 'age', op: 'numberGte', values: [18.5] },
    { attribute: 'email', op: 'endsWith', values: ['@example.com'] },
    { attribute: 'email', op: 'matches', values: ['^.*@example\\.com$'] },
    { attribute: 'version', op: 'semverLt', values: ['1.4.0'] },
    { attribute: 'createdAt', op: 'after', values: ['2026-12-01T00:00:00Z'] },
    { attribute: 'createdAt', op: 'before', values: [1700000000000] },
    { attribute: 'ip', op: 'inCidr', values: ['10.0.0.0/8'] },
    { attribute: 'key', op: 'segmentMatch', values: ['beta-customers'] },
    { attribute: 'beta', op: 'exists' },
    { attribute: 'beta', op: 'exists', negate: true },
  ])('$op on $attribute comes back as it was', (clause) => {
    expect(roundTrip(clause)).toEqual(clause);
  });

  it('shows values one per line, numbers and booleans as they are written', () => {
    expect(toClauseDraft({ attribute: 'age', op: 'in', values: [18, 21] })).toMatchObject({ text: '18\n21', valueType: 'number' });
    expect(toClauseDraft({ attribute: 'beta', op: 'in', values: [false] })).toMatchObject({ text: 'false', valueType: 'boolean' });
    expect(toClauseDraft({ attribute: 'beta', op: 'exists' })).toMatchObject({ text: '', valueType: 'string', negate: false });
  });
});

describe('a clause draft as typed', () => {
  const draft = (change: Partial<ReturnType<typeof newClauseDraft>>) => ({ ...newClauseDraft(), ...change });

  it('trims the attribute and the values, and skips empty lines', () => {
    expect(fromClauseDraft(draft({ attribute: ' country ', text: ' NO \n\n  SE\n' }), 'here'))
      .toEqual({ attribute: 'country', op: 'in', values: ['NO', 'SE'] });
  });

  it('types the values of "is one of" as chosen', () => {
    expect(fromClauseDraft(draft({ text: '1\n2.5', valueType: 'number' }), 'here').values).toEqual([1, 2.5]);
    expect(fromClauseDraft(draft({ text: 'true\nfalse', valueType: 'boolean' }), 'here').values).toEqual([true, false]);
  });

  it('keeps "ignore case" only for operators on text', () => {
    expect(fromClauseDraft(draft({ op: 'startsWith', text: 'a', caseInsensitive: true }), 'here')).toHaveProperty('caseInsensitive', true);
    expect(fromClauseDraft(draft({ op: 'numberGt', text: '1', caseInsensitive: true }), 'here')).not.toHaveProperty('caseInsensitive');
  });

  it('drops values typed before switching to "exists"', () => {
    expect(fromClauseDraft(draft({ op: 'exists', text: 'left over' }), 'here')).toEqual({ attribute: 'key', op: 'exists' });
  });

  it('says where a value does not fit, and which', () => {
    expect(() => fromClauseDraft(draft({ op: 'numberLt', text: '12\nlots' }), 'Rule 2, condition 1'))
      .toThrow('Rule 2, condition 1: “lots” is not a number');
    expect(() => fromClauseDraft(draft({ text: 'yes', valueType: 'boolean' }), 'here')).toThrow('here: “yes” is not true or false');
    expect(() => fromClauseDraft(draft({ text: ' \n ' }), 'here')).toThrow('here: give at least one value');
  });
});
