import { describe, expect, it } from 'vitest';
import type { Flag, FlagKind, Json } from './api';
import { byLongestUnused, parseVariation, staleness, usageText, variationLabel, variationText, writeOf } from './flag';

describe('a variation value as text and back', () => {
  it.each<[FlagKind, Json]>([
    ['string', 'red'], ['string', ''], ['string', '42'],
    ['number', 42], ['number', -0.5],
    ['json', { colour: 'red', sizes: [1, 2] }], ['json', null], ['json', 'text'],
  ])('a %s value %j comes back as it was', (kind, value) => {
    expect(parseVariation(kind, variationText(kind, value))).toEqual(value);
  });

  it('refuses text that is not of the kind', () => {
    expect(() => parseVariation('number', 'ten')).toThrow('“ten” is not a number');
    expect(() => parseVariation('number', ' ')).toThrow('is not a number');
    expect(() => parseVariation('json', '{oops')).toThrow('“{oops” is not JSON');
  });
});

describe('a variation as people read it', () => {
  it('is its name and value, its value, or says it is missing', () => {
    const variations = [{ value: 'red', name: 'Red' }, { value: 2 }];
    expect(variationLabel(variations, 0)).toBe('Red ("red")');
    expect(variationLabel(variations, 1)).toBe('2');
    expect(variationLabel(variations, 5)).toBe('#5 (missing)');
  });
});

describe('the definition written back', () => {
  const flag: Flag = {
    key: 'banner', name: 'Banner', kind: 'string', variations: [{ value: 'red' }], tags: ['ui'], lifecycle: 'temporary',
    archived: false, version: 3, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', environments: {},
  };

  it('leaves out the view fields and the optional ones that are absent', () => {
    expect(writeOf(flag)).toEqual({ key: 'banner', name: 'Banner', kind: 'string', variations: [{ value: 'red' }], tags: ['ui'], lifecycle: 'temporary', archived: false });
  });

  it('sends clientSide only when true, and applies the change', () => {
    expect(writeOf({ ...flag, clientSide: true, owner: 'web' }, { archived: true })).toMatchObject({ clientSide: true, owner: 'web', archived: true });
  });
});

describe('how long a flag has gone unused, as the server read it', () => {
  const base: Flag = {
    key: 'a', name: 'A', kind: 'boolean', variations: [{ value: true }, { value: false }], tags: [], lifecycle: 'temporary',
    archived: false, version: 1, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', environments: {},
  };
  const used = (key: string, unusedDays: number, stale: boolean, lastEvaluatedAt?: string): Flag =>
    ({ ...base, key, usage: { unusedDays, stale, ...(lastEvaluatedAt ? { lastEvaluatedAt } : {}) } });

  it('tells “no SDK reports yet” apart from “unused for N days”', () => {
    expect(usageText(used('a', 40, true))).toBe('no SDK reports yet');
    expect(usageText(used('a', 40, true, '2026-01-01T00:00:00Z'))).toBe('unused for 40 days');
    expect(usageText(used('a', 1, false, '2026-01-01T00:00:00Z'))).toBe('unused for 1 day');
    expect(usageText(used('a', 0, false, '2026-01-01T00:00:00Z'))).toBe('evaluated today');
    expect(usageText(base)).toBeNull();
  });

  it('takes the server’s word on staleness, whatever the browser’s clock says', () => {
    expect(staleness(used('a', 3, false, '2020-01-01T00:00:00Z'))).toBeNull();
    expect(staleness(used('a', 40, true, '2026-01-01T00:00:00Z'))).toBe('Not evaluated by any SDK for 40 days: remove it from the code?');
    expect(staleness(used('a', 40, true))).toBe('No SDK reports yet, 40 days after it was created: is it still needed?');
  });

  it('sorts stale flags first, the longest unused first', () => {
    const flags = [used('fresh', 1, false, '2026-01-01T00:00:00Z'), used('b', 10, true), used('c', 40, true, '2026-01-01T00:00:00Z'), used('a', 10, true)];
    expect(flags.sort(byLongestUnused).map((f) => f.key)).toEqual(['c', 'a', 'b', 'fresh']);
  });
});
