// Who gets a flag in one environment, in words: a one-line summary for a table cell ("On for
// 10 %", "Staff → on; others 25 %", "NO, SE only", "Off") and a full sentence for its hover and
// focus text. One function for the flags list, the flag page and the production save dialog, so
// they never tell a different story. It reads the configuration the way the SDK's evaluator does:
// off → prerequisites → targets → rules (first match) → default rule.
import type { Clause, FlagConfig, Json, Operator, Prerequisite, Rollout, Rule, Serve, Variation } from './api';
import { percent } from './drafts/rollout';
import { count } from './plural';

/** The deployment whose release plan sets the flag's share (as the flags list reports it). */
export interface ReleaseInfo { service: string; version: string; state: string }

export interface AudienceInput {
  config: FlagConfig;
  variations: Variation[];
  /** Segment names by key (a key without a name is shown as it is). */
  segments?: Record<string, string>;
  /** The variations of other flags, by key, to name what a prerequisite requires. */
  flags?: Record<string, Variation[]>;
  release?: ReleaseInfo | null;
}

export interface Audience {
  /** One line for a table cell. */
  short: string;
  /** The whole story, for hover and focus. */
  sentence: string;
}

const DEFAULT_TOTAL = 100_000;

/** Whether the variations are the two booleans, so "on" means serving true. */
export function isBooleanFlag(variations: Variation[]): boolean {
  return variations.length === 2 && variations.some((v) => v.value === true) && variations.some((v) => v.value === false);
}

const onIndex = (variations: Variation[]) => variations.findIndex((v) => v.value === true);

/** A variation in few words: on/off for a boolean flag, else its name or value. */
function named(variations: Variation[], index: number | null | undefined): string {
  if (index === null || index === undefined) return 'the application’s default';
  const v = variations[index];
  if (!v) return `variation #${index}`;
  if (isBooleanFlag(variations)) return v.value === true ? 'on' : 'off';
  return v.name ?? plain(v.value);
}

const plain = (value: Json | undefined): string => (typeof value === 'string' ? value : JSON.stringify(value));

const rolloutTotal = (r: Rollout) => r.total ?? DEFAULT_TOTAL;

/** The share (0–100 %) of contexts a serve gives the boolean "on" variation; null for other flags. */
export function onShare(serve: Serve | undefined, variations: Variation[]): number | null {
  if (!isBooleanFlag(variations) || !serve) return null;
  const on = onIndex(variations);
  if (serve.rollout) {
    const weight = serve.rollout.variations.filter((w) => w.variation === on).reduce((a, w) => a + w.weight, 0);
    return percent(weight, rolloutTotal(serve.rollout));
  }
  return serve.variation === on ? 100 : 0;
}

function serveShort(serve: Serve, variations: Variation[]): string {
  const share = onShare(serve, variations);
  if (share !== null) return share === 100 ? 'on' : share === 0 ? 'off' : `${share} %`;
  if (!serve.rollout) return named(variations, serve.variation);
  const total = rolloutTotal(serve.rollout);
  return serve.rollout.variations.filter((w) => w.weight > 0)
    .map((w) => `${named(variations, w.variation)} ${percent(w.weight, total)} %`).join(' · ');
}

function serveSentence(serve: Serve, variations: Variation[]): string {
  const share = onShare(serve, variations);
  const by = serve.rollout?.bucketBy ? `by ${serve.rollout.bucketBy}` : 'by context key';
  if (share !== null) {
    if (share === 100 || share === 0) return `get ${share === 100 ? 'on' : 'off'}`;
    return `${share} % get on (sticky ${by}), the rest off`;
  }
  if (!serve.rollout) return `get ${named(variations, serve.variation)}`;
  const total = rolloutTotal(serve.rollout);
  const shares = serve.rollout.variations.filter((w) => w.weight > 0)
    .map((w) => `${named(variations, w.variation)} (${percent(w.weight, total)} %)`);
  return `get ${listed(shares, 'and')}, sticky ${by}`;
}

/** "contexts … get on", but "contexts …: 10 % get on, the rest off". */
const serveAfterWho = (serve: string) => (serve.startsWith('get ') ? ` ${serve}` : `: ${serve}`);

/** "a", "a and b", "a, b and c". */
function listed(items: string[], word: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1]}`;
}

/** Up to three values, then how many more. */
function some(values: string[]): string {
  return values.length <= 3 ? values.join(', ') : `${values.slice(0, 3).join(', ')} +${values.length - 3}`;
}

const PHRASES: Partial<Record<Operator, string>> = {
  startsWith: 'starts with', endsWith: 'ends with', contains: 'contains', matches: 'matches',
  numberEq: '=', numberLt: '<', numberLte: '≤', numberGt: '>', numberGte: '≥',
  semverEq: '=', semverLt: '<', semverLte: '≤', semverGt: '>', semverGte: '≥',
  before: 'before', after: 'after', inCidr: 'in',
};

/** Attributes whose values say what they are ("NO, SE" needs no "country"). */
const SELF_EVIDENT = new Set(['country']);

function clauseShort(c: Clause, segments: Record<string, string>): string {
  const values = (c.values ?? []).map(plain);
  const not = c.negate ? 'not ' : '';
  switch (c.op) {
    case 'segmentMatch': return not + values.map((k) => segments[k] ?? k).join(' or ');
    case 'exists': return `${c.negate ? 'no' : 'has'} ${c.attribute}`;
    case 'in':
      if (c.attribute === 'key') return not + (values.length <= 2 ? values.join(', ') : count(values.length, 'key'));
      return SELF_EVIDENT.has(c.attribute) ? not + some(values) : `${c.attribute} ${c.negate ? '≠' : '='} ${some(values)}`;
    default: return `${c.attribute} ${not}${PHRASES[c.op] ?? c.op} ${some(values)}`;
  }
}

/** A clause as words that follow "contexts": "in segment Staff", "whose country is NO or SE". */
function clauseSentence(c: Clause, segments: Record<string, string>): string {
  const values = (c.values ?? []).map(plain);
  switch (c.op) {
    case 'segmentMatch': return `${c.negate ? 'not ' : ''}in segment ${listed(values.map((k) => segments[k] ?? k), 'or')}`;
    case 'exists': return `${c.negate ? 'without' : 'with'} attribute ${c.attribute}`;
    case 'in': return `whose ${c.attribute} is ${c.negate ? 'not one of ' + values.join(', ') : listed(values, 'or')}${c.caseInsensitive ? ' (any case)' : ''}`;
    default: {
      const test = `${PHRASES[c.op] ?? c.op} ${listed(values, 'or')}`;
      return c.negate ? `whose ${c.attribute} does not match “${test}”` : `whose ${c.attribute} ${test}`;
    }
  }
}

const ruleWho = (r: Rule, segments: Record<string, string>) =>
  r.clauses.length ? r.clauses.map((c) => clauseShort(c, segments)).join(' & ') : 'everyone';

const ruleWhoSentence = (r: Rule, segments: Record<string, string>) =>
  r.clauses.length ? `contexts ${r.clauses.map((c) => clauseSentence(c, segments)).join(' and ')}` : 'every context';

function prerequisiteShort(p: Prerequisite, flags: Record<string, Variation[]>): string {
  const variations = flags[p.flag];
  if (!variations) return p.flag;
  return isBooleanFlag(variations) && variations[p.variation]?.value === true ? p.flag : `${p.flag} = ${named(variations, p.variation)}`;
}

function prerequisiteSentence(p: Prerequisite, flags: Record<string, Variation[]>): string {
  const variations = flags[p.flag];
  return `flag ${p.flag} serves ${variations ? named(variations, p.variation) : `its variation #${p.variation}`}`;
}

function releaseShort(release: ReleaseInfo): string {
  return `Released by ${release.service} ${release.version}${release.state === 'paused' ? ' (paused)' : ''}`;
}

/** Who gets the flag, in one line and in a sentence. */
export function audience({ config, variations, segments = {}, flags = {}, release }: AudienceInput): Audience {
  const boolean = isBooleanFlag(variations);
  if (!config.on) {
    const off = config.offVariation;
    const servesOn = boolean && off !== null && variations[off]?.value === true;
    return {
      short: servesOn ? 'Off (serves on)' : 'Off',
      sentence: `Off: everyone gets ${off === null ? 'the application’s own default value' : named(variations, off)}.`
        + (release ? ` ${releaseShort(release)}, whose plan has not turned it on.` : ''),
    };
  }

  const parts: { who: string; what: string; sentence: string }[] = [];
  for (const t of config.targets ?? []) {
    if (!t.values.length) continue;
    parts.push({
      who: t.values.length <= 2 ? t.values.join(', ') : count(t.values.length, 'targeted key'),
      what: named(variations, t.variation),
      sentence: `Context ${t.values.length === 1 ? 'key' : 'keys'} ${listed(t.values.length <= 5 ? t.values : [...t.values.slice(0, 5), `${t.values.length - 5} more`], 'and')} ${t.values.length === 1 ? 'gets' : 'get'} ${named(variations, t.variation)}.`,
    });
  }
  (config.rules ?? []).forEach((r, i) => parts.push({
    who: ruleWho(r, segments),
    what: serveShort(r.serve, variations),
    sentence: `Rule ${i + 1}${r.description ? ` (${r.description})` : ''}: ${ruleWhoSentence(r, segments)}${serveAfterWho(serveSentence(r.serve, variations))}.`,
  }));

  const fallthrough = serveShort(config.fallthrough, variations);
  const share = onShare(config.fallthrough, variations);
  let short: string;
  if (parts.length === 0) {
    if (release) short = `${releaseShort(release)}: ${share !== null ? (share === 100 ? '100 %' : share === 0 ? '0 %' : fallthrough) : fallthrough}`;
    else if (share !== null) short = share === 100 ? 'On for everyone' : share === 0 ? 'On for no one' : `On for ${share} %`;
    else short = config.fallthrough.rollout ? fallthrough : `Serves ${fallthrough}`;
  } else {
    const onlyOn = boolean && fallthrough === 'off' && parts.every((p) => p.what === 'on');
    const body = onlyOn ? `${parts.map((p) => p.who).join(', ')} only`
      : `${parts.map((p) => `${p.who} → ${p.what}`).join('; ')}; others ${fallthrough}`;
    short = release ? `${releaseShort(release)}: ${body}` : body;
  }
  const prerequisites = config.prerequisites ?? [];
  if (prerequisites.length) short = `Needs ${prerequisites.map((p) => prerequisiteShort(p, flags)).join(', ')}; ${short}`;

  const sentences = ['On.'];
  if (release) sentences.push(`${releaseShort(release).replace('Released', 'Being released')}: its plan sets the default rule.`);
  if (prerequisites.length) {
    sentences.push(`Only where ${listed(prerequisites.map((p) => prerequisiteSentence(p, flags)), 'and')}; elsewhere everyone gets `
      + `${config.offVariation === null ? 'the application’s own default value' : named(variations, config.offVariation)}.`);
  }
  sentences.push(...parts.map((p) => p.sentence));
  sentences.push(`${parts.length ? 'Everyone else' : 'Everyone'}: ${serveSentence(config.fallthrough, variations).replace(/^get /, 'gets ')}.`);
  return { short, sentence: sentences.join(' ') };
}

/** What a change does to who gets a flag: the summaries before and after, and how it widens the audience. */
export interface AudienceChange { before: Audience; after: Audience; widening: string[] }

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The share of "on" a serve gives; a non-boolean flag counts any variation but the off one as "on". */
function servesOnShare(serve: Serve, variations: Variation[], offVariation: number | null): number {
  const share = onShare(serve, variations);
  if (share !== null) return share;
  if (serve.rollout) {
    const total = rolloutTotal(serve.rollout);
    return percent(serve.rollout.variations.filter((w) => w.variation !== offVariation).reduce((a, w) => a + w.weight, 0), total);
  }
  return serve.variation === offVariation ? 0 : 100;
}

/** Whether a clause matches at least everyone it matched before: the same test with more values. */
function clauseWidened(before: Clause, after: Clause): boolean {
  if (before.attribute !== after.attribute || before.op !== after.op || !!before.negate !== !!after.negate) return false;
  const was = new Set((before.values ?? []).map(plain));
  const now = new Set((after.values ?? []).map(plain));
  const superset = [...was].every((v) => now.has(v)) && now.size > was.size;
  const subset = [...now].every((v) => was.has(v)) && was.size > now.size;
  return before.negate ? subset : superset;
}

/**
 * The before → after summaries of a configuration change, and each way it widens who gets the
 * flag "on" (for a boolean flag: true; otherwise anything but the off variation): turned on, a
 * share raised, a rule or target added on the "on" side, a rule's condition given more values, a
 * prerequisite or an "off" rule removed, or a rule added while the default rule already serves
 * everyone (the rule then narrows nothing). A widened segment is not seen here.
 */
export function audienceChange(before: FlagConfig, after: FlagConfig, input: Omit<AudienceInput, 'config'>): AudienceChange {
  const { variations, segments = {} } = input;
  const result = { before: audience({ ...input, config: before }), after: audience({ ...input, config: after }) };
  const widening: string[] = [];
  if (!after.on) return { ...result, widening };
  const off = after.offVariation;
  const onName = isBooleanFlag(variations) ? 'on' : 'a variation other than the off one';
  if (!before.on && result.after.short !== 'On for no one') widening.push(`It turns the flag on: ${result.after.short}.`);

  const was = before.on ? servesOnShare(before.fallthrough, variations, off) : 0;
  const now = servesOnShare(after.fallthrough, variations, off);
  if (before.on && now > was) widening.push(`The default rule serves ${onName} to ${now} % instead of ${was} %.`);

  const beforeRules = before.rules ?? [];
  const afterRules = after.rules ?? [];
  afterRules.forEach((rule, i) => {
    if (beforeRules.some((r) => sameJson(r, rule))) return;
    const share = servesOnShare(rule.serve, variations, off);
    const old = beforeRules.find((r) => rule.id && r.id === rule.id) ?? (rule.id ? undefined : beforeRules[i]);
    const who = ruleWho(rule, segments);
    if (!old) {
      if (share > 0 && now === 100) {
        widening.push(`Rule ${i + 1} (${who}) is added, but the default rule serves ${onName} to everyone: everyone gets it, not only ${who}.`);
      } else if (share > 0 && before.on) {
        widening.push(`Rule ${i + 1} is added: ${who} → ${serveShort(rule.serve, variations)}.`);
      }
      return;
    }
    if (!before.on) return; // turning on says it all
    const oldShare = servesOnShare(old.serve, variations, off);
    if (share > oldShare) widening.push(`Rule ${i + 1} (${who}) serves ${onName} to ${share} % instead of ${oldShare} %.`);
    if (share > 0) {
      const dropped = old.clauses.length > rule.clauses.length && rule.clauses.every((c) => old.clauses.some((o) => sameJson(o, c)));
      const grown = old.clauses.length === rule.clauses.length && old.clauses.some((c, j) => clauseWidened(c, rule.clauses[j]))
        && old.clauses.every((c, j) => sameJson(c, rule.clauses[j]) || clauseWidened(c, rule.clauses[j]));
      if (dropped || grown) widening.push(`Rule ${i + 1} now matches more contexts: ${who}.`);
    }
  });
  if (before.on && now > 0) {
    beforeRules.forEach((rule, i) => {
      const kept = afterRules.some((r) => (rule.id ? r.id === rule.id : sameJson(r, rule)));
      if (!kept && servesOnShare(rule.serve, variations, off) < now) {
        widening.push(`Rule ${i + 1} (${ruleWho(rule, segments)}) is removed: those contexts get the default rule, ${serveShort(after.fallthrough, variations)}.`);
      }
    });
  }

  if (!before.on) return { ...result, widening };
  const onKeys = (c: FlagConfig) => new Set((c.targets ?? []).filter((t) => servesOnShare({ variation: t.variation }, variations, off) === 100)
    .flatMap((t) => t.values));
  const wasOn = onKeys(before);
  const added = [...onKeys(after)].filter((k) => !wasOn.has(k));
  if (added.length) widening.push(`${count(added.length, 'context key')} ${added.length === 1 ? 'is' : 'are'} targeted to get ${onName}: ${some(added)}.`);

  const gone = (before.prerequisites ?? []).filter((p) => !(after.prerequisites ?? []).some((q) => sameJson(p, q)));
  if (gone.length) widening.push(`No longer needs ${listed(gone.map((p) => p.flag), 'and')}.`);
  return { ...result, widening };
}
