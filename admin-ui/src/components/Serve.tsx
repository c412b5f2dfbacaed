import type { Rollout, Serve, Variation } from '../api';
import { showValue } from './common';

export function variationLabel(variations: Variation[], index: number): string {
  const v = variations[index];
  if (!v) return `#${index} (missing)`;
  return v.name ? `${v.name} (${showValue(v.value)})` : showValue(v.value);
}

export function VariationSelect({ variations, value, onChange, label }: { variations: Variation[]; value: number; onChange: (i: number) => void; label: string }) {
  return (
    <label class="field">{label}
      <select value={String(value)} onChange={(ev) => onChange(Number(ev.currentTarget.value))}>
        {variations.map((_, i) => <option value={String(i)}>{variationLabel(variations, i)}</option>)}
      </select>
    </label>
  );
}

const percent = (weight: number, total: number) => Math.round((weight / total) * 100 * 1000) / 1000;

/** Serve a fixed variation or a sticky percentage rollout (a slider for two variations). */
export function ServeEditor({ serve, variations, onChange, idPrefix, label }: {
  serve: Serve; variations: Variation[]; onChange: (s: Serve) => void; idPrefix: string; label: string;
}) {
  const mode = serve.rollout ? 'rollout' : 'variation';
  const toRollout = (): Rollout => ({
    variations: variations.map((_, i) => ({ variation: i, weight: i === (serve.variation ?? 0) ? 100000 : 0 })),
  });
  return (
    <fieldset class="serve">
      <legend>{label}</legend>
      <div class="radios" role="radiogroup">
        <label><input type="radio" name={`${idPrefix}-mode`} checked={mode === 'variation'}
          onChange={() => onChange({ variation: serve.rollout?.variations.reduce((a, b) => (b.weight > a.weight ? b : a)).variation ?? 0 })} /> one variation</label>
        <label><input type="radio" name={`${idPrefix}-mode`} checked={mode === 'rollout'}
          onChange={() => onChange({ rollout: toRollout() })} /> a percentage rollout</label>
      </div>
      {mode === 'variation'
        ? <VariationSelect label="Variation" variations={variations} value={serve.variation ?? 0} onChange={(variation) => onChange({ variation })} />
        : <RolloutEditor rollout={serve.rollout!} variations={variations} onChange={(rollout) => onChange({ rollout })} idPrefix={idPrefix} />}
    </fieldset>
  );
}

function RolloutEditor({ rollout, variations, onChange, idPrefix }: { rollout: Rollout; variations: Variation[]; onChange: (r: Rollout) => void; idPrefix: string }) {
  const total = rollout.total ?? 100000;
  // every variation of the flag gets a row, in flag order
  const weights = variations.map((_, i) => rollout.variations.find((w) => w.variation === i)?.weight ?? 0);
  const write = (next: number[]) => onChange({
    ...rollout,
    variations: next.map((weight, variation) => ({ variation, weight })),
  });
  const setPercent = (i: number, p: number) => {
    const w = Math.max(0, Math.min(total, Math.round((p / 100) * total)));
    const next = [...weights];
    next[i] = w;
    if (variations.length === 2) next[1 - i] = total - w;
    write(next);
  };
  const sum = weights.reduce((a, b) => a + b, 0);
  return (
    <div class="rollout">
      {variations.length === 2 && (
        <label class="field slider">
          <span>{variationLabel(variations, 0)}: <output id={`${idPrefix}-pct`}>{percent(weights[0], total)} %</output></span>
          <input type="range" min={0} max={100} step={1} value={percent(weights[0], total)}
            aria-label={`Percentage served ${variationLabel(variations, 0)}`}
            onInput={(ev) => setPercent(0, Number(ev.currentTarget.value))} />
        </label>
      )}
      <div class="weights">
        {variations.map((_, i) => (
          <label class="field narrow">{variationLabel(variations, i)} %
            <input type="number" min={0} max={100} step={0.001} value={percent(weights[i], total)}
              aria-label={`Percent ${variationLabel(variations, i)}`}
              onChange={(ev) => setPercent(i, Number(ev.currentTarget.value))} />
          </label>
        ))}
      </div>
      {sum !== total && <p class="error" role="alert">The percentages add up to {percent(sum, total)} %, not 100 %.</p>}
      <label class="field">Bucket by attribute <small>(the context key when empty)</small>
        <input value={rollout.bucketBy ?? ''} placeholder="key"
          onInput={(ev) => { const v = ev.currentTarget.value.trim(); const { bucketBy: _, ...rest } = rollout; onChange(v ? { ...rest, bucketBy: v } : rest); }} />
      </label>
    </div>
  );
}
