import { describe, expect, it } from 'vitest';
import type { SegmentConfig } from '../api';
import { fromSegmentDraft, keys, newSegmentRuleDraft, toSegmentDraft } from './segmentConfig';

describe('a segment configuration as a draft and back', () => {
  const config: Required<SegmentConfig> = {
    included: ['alice', 'bob'], excluded: ['mallory'],
    rules: [{ id: 'nordics', clauses: [{ attribute: 'country', op: 'in', values: ['NO', 'SE'] }] }, { clauses: [{ attribute: 'beta', op: 'exists' }] }],
  };

  it('comes back as it was', () => {
    expect(fromSegmentDraft(toSegmentDraft(config))).toEqual(config);
  });

  it('gives an empty configuration as empty texts and lists', () => {
    expect(toSegmentDraft({})).toEqual({ included: '', excluded: '', rules: [] });
    expect(fromSegmentDraft(toSegmentDraft({}))).toEqual({ included: [], excluded: [], rules: [] });
  });

  it('names the rule and condition whose value does not fit', () => {
    const draft = { ...toSegmentDraft(config), rules: [newSegmentRuleDraft()] };
    expect(() => fromSegmentDraft(draft)).toThrow('Rule 1, condition 1: give at least one value');
  });
});

describe('keys typed', () => {
  it('are separated by lines, spaces or commas', () => {
    expect(keys(' a,b\n c  d,,\n')).toEqual(['a', 'b', 'c', 'd']);
    expect(keys('   ')).toEqual([]);
  });
});
