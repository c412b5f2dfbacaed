import { describe, expect, it } from 'vitest';
import type { ReleaseGuard } from './api';
import { formatDifference, formatValue, guardChart, guardOutcome, PLOT_LEFT, PLOT_RIGHT } from './guardChart';

const errorGuard = (state?: ReleaseGuard['state']): ReleaseGuard => ({
  name: 'error', metric: { kind: 'rate', event: 'error' }, minSample: 1000, action: 'rollback', alpha: 0.05, state,
});

const regression = errorGuard({
  verdict: 'regression', flag: 'pay', control: { n: 22_500, events: 225, value: 0.01 }, treatment: { n: 2_500, events: 125, value: 0.05 },
  estimate: 0.04, lower: 0.021, upper: 0.059, tolerance: 0, statistic: 9.2, alpha: 0.05, minSample: 1000,
  summary: "guard 'error' found a regression on pay: …",
});

describe('guardChart', () => {
  it('draws both arms from zero, the larger value the longer bar, inside the plot', () => {
    const chart = guardChart(regression);
    const [control, treatment] = chart.arms;
    expect(control.label).toBe('without');
    expect(treatment.label).toBe('with the release');
    expect(control.x).toBe(PLOT_LEFT);
    expect(treatment.width).toBeCloseTo(control.width * 5, 6);
    expect(treatment.x + treatment.width).toBeLessThanOrEqual(PLOT_RIGHT);
    expect(control.text).toBe('1.00 %');
    expect(treatment.text).toBe('5.00 %');
  });

  it('places zero, the tolerance, the interval and the estimate in their order on one axis', () => {
    const i = guardChart(regression).interval!;
    expect(i.zeroX).toBe(i.toleranceX); // tolerance 0
    expect(i.x1).toBeGreaterThan(i.toleranceX); // the whole interval beyond the tolerance: a regression
    expect(i.x1).toBeLessThan(i.estimateX);
    expect(i.estimateX).toBeLessThan(i.x2);
    expect(i.x1).toBeGreaterThanOrEqual(PLOT_LEFT);
    expect(i.x2).toBeLessThanOrEqual(PLOT_RIGHT);
    expect(i.regionX).toBe(i.toleranceX);
    expect(i.regionX + i.regionWidth).toBe(PLOT_RIGHT);
    expect(i.lowerOpen || i.upperOpen).toBe(false);
    expect(i.estimateText).toBe('+4.00 points');
    expect([i.toleranceLabelX, i.toleranceAnchor]).toEqual([i.toleranceX + 4, 'start']); // room on the right
  });

  it('draws an unbounded interval to the edges, marked open, and a positive tolerance right of zero', () => {
    const i = guardChart(errorGuard({
      verdict: 'no_regression', control: { n: 5000, value: 0.01 }, treatment: { n: 1200, value: 0.0105 }, estimate: 0.0005,
      tolerance: 0.002, minSample: 1000,
    })).interval!;
    expect(i.lowerOpen && i.upperOpen).toBe(true);
    expect(i.x1).toBe(PLOT_LEFT);
    expect(i.x2).toBe(PLOT_RIGHT);
    expect(i.toleranceX).toBeGreaterThan(i.zeroX);
    expect(i.estimateX).toBeGreaterThan(i.zeroX);
    expect(i.estimateX).toBeLessThan(i.toleranceX);
  });

  it('fills the sample bars up to the minimum per arm, and no further', () => {
    const chart = guardChart(errorGuard({ verdict: 'too_few', control: { n: 900, value: 0.01 }, treatment: { n: 120, value: 0.02 }, minSample: 1000 }));
    const [control, treatment] = chart.samples;
    expect(control.width / control.full).toBeCloseTo(0.9, 6);
    expect(treatment.width / treatment.full).toBeCloseTo(0.12, 6);
    expect(treatment.text).toBe('120 of 1,000');
    expect(guardChart(regression).samples.every((s) => s.width === s.full)).toBe(true);
    expect(chart.interval).toBeUndefined(); // no estimate yet
  });

  it('says what it shows in one sentence', () => {
    expect(guardChart(regression).sentence).toBe('Guard ‘error’ on error per exposure: 5.00 % with the release against 1.00 % without. '
      + 'Difference +4.00 points (interval +2.10 points to +5.90 points); the whole interval lies beyond the tolerated 0.00 points. '
      + 'Samples: 2,500 with the release and 22,500 without, of 1,000 needed per arm.');
    expect(guardChart({ ...errorGuard(), step: 2 }).sentence).toBe('Guard ‘error’ on error per exposure: no look yet; it starts counting when step 2 applies.');
    expect(guardChart({ ...errorGuard(), step: 2 }).arms).toEqual([]);
  });

  it('reads means as numbers and their differences in the unit', () => {
    expect(formatValue('mean', 130)).toBe('130');
    expect(formatDifference('mean', -12.345)).toBe('−12.35');
    expect(formatDifference('rate', 0)).toBe('0.00 points');
  });
});

describe('guardOutcome', () => {
  it('says what the guard did', () => {
    expect(guardOutcome(regression, { status: 'rolled_back', release: { state: 'cancelled' } }).headline).toBe('Regression: rolled back');
    expect(guardOutcome({ ...regression, action: 'pause' }, { status: 'succeeded', release: { state: 'paused', pausedBy: 'policy:guard' } }).headline)
      .toBe('Regression: release paused');
    expect(guardOutcome(errorGuard({ verdict: 'too_few' }), { status: 'succeeded' }).headline).toBe('Waiting for samples');
    expect(guardOutcome(errorGuard({ verdict: 'no_regression' }), { status: 'succeeded' }).headline).toBe('No regression so far');
    expect(guardOutcome({ ...errorGuard(), step: 2 }, { status: 'succeeded' }).headline).toBe('Starts with step 2');
  });
});
