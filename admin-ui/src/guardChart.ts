// A guard's live state as a picture: the geometry of a small SVG chart, computed here without JSX
// so it can be unit-tested, and the sentence that says the same for screen readers.
//
// Three bands, one above the other, in a fixed viewBox the page scales to its width:
//   1. the value per arm (control "without", treatment "with the release") as bars on one axis;
//   2. the treatment's worsening (positive: worse) with its always-valid interval, the zero line
//      and the tolerance line, the side beyond the tolerance shaded as "regression";
//   3. the sample so far per arm against the minimum sample (a bar filling up to the mark).

import type { ReleaseGuard } from './api';

export const CHART_WIDTH = 480;
export const CHART_HEIGHT = 216;
/** Where the plotting area starts and ends across (labels sit left of it, values right). */
export const PLOT_LEFT = 120;
export const PLOT_RIGHT = 360;

export interface ArmBar { label: string; y: number; x: number; width: number; value: number; text: string }
export interface SampleBar { label: string; y: number; x: number; width: number; full: number; n: number; text: string }
export interface IntervalGeometry {
  y: number;
  /** the interval's ends across; an unbounded end is drawn to the plot's edge, marked open */
  x1: number; x2: number; lowerOpen: boolean; upperOpen: boolean;
  estimateX: number; zeroX: number; toleranceX: number;
  /** the side beyond the tolerance (a regression when the whole interval lies there) */
  regionX: number; regionWidth: number;
  estimateText: string; toleranceText: string;
  /** the tolerance's label sits beside its line, on the side with more room */
  toleranceLabelX: number; toleranceAnchor: 'start' | 'end';
}
export interface GuardChart {
  width: number; height: number; plotLeft: number; plotRight: number;
  arms: ArmBar[];
  /** absent until both arms have a value */
  interval?: IntervalGeometry;
  samples: SampleBar[];
  verdict: Verdict;
  /** the picture in one sentence (aria-label), and the same as separate lines (the visually-hidden text) */
  sentence: string;
  lines: string[];
}
export type Verdict = 'not_started' | 'too_few' | 'no_regression' | 'regression';

type Kind = 'rate' | 'ratio' | 'mean';

/** A value of the metric as people read it: rates and ratios in per cent, means as numbers. */
export function formatValue(kind: Kind, value: number): string {
  return kind === 'mean' ? formatNumber(value) : `${(value * 100).toFixed(2)} %`;
}

/** A difference of the metric: percentage points for rates and ratios, the unit's number for means. */
export function formatDifference(kind: Kind, value: number): string {
  const sign = value > 0 ? '+' : value < 0 ? '−' : '';
  return kind === 'mean' ? `${sign}${formatNumber(Math.abs(value))}` : `${sign}${(Math.abs(value) * 100).toFixed(2)} points`;
}

function formatNumber(value: number): string {
  return Number(value.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 4 });
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A linear scale from [lo, hi] onto [PLOT_LEFT, PLOT_RIGHT]; a degenerate domain maps to its middle. */
export function scale(lo: number, hi: number): (v: number) => number {
  const span = hi - lo;
  return (v) => (span > 0 ? PLOT_LEFT + ((v - lo) / span) * (PLOT_RIGHT - PLOT_LEFT) : (PLOT_LEFT + PLOT_RIGHT) / 2);
}

/** A domain that holds every value given, with some room on both sides. */
function domain(values: number[]): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.1 || 1e-3;
  return [lo - pad, hi + pad];
}

export function guardChart(guard: ReleaseGuard): GuardChart {
  const kind = guard.metric.kind;
  const state = guard.state;
  const minSample = state?.minSample ?? guard.minSample ?? 1000;
  const control = state?.control;
  const treatment = state?.treatment;
  const verdict: Verdict = state?.verdict ?? 'not_started';

  // 1. values per arm, from zero (or the lowest value, should a mean be negative)
  const arms: ArmBar[] = [];
  if (control && treatment) {
    const hi = Math.max(control.value, treatment.value, 0);
    const lo = Math.min(control.value, treatment.value, 0);
    const x = scale(lo, hi + (hi - lo) * 0.05 || 1);
    const zero = x(0);
    for (const [label, arm, y] of [['without', control, 24], ['with the release', treatment, 48]] as const) {
      const end = x(arm.value);
      arms.push({ label, y, x: Math.min(zero, end), width: Math.abs(end - zero), value: arm.value, text: formatValue(kind, arm.value) });
    }
  }

  // 2. the worsening and its interval against zero and the tolerance
  let interval: IntervalGeometry | undefined;
  if (state && control && treatment && state.estimate !== undefined && state.tolerance !== undefined) {
    const known = [0, state.tolerance, state.estimate];
    if (state.lower !== undefined) known.push(state.lower);
    if (state.upper !== undefined) known.push(state.upper);
    const [lo, hi] = domain(known);
    const x = scale(lo, hi);
    const toleranceX = x(state.tolerance);
    interval = {
      y: 112,
      x1: state.lower === undefined ? PLOT_LEFT : x(state.lower),
      x2: state.upper === undefined ? PLOT_RIGHT : x(state.upper),
      lowerOpen: state.lower === undefined,
      upperOpen: state.upper === undefined,
      estimateX: x(state.estimate),
      zeroX: x(0),
      toleranceX,
      regionX: toleranceX,
      regionWidth: PLOT_RIGHT - toleranceX,
      toleranceLabelX: toleranceX < (PLOT_LEFT + PLOT_RIGHT) / 2 ? toleranceX + 4 : toleranceX - 4,
      toleranceAnchor: toleranceX < (PLOT_LEFT + PLOT_RIGHT) / 2 ? 'start' : 'end',
      estimateText: formatDifference(kind, state.estimate),
      toleranceText: formatDifference(kind, state.tolerance),
    };
  }

  // 3. the sample so far against the minimum per arm
  const samples: SampleBar[] = [];
  const full = PLOT_RIGHT - PLOT_LEFT;
  for (const [label, n, y] of [['without', control?.n ?? 0, 172], ['with the release', treatment?.n ?? 0, 196]] as const) {
    samples.push({ label, y, x: PLOT_LEFT, width: full * Math.min(1, n / minSample), full, n,
      text: `${formatCount(n)} of ${formatCount(minSample)}` });
  }

  const lines = describe(guard, kind, minSample, verdict);
  return { width: CHART_WIDTH, height: CHART_HEIGHT, plotLeft: PLOT_LEFT, plotRight: PLOT_RIGHT, arms, interval, samples, verdict,
    sentence: lines.join(' '), lines };
}

/** The chart in words, one sentence per band, as a screen reader should hear it. */
function describe(guard: ReleaseGuard, kind: Kind, minSample: number, verdict: Verdict): string[] {
  const state = guard.state;
  const metric = metricName(guard);
  const name = `Guard ‘${guard.name}’`;
  if (!state || !state.control || !state.treatment) {
    return [`${name} on ${metric}: no look yet${guard.step ? `; it starts counting when step ${guard.step} applies` : ''}.`];
  }
  const { control, treatment } = state;
  const lines = [`${name} on ${metric}: ${formatValue(kind, treatment.value)} with the release against ${formatValue(kind, control.value)} without.`];
  if (state.estimate !== undefined && state.tolerance !== undefined) {
    const bounds = state.lower !== undefined && state.upper !== undefined
      ? `interval ${formatDifference(kind, state.lower)} to ${formatDifference(kind, state.upper)}`
      : 'interval still unbounded';
    const where = verdict === 'regression' ? 'the whole interval lies beyond' : 'the interval does not lie wholly beyond';
    lines.push(`Difference ${formatDifference(kind, state.estimate)} (${bounds}); ${where} the tolerated ${formatDifference(kind, state.tolerance)}.`);
  }
  lines.push(`Samples: ${formatCount(treatment.n)} with the release and ${formatCount(control.n)} without, of ${formatCount(minSample)} needed per arm.`);
  return lines;
}

function metricName(guard: ReleaseGuard): string {
  const m = guard.metric;
  return m.kind === 'rate' ? `${m.event} per exposure` : m.kind === 'ratio' ? `${m.event} per ${m.per}` : `mean ${m.event}`;
}

/**
 * What the guard did, in words: nothing to do yet, waiting for samples, no regression so far, or
 * the regression and what followed (the release paused, the deployment rolled back).
 */
export function guardOutcome(guard: ReleaseGuard, deployment: { status: string; release?: { state: string; pausedBy?: string } | null }):
  { headline: string; tone: 'quiet' | 'waiting' | 'ok' | 'bad' } {
  const verdict = guard.state?.verdict;
  if (!guard.state || !verdict) return { headline: guard.step ? `Starts with step ${guard.step}` : 'No look yet', tone: 'quiet' };
  if (verdict === 'too_few') return { headline: 'Waiting for samples', tone: 'waiting' };
  if (verdict === 'no_regression') return { headline: 'No regression so far', tone: 'ok' };
  if (guard.action === 'rollback' && deployment.status === 'rolled_back') return { headline: 'Regression: rolled back', tone: 'bad' };
  if (deployment.release?.state === 'paused') return { headline: 'Regression: release paused', tone: 'bad' };
  return { headline: guard.action === 'rollback' ? 'Regression: rolling back' : 'Regression: pausing', tone: 'bad' };
}
