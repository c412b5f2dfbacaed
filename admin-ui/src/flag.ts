import type { Flag, FlagKind, FlagWrite, Json, Variation } from './api';
import { showValue } from './format';
import { count } from './plural';

/** A variation value typed as text, read as the flag's kind. */
export function parseVariation(kind: FlagKind, text: string): Json {
  if (kind === 'string') return text;
  if (kind === 'number') {
    const n = Number(text);
    if (text.trim() === '' || !isFinite(n)) throw new Error(`“${text}” is not a number`);
    return n;
  }
  try { return JSON.parse(text); } catch { throw new Error(`“${text}” is not JSON`); }
}

/** A variation value as text to edit: the inverse of parseVariation. */
export const variationText = (kind: FlagKind, value: Json) => (kind === 'string' ? String(value) : JSON.stringify(value));

/** A variation as people read it: its name and value, or its value. */
export function variationLabel(variations: Variation[], index: number): string {
  const v = variations[index];
  if (!v) return `#${index} (missing)`;
  return v.name ? `${v.name} (${showValue(v.value)})` : showValue(v.value);
}

/** The body of PUT …/flags/{flag}: the definition as the API shows it, without the view's fields. */
export function writeOf(flag: Flag, change: Partial<FlagWrite> = {}): FlagWrite {
  return {
    key: flag.key, name: flag.name, kind: flag.kind, variations: flag.variations, tags: flag.tags, lifecycle: flag.lifecycle,
    // clientSide is sent only when true: absent means false (the server leaves it out then, too)
    archived: flag.archived, ...(flag.clientSide ? { clientSide: true } : {}),
    ...(flag.description ? { description: flag.description } : {}), ...(flag.owner ? { owner: flag.owner } : {}),
    ...change,
  };
}

const STALE_DAYS = 7;
const DAY = 86_400_000;

/**
 * A flag's use as the server reads it, in words: "no SDK reports yet", "unused for 40 days",
 * "evaluated today"; null when the answer carries no reading (the flag page's).
 */
export function usageText(flag: Flag): string | null {
  const usage = flag.usage;
  if (!usage) return null;
  if (!usage.lastEvaluatedAt) return 'no SDK reports yet';
  return usage.unusedDays === 0 ? 'evaluated today' : `unused for ${count(usage.unusedDays, 'day')}`;
}

/**
 * Temporary flags no SDK evaluated for a week are candidates for removal. The flags list carries
 * the server's reading (its clock, not the browser's); elsewhere this judges by the browser's.
 */
export function staleness(flag: Flag): string | null {
  if (flag.usage) {
    if (!flag.usage.stale) return null;
    return flag.usage.lastEvaluatedAt
      ? `Not evaluated by any SDK for ${count(flag.usage.unusedDays, 'day')}: remove it from the code?`
      : `No SDK reports yet, ${count(flag.usage.unusedDays, 'day')} after it was created: is it still needed?`;
  }
  if (flag.lifecycle !== 'temporary') return null;
  const times = Object.values(flag.environments).map((s) => s.lastEvaluatedAt).filter(Boolean) as string[];
  const last = times.length ? Math.max(...times.map((t) => new Date(t).getTime())) : null;
  const cutoff = Date.now() - STALE_DAYS * DAY;
  if (last !== null) return last < cutoff ? `Not evaluated by any SDK for ${count(STALE_DAYS, 'day')}: remove it from the code?` : null;
  return new Date(flag.createdAt).getTime() < cutoff ? `Never evaluated by an SDK since it was created: is it still needed?` : null;
}

/** Stale flags first, the longest unused first; then by key. */
export function byLongestUnused(a: Flag, b: Flag): number {
  const rank = (f: Flag) => (f.usage?.stale ? f.usage.unusedDays : -1);
  return rank(b) - rank(a) || a.key.localeCompare(b.key);
}
