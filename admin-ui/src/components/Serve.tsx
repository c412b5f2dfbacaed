import { useState } from 'preact/hooks';
import type { Rollout, Serve, Variation } from '../api';
import { percent, rolloutFrom, totalOf, variationFrom, weightSum, weightsOf, withBucketBy, withPercent } from '../drafts/rollout';
import { variationLabel } from '../flag';

export function VariationSelect({ variations, value, onChange, label }: { variations: Variation[]; value: number; onChange: (i: number) => void; label: string }) {
  return (
    <label class="field">{label}
      <select value={String(value)} onChange={(ev) => onChange(Number(ev.currentTarget.value))}>
        {variations.map((_, i) => <option value={String(i)}>{variationLabel(variations, i)}</option>)}
      </select>
    </label>
  );
}

/** The application's own default, served instead of a variation (an off variation left empty). */
export const APPLICATION_DEFAULT = "the application's own default (no variation)";

/** A variation, or none: the application's own default. */
export function OptionalVariationSelect({ variations, value, onChange, label }: {
  variations: Variation[]; value: number | null; onChange: (i: number | null) => void; label: string;
}) {
  return (
    <label class="field">{label}
      <select value={value === null ? '' : String(value)}
        onChange={(ev) => onChange(ev.currentTarget.value === '' ? null : Number(ev.currentTarget.value))}>
        {variations.map((_, i) => <option value={String(i)}>{variationLabel(variations, i)}</option>)}
        <option value="">{APPLICATION_DEFAULT}</option>
      </select>
    </label>
  );
}

/**
 * Where a serve stands, which decides what a context lacking the rollout's bucketing attribute
 * gets: a rule does not match it, the default rule serves it the off variation.
 */
export type ServePlace = { rule: true } | { rule: false; offVariation: number | null };

/** Serve a fixed variation or a sticky percentage rollout (a slider for two variations). */
export function ServeEditor({ serve, variations, onChange, idPrefix, label, place }: {
  serve: Serve; variations: Variation[]; onChange: (s: Serve) => void; idPrefix: string; label: string; place: ServePlace;
}) {
  const mode = serve.rollout ? 'rollout' : 'variation';
  return (
    <fieldset class="serve">
      <legend>{label}</legend>
      <div class="radios" role="radiogroup">
        <label><input type="radio" name={`${idPrefix}-mode`} checked={mode === 'variation'}
          onChange={() => onChange({ variation: variationFrom(serve) })} /> one variation</label>
        <label><input type="radio" name={`${idPrefix}-mode`} checked={mode === 'rollout'}
          onChange={() => onChange({ rollout: rolloutFrom(serve, variations.length) })} /> a percentage rollout</label>
      </div>
      {mode === 'variation'
        ? <VariationSelect label="Variation" variations={variations} value={serve.variation ?? 0} onChange={(variation) => onChange({ variation })} />
        : <RolloutEditor rollout={serve.rollout!} variations={variations} onChange={(rollout) => onChange({ rollout })} idPrefix={idPrefix}
            withoutAttribute={place.rule ? 'this rule does not match them, and the next rule decides'
              : place.offVariation === null ? `they get ${APPLICATION_DEFAULT}`
                : `they get the off variation, ${variationLabel(variations, place.offVariation)}`} />}
    </fieldset>
  );
}

function RolloutEditor({ rollout, variations, onChange, idPrefix, withoutAttribute }: {
  rollout: Rollout; variations: Variation[]; onChange: (r: Rollout) => void; idPrefix: string; withoutAttribute: string;
}) {
  const total = totalOf(rollout);
  // every variation of the flag gets a row, in flag order
  const weights = weightsOf(rollout, variations.length);
  // the number field being typed in shows what was typed ("12." on the way to "12.5"); the others
  // show the weights, so in a two-way rollout the other share follows every keystroke
  const [typing, setTyping] = useState<{ index: number; text: string } | null>(null);
  const setPercent = (i: number, p: number) => onChange(withPercent(rollout, variations.length, i, p));
  const typed = (i: number, input: HTMLInputElement) => {
    setTyping({ index: i, text: input.value });
    // empty while the text is no number yet (a lone "-", or cleared to type anew): wait for more
    if (input.value !== '' && Number.isFinite(input.valueAsNumber)) setPercent(i, input.valueAsNumber);
  };
  const sum = weightSum(rollout, variations.length);
  const hintId = `${idPrefix}-bucket-hint`;
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
            <input type="number" min={0} max={100} step={0.001}
              value={typing?.index === i ? typing.text : String(percent(weights[i], total))}
              aria-label={`Percent ${variationLabel(variations, i)}`}
              onInput={(ev) => typed(i, ev.currentTarget)} onBlur={() => setTyping(null)} />
          </label>
        ))}
      </div>
      {sum !== total && <p class="error" role="alert">The percentages add up to {percent(sum, total)} %, not 100 %.</p>}
      <label class="field">Bucket by attribute <small>(the context key when empty)</small>
        <input value={rollout.bucketBy ?? ''} placeholder="key" aria-describedby={hintId}
          onInput={(ev) => onChange(withBucketBy(rollout, ev.currentTarget.value))} />
      </label>
      <p class="hint" id={hintId}>Contexts without this attribute are never in the rollout: {withoutAttribute}.</p>
    </div>
  );
}
