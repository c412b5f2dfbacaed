import type { Flag, FlagConfig, Prerequisite, Serve } from '../api';
import { fromClauseDraft, newClauseDraft, toClauseDraft, type ClauseDraft } from './clause';

export interface RuleDraft { id: string; description: string; clauses: ClauseDraft[]; serve: Serve }

/**
 * A flag's configuration in one environment as the editor holds it: targets as text, one box per
 * variation (keys one per line), rules with their clauses as drafts. Metadata is not edited here
 * and goes back as it came.
 */
export interface ConfigDraft {
  on: boolean; offVariation: number | null; targets: string[]; rules: RuleDraft[]; fallthrough: Serve; prerequisites: Prerequisite[];
  metadata?: FlagConfig['metadata'];
}

export function toConfigDraft(flag: Pick<Flag, 'variations'>, c: FlagConfig): ConfigDraft {
  return {
    on: c.on, offVariation: c.offVariation,
    targets: flag.variations.map((_, i) => (c.targets ?? []).filter((t) => t.variation === i).flatMap((t) => t.values ?? []).join('\n')),
    rules: (c.rules ?? []).map((r) => ({ id: r.id ?? '', description: r.description ?? '', clauses: r.clauses.map(toClauseDraft), serve: r.serve })),
    fallthrough: c.fallthrough, prerequisites: c.prerequisites ?? [],
    ...(c.metadata ? { metadata: c.metadata } : {}),
  };
}

/** The configuration the API takes; throws an Error naming the rule and condition that does not fit. */
export function fromConfigDraft(d: ConfigDraft): FlagConfig {
  const targets = d.targets.map((text, variation) => ({ variation, values: text.split(/[\s,]+/).filter(Boolean) })).filter((t) => t.values.length);
  return {
    on: d.on, offVariation: d.offVariation, targets,
    rules: d.rules.map((r, i) => ({
      ...(r.id.trim() ? { id: r.id.trim() } : {}),
      ...(r.description.trim() ? { description: r.description.trim() } : {}),
      clauses: r.clauses.map((c, j) => fromClauseDraft(c, `Rule ${i + 1}, condition ${j + 1}`)),
      serve: r.serve,
    })),
    fallthrough: d.fallthrough, prerequisites: d.prerequisites,
    ...(d.metadata ? { metadata: d.metadata } : {}),
  };
}

/** A new rule: one empty condition, serving the first variation. */
export function newRuleDraft(): RuleDraft {
  return { id: '', description: '', clauses: [newClauseDraft()], serve: { variation: 0 } };
}

/** Moves rule `index` by `by` places (-1 up, 1 down). */
export function moveRule(rules: RuleDraft[], index: number, by: number): RuleDraft[] {
  const next = [...rules];
  const [r] = next.splice(index, 1);
  next.splice(index + by, 0, r);
  return next;
}
