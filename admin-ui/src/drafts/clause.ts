import type { Clause, Json, Operator } from '../api';

/** Operators that compare text (they may ignore case). */
export const STRING_OPS: ReadonlySet<Operator> = new Set<Operator>(['in', 'startsWith', 'endsWith', 'contains', 'matches']);
/** Operators that compare numbers. */
export const NUMBER_OPS: ReadonlySet<Operator> = new Set<Operator>(['numberEq', 'numberLt', 'numberLte', 'numberGt', 'numberGte']);

export type ValueType = 'string' | 'number' | 'boolean';

/** A clause as edited: values as text, one per line, typed on save. */
export interface ClauseDraft { attribute: string; op: Operator; text: string; valueType: ValueType; negate: boolean; caseInsensitive: boolean }

export function toClauseDraft(c: Clause): ClauseDraft {
  const values = c.values ?? [];
  const first = values[0];
  return {
    attribute: c.attribute, op: c.op,
    text: values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n'),
    valueType: typeof first === 'number' ? 'number' : typeof first === 'boolean' ? 'boolean' : 'string',
    negate: !!c.negate, caseInsensitive: !!c.caseInsensitive,
  };
}

export function newClauseDraft(): ClauseDraft {
  return { attribute: 'key', op: 'in', text: '', valueType: 'string', negate: false, caseInsensitive: false };
}

/** The clause the API takes; throws an Error naming the value that does not fit the operator. */
export function fromClauseDraft(d: ClauseDraft, where: string): Clause {
  const lines = d.op === 'exists' ? [] : d.text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const type: ValueType = NUMBER_OPS.has(d.op) ? 'number' : d.op === 'in' ? d.valueType : 'string';
  const values: Json[] = lines.map((l) => {
    if (type === 'number' || ((d.op === 'before' || d.op === 'after') && /^\d+$/.test(l))) {
      const n = Number(l);
      if (!isFinite(n)) throw new Error(`${where}: “${l}” is not a number`);
      return n;
    }
    if (type === 'boolean') {
      if (l !== 'true' && l !== 'false') throw new Error(`${where}: “${l}” is not true or false`);
      return l === 'true';
    }
    return l;
  });
  if (d.op !== 'exists' && values.length === 0) throw new Error(`${where}: give at least one value`);
  const clause: Clause = { attribute: d.attribute.trim(), op: d.op };
  if (d.op !== 'exists') clause.values = values;
  if (d.negate) clause.negate = true;
  if (d.caseInsensitive && STRING_OPS.has(d.op)) clause.caseInsensitive = true;
  return clause;
}
