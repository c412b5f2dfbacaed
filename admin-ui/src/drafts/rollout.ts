import type { Rollout, Serve } from '../api';

/** The weights of a rollout add up to this unless it says otherwise (100 % in steps of 0.001 %). */
export const DEFAULT_TOTAL = 100_000;

export const totalOf = (rollout: Rollout) => rollout.total ?? DEFAULT_TOTAL;

/** A weight as a percentage of the total, to three decimals. */
export const percent = (weight: number, total: number) => Math.round((weight / total) * 100 * 1000) / 1000;

/** The weight of every variation of the flag, in flag order (0 for those the rollout leaves out). */
export function weightsOf(rollout: Rollout, variationCount: number): number[] {
  return Array.from({ length: variationCount }, (_, i) => rollout.variations.find((w) => w.variation === i)?.weight ?? 0);
}

/** The weights added up: the whole (the total, 100 %) when the rollout is complete. */
export const weightSum = (rollout: Rollout, variationCount: number) => weightsOf(rollout, variationCount).reduce((a, b) => a + b, 0);

/** A rollout that starts where a fixed variation stood: all of it to that variation. */
export function rolloutFrom(serve: Serve, variationCount: number): Rollout {
  return {
    variations: Array.from({ length: variationCount }, (_, i) => ({ variation: i, weight: i === (serve.variation ?? 0) ? DEFAULT_TOTAL : 0 })),
  };
}

/** Going back from a rollout to one variation: the one with the largest share. */
export function variationFrom(serve: Serve): number {
  const weights = serve.rollout?.variations ?? [];
  return weights.length ? weights.reduce((a, b) => (b.weight > a.weight ? b : a)).variation : 0;
}

/**
 * Gives variation `index` a share of `p` percent (clamped to 0–100). With two variations the other
 * gets the rest, so the two always add up to 100 %; with more, the others stay as they are.
 */
export function withPercent(rollout: Rollout, variationCount: number, index: number, p: number): Rollout {
  const total = totalOf(rollout);
  const weights = weightsOf(rollout, variationCount);
  const w = Math.max(0, Math.min(total, Math.round((p / 100) * total)));
  weights[index] = w;
  if (variationCount === 2) weights[1 - index] = total - w;
  return { ...rollout, variations: weights.map((weight, variation) => ({ variation, weight })) };
}

/** Buckets by the attribute typed, or by the context key when it is left empty. */
export function withBucketBy(rollout: Rollout, text: string): Rollout {
  const attribute = text.trim();
  const { bucketBy: _, ...rest } = rollout;
  return attribute ? { ...rest, bucketBy: attribute } : rest;
}
