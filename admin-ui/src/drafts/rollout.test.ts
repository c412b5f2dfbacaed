import { describe, expect, it } from 'vitest';
import type { Rollout } from '../api';
import { DEFAULT_TOTAL, percent, rolloutFrom, totalOf, variationFrom, weightSum, weightsOf, withBucketBy, withPercent } from './rollout';

const twoWay: Rollout = { variations: [{ variation: 0, weight: 25_000 }, { variation: 1, weight: 75_000 }] };
const threeWay: Rollout = { variations: [{ variation: 0, weight: 50_000 }, { variation: 1, weight: 30_000 }, { variation: 2, weight: 20_000 }] };

describe('a percentage rollout', () => {
  it('starts with everything on the variation served before', () => {
    const rollout = rolloutFrom({ variation: 1 }, 3);
    expect(weightsOf(rollout, 3)).toEqual([0, DEFAULT_TOTAL, 0]);
    expect(weightSum(rollout, 3)).toBe(totalOf(rollout));
    expect(weightsOf(rolloutFrom({}, 2), 2)).toEqual([DEFAULT_TOTAL, 0]);
  });

  it('goes back to the variation with the largest share', () => {
    expect(variationFrom({ rollout: twoWay })).toBe(1);
    expect(variationFrom({ rollout: threeWay })).toBe(0);
    expect(variationFrom({ variation: 2 })).toBe(0);
  });

  it('has a weight for every variation of the flag, 0 for those it leaves out', () => {
    expect(weightsOf({ variations: [{ variation: 2, weight: 100_000 }] }, 3)).toEqual([0, 0, 100_000]);
  });

  it('between two variations, gives the other the rest: always 100 %', () => {
    for (const p of [0, 0.001, 1, 12.5, 33.333, 50, 99.999, 100]) {
      for (const index of [0, 1]) {
        const rollout = withPercent(twoWay, 2, index, p);
        expect(weightSum(rollout, 2)).toBe(DEFAULT_TOTAL);
        expect(percent(weightsOf(rollout, 2)[index], DEFAULT_TOTAL)).toBe(p);
      }
    }
  });

  it('clamps a share to 0–100 %', () => {
    expect(weightsOf(withPercent(twoWay, 2, 0, 140), 2)).toEqual([100_000, 0]);
    expect(weightsOf(withPercent(twoWay, 2, 0, -5), 2)).toEqual([0, 100_000]);
  });

  it('among three or more, changes only the share typed: the sum shows whether it is 100 %', () => {
    const rollout = withPercent(threeWay, 3, 1, 40);
    expect(weightsOf(rollout, 3)).toEqual([50_000, 40_000, 20_000]);
    expect(percent(weightSum(rollout, 3), totalOf(rollout))).toBe(110);
    expect(weightSum(withPercent(rollout, 3, 0, 40), 3)).toBe(DEFAULT_TOTAL);
  });

  it('keeps its own total, bucketing attribute and seed', () => {
    const custom: Rollout = { variations: [{ variation: 0, weight: 500 }, { variation: 1, weight: 500 }], total: 1000, bucketBy: 'org', seed: 7 };
    const rollout = withPercent(custom, 2, 0, 30);
    expect(rollout).toEqual({ variations: [{ variation: 0, weight: 300 }, { variation: 1, weight: 700 }], total: 1000, bucketBy: 'org', seed: 7 });
  });

  it('shows shares to three decimals', () => {
    expect(percent(33_333, DEFAULT_TOTAL)).toBe(33.333);
    expect(percent(1, 3)).toBe(33.333);
  });

  it('buckets by the attribute typed, or by the key when it is left empty', () => {
    expect(withBucketBy(twoWay, ' org ')).toEqual({ ...twoWay, bucketBy: 'org' });
    expect(withBucketBy({ ...twoWay, bucketBy: 'org' }, '  ')).toEqual(twoWay);
    expect(withBucketBy({ ...twoWay, bucketBy: 'org' }, '')).not.toHaveProperty('bucketBy');
  });
});
