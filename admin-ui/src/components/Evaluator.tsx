import { useState } from 'preact/hooks';
import { explainApi, type Environment, type ExplainedDetail, type Flag, type Json } from '../api';
import {
  ATTRIBUTE_TYPES, AttributeError, attributesToRows, explanationInWords, parseAttributes, reasonInWords, rowsToAttributes,
  type AttributeRow, type AttributeType,
} from '../explain';
import { ErrorMessage } from './common';
import { showValue } from '../format';

interface Answer { env: Environment; detail?: ExplainedDetail; error?: unknown }

/**
 * What the SDK answers for a context in every environment, and why: each answer is computed by the
 * server with the SDK's own evaluator, which also records the steps it took (rules, clauses,
 * segments, the rollout's bucket); they are shown here as sentences.
 */
export function Evaluator({ project, flag, envs }: { project: string; flag: Flag; envs: Environment[] }) {
  const [key, setKey] = useState('');
  const [rows, setRows] = useState<AttributeRow[]>([{ name: '', type: 'text', value: '' }]);
  const [asJson, setAsJson] = useState(false);
  const [json, setJson] = useState('{}');
  const [answers, setAnswers] = useState<{ key: string; list: Answer[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [badRow, setBadRow] = useState(-1);

  const fail = (e: unknown) => {
    setError(e);
    setBadRow(e instanceof AttributeError ? e.row : -1);
  };

  /** Switches between rows and JSON, carrying the attributes over (or saying why not). */
  const toggleJson = () => {
    setError(null);
    try {
      if (asJson) {
        const parsed = attributesToRows(parseAttributes(json));
        setRows(parsed.length ? parsed : [{ name: '', type: 'text', value: '' }]);
      } else {
        setJson(JSON.stringify(rowsToAttributes(rows), null, 2));
      }
      setAsJson(!asJson);
    } catch (e) { fail(e); }
  };

  const setRow = (i: number, change: Partial<AttributeRow>) =>
    setRows(rows.map((row, j) => (j === i ? { ...row, ...change } : row)));

  const run = async (ev: Event) => {
    ev.preventDefault();
    setError(null);
    setBadRow(-1);
    setAnswers(null);
    let attributes: Record<string, Json>;
    try {
      attributes = asJson ? parseAttributes(json) : rowsToAttributes(rows);
    } catch (e) { fail(e); return; }
    const context = { ...attributes, key };
    const list = await Promise.all(envs.map((env) => explainApi.evaluateExplained(project, env.key, context, [flag.key])
      .then((result): Answer => ({ env, detail: result.results[flag.key], error: result.results[flag.key] ? undefined : new Error('Not in this environment’s data') }))
      .catch((e: unknown): Answer => ({ env, error: e }))));
    setAnswers({ key, list });
  };

  return (
    <form class="preview evaluator card" onSubmit={run} aria-labelledby="preview-title">
      <h2 id="preview-title">Evaluate for a context</h2>
      <p class="hint">What an SDK answers in each environment, and why — computed by the server with the SDK’s own evaluator.</p>
      <label class="field">Context key
        <input name="contextKey" required value={key} onInput={(ev) => setKey(ev.currentTarget.value)} placeholder="user-42" />
      </label>
      <fieldset class="attributes">
        <legend>Attributes</legend>
        {asJson ? (
          <label class="field">Attributes (JSON)
            <textarea name="attributes" rows={4} value={json} onInput={(ev) => setJson(ev.currentTarget.value)} />
          </label>
        ) : (
          <ul class="attribute-rows">
            {rows.map((row, i) => (
              <li class="attribute-row" key={i} aria-invalid={badRow === i ? 'true' : undefined}>
                <input aria-label={`Attribute ${i + 1} name`} placeholder="country" value={row.name}
                  onInput={(ev) => setRow(i, { name: ev.currentTarget.value })} />
                <select aria-label={`Attribute ${i + 1} type`} value={row.type}
                  onChange={(ev) => {
                    const type = ev.currentTarget.value as AttributeType;
                    setRow(i, { type, value: type === 'boolean' ? 'true' : row.value });
                  }}>
                  {ATTRIBUTE_TYPES.map((t) => <option value={t}>{t}</option>)}
                </select>
                {row.type === 'boolean' ? (
                  <select aria-label={`Attribute ${i + 1} value`} value={row.value} onChange={(ev) => setRow(i, { value: ev.currentTarget.value })}>
                    <option value="true">true</option><option value="false">false</option>
                  </select>
                ) : (
                  <input aria-label={`Attribute ${i + 1} value`} value={row.value} inputMode={row.type === 'number' ? 'decimal' : undefined}
                    placeholder={row.type === 'list' ? 'a, b, c' : row.type === 'number' ? '42' : 'NO'}
                    onInput={(ev) => setRow(i, { value: ev.currentTarget.value })} />
                )}
                <button type="button" class="secondary" aria-label={`Remove attribute ${i + 1}`}
                  onClick={() => setRows(rows.filter((_, j) => j !== i))}>Remove</button>
              </li>
            ))}
          </ul>
        )}
        <div class="row">
          {!asJson && <button type="button" class="secondary" onClick={() => setRows([...rows, { name: '', type: 'text', value: '' }])}>Add attribute</button>}
          <button type="button" class="secondary" aria-pressed={asJson} onClick={toggleJson}>{asJson ? 'Edit as rows' : 'Edit as JSON'}</button>
        </div>
      </fieldset>
      <button type="submit">Evaluate</button>
      <ErrorMessage error={error} />
      {answers && (
        <table class="evaluation" data-testid="evaluation" aria-live="polite">
          <caption>Answers for “{answers.key}” in every environment</caption>
          <thead><tr><th scope="col">Environment</th><th scope="col">Value</th><th scope="col">Reason</th><th scope="col">Why</th></tr></thead>
          <tbody>
            {answers.list.map(({ env, detail, error: failed }) => (
              <tr key={env.key} data-env={env.key} data-reason-kind={detail?.reason.kind} data-in-rollout={detail ? String(detail.reason.inRollout) : undefined}>
                <th scope="row">{env.name}</th>
                {detail ? (
                  <>
                    <td class="value"><code>{showValue(detail.value)}</code> <span class="hint">(variation #{detail.variationIndex})</span></td>
                    <td class="reason">{reasonInWords(detail.reason)}</td>
                    <td class="why">
                      <details>
                        <summary>Why?</summary>
                        <ol class="explanation">
                          {explanationInWords(detail.explanation, flag.variations).map((s) => (
                            <li class={s.decided ? 'decided' : undefined}>
                              {s.text}
                              {s.details.length > 0 && <ul>{s.details.map((d) => <li>{d}</li>)}</ul>}
                            </li>
                          ))}
                        </ol>
                      </details>
                    </td>
                  </>
                ) : <td colSpan={3}><ErrorMessage error={failed} /></td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </form>
  );
}
