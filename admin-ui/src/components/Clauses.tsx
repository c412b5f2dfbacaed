import { OPERATORS, type Operator } from '../api';
import { newClauseDraft, NUMBER_OPS, STRING_OPS, type ClauseDraft, type ValueType } from '../drafts/clause';

export const OPERATOR_LABELS: Record<Operator, string> = {
  in: 'is one of', startsWith: 'starts with', endsWith: 'ends with', contains: 'contains', matches: 'matches regex',
  numberEq: '= (number)', numberLt: '< (number)', numberLte: '≤ (number)', numberGt: '> (number)', numberGte: '≥ (number)',
  semverEq: '= (semver)', semverLt: '< (semver)', semverLte: '≤ (semver)', semverGt: '> (semver)', semverGte: '≥ (semver)',
  before: 'before (date)', after: 'after (date)', inCidr: 'in address range', exists: 'exists', segmentMatch: 'in segment',
};

function placeholder(op: Operator): string {
  switch (op) {
    case 'matches': return '^.*@example\\.com$';
    case 'inCidr': return '10.0.0.0/8';
    case 'before': case 'after': return '2026-12-01T00:00:00Z';
    default: return NUMBER_OPS.has(op) ? '42' : op.startsWith('semver') ? '1.4.0' : 'one value per line';
  }
}

/** Edits a list of clauses (all must match). */
export function ClausesEditor({ clauses, onChange, segments, idPrefix, allowSegments = true }: {
  clauses: ClauseDraft[]; onChange: (c: ClauseDraft[]) => void; segments: { key: string; name: string }[]; idPrefix: string; allowSegments?: boolean;
}) {
  const set = (i: number, change: Partial<ClauseDraft>) => onChange(clauses.map((c, j) => (j === i ? { ...c, ...change } : c)));
  const ops = OPERATORS.filter((o) => allowSegments || o !== 'segmentMatch');
  return (
    <div class="clauses">
      {clauses.map((c, i) => {
        const id = `${idPrefix}-c${i}`;
        return (
          <fieldset class="clause" key={i}>
            <legend>{i === 0 ? 'If' : 'and'}</legend>
            <label class="field">Attribute
              <input id={`${id}-attr`} list="attributes" value={c.attribute} required maxLength={100}
                onInput={(ev) => set(i, { attribute: ev.currentTarget.value })} />
            </label>
            <label class="field narrow">
              <span><input type="checkbox" checked={c.negate} onChange={(ev) => set(i, { negate: ev.currentTarget.checked })} /> not</span>
            </label>
            <label class="field">Operator
              <select value={c.op} onChange={(ev) => set(i, { op: ev.currentTarget.value as Operator })}>
                {ops.map((o) => <option value={o}>{OPERATOR_LABELS[o]} ({o})</option>)}
              </select>
            </label>
            {c.op === 'segmentMatch' && <SegmentPicker segments={segments} text={c.text} onChange={(text) => set(i, { text })} />}
            {c.op !== 'exists' && c.op !== 'segmentMatch' && (
              <label class="field grow">Values <small>(one per line)</small>
                <textarea rows={Math.min(4, Math.max(1, c.text.split('\n').length))} value={c.text} placeholder={placeholder(c.op)}
                  onInput={(ev) => set(i, { text: ev.currentTarget.value })} />
              </label>
            )}
            {c.op === 'in' && (
              <label class="field narrow">Type
                <select value={c.valueType} onChange={(ev) => set(i, { valueType: ev.currentTarget.value as ValueType })}>
                  <option value="string">text</option><option value="number">number</option><option value="boolean">boolean</option>
                </select>
              </label>
            )}
            {STRING_OPS.has(c.op) && (
              <label class="field narrow">
                <span><input type="checkbox" checked={c.caseInsensitive} onChange={(ev) => set(i, { caseInsensitive: ev.currentTarget.checked })} /> ignore case</span>
              </label>
            )}
            <button type="button" class="link" aria-label={`Remove condition ${i + 1}`} onClick={() => onChange(clauses.filter((_, j) => j !== i))}>Remove</button>
          </fieldset>
        );
      })}
      <button type="button" onClick={() => onChange([...clauses, newClauseDraft()])}>Add condition</button>
      <datalist id="attributes">
        {['key', 'email', 'country', 'plan', 'beta', 'version', 'ip', 'createdAt'].map((a) => <option value={a} />)}
      </datalist>
    </div>
  );
}

/**
 * The segments of a segmentMatch clause, picked from the project's segments (a context in any of
 * them matches). Keys the clause names that are no segment (any more) stay listed, so saving does
 * not drop them unseen; the server refuses them with its own message.
 */
function SegmentPicker({ segments, text, onChange }: { segments: { key: string; name: string }[]; text: string; onChange: (text: string) => void }) {
  const chosen = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const unknown = chosen.filter((k) => !segments.some((s) => s.key === k));
  const options = [...segments, ...unknown.map((key) => ({ key, name: `${key} (no such segment)` }))];
  const toggle = (key: string, checked: boolean) =>
    onChange(options.map((o) => o.key).filter((k) => (k === key ? checked : chosen.includes(k))).join('\n'));
  return (
    <fieldset class="segment-picker grow">
      <legend>Segments <small>(in any of them)</small></legend>
      {options.length === 0 && <p class="hint">This project has no segments yet: create one on the Segments page.</p>}
      {options.map((o) => (
        <label class="check">
          <input type="checkbox" name="segment" value={o.key} checked={chosen.includes(o.key)} onChange={(ev) => toggle(o.key, ev.currentTarget.checked)} />
          {' '}{o.name} <code class="key">{o.key}</code>
        </label>
      ))}
    </fieldset>
  );
}
