import { describe, expect, it } from 'vitest';
import type { Flag, FlagKind, Json } from './api';
import { parseVariation, variationLabel, variationText, writeOf } from './flag';

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
