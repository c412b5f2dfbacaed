import type { SegmentConfig } from '../api';
import { fromClauseDraft, newClauseDraft, toClauseDraft, type ClauseDraft } from './clause';

/** A segment's members in one environment as the editor holds them: keys as text, one per line. */
export interface SegmentDraft { included: string; excluded: string; rules: SegmentRuleDraft[] }
export interface SegmentRuleDraft { id: string; clauses: ClauseDraft[] }

export function toSegmentDraft(c: SegmentConfig): SegmentDraft {
  return {
    included: (c.included ?? []).join('\n'), excluded: (c.excluded ?? []).join('\n'),
    rules: (c.rules ?? []).map((r) => ({ id: r.id ?? '', clauses: r.clauses.map(toClauseDraft) })),
  };
}

/** Context keys typed one per line (or separated by spaces or commas). */
export const keys = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/** The members the API takes; throws an Error naming the rule and condition that does not fit. */
export function fromSegmentDraft(d: SegmentDraft): Required<SegmentConfig> {
  return {
    included: keys(d.included), excluded: keys(d.excluded),
    rules: d.rules.map((r, i) => ({
      ...(r.id.trim() ? { id: r.id.trim() } : {}),
      clauses: r.clauses.map((c, j) => fromClauseDraft(c, `Rule ${i + 1}, condition ${j + 1}`)),
    })),
  };
}

export function newSegmentRuleDraft(): SegmentRuleDraft {
  return { id: '', clauses: [newClauseDraft()] };
}
