import type { ExplainedBucket, ExplainedClause, ExplainedSegment, ExplanationStep, Json, Reason, Variation } from './api';
import { variationLabel } from './flag';

// ---- attributes as rows, and as JSON ----

export type AttributeType = 'text' | 'number' | 'boolean' | 'list';
/** One attribute as entered: a list is its elements separated by commas (numbers and true/false kept as such). */
export interface AttributeRow { name: string; type: AttributeType; value: string }

export const ATTRIBUTE_TYPES: AttributeType[] = ['text', 'number', 'boolean', 'list'];

/** An error in one row (0-based) or in the JSON (row -1). */
export class AttributeError extends Error {
  constructor(readonly row: number, message: string) { super(message); }
}

function element(text: string): Json {
  const t = text.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  return t;
}

/** The attributes the rows say; rows without a name are skipped. Throws an {@link AttributeError} naming the row. */
export function rowsToAttributes(rows: AttributeRow[]): Record<string, Json> {
  const attributes: Record<string, Json> = {};
  rows.forEach((row, i) => {
    const name = row.name.trim();
    if (!name) return;
    if (name === 'key') throw new AttributeError(i, 'The context key has its own field above; use another attribute name.');
    if (name in attributes) throw new AttributeError(i, `“${name}” is entered twice.`);
    switch (row.type) {
      case 'text': attributes[name] = row.value; break;
      case 'boolean': attributes[name] = row.value === 'true'; break;
      case 'number': {
        const n = Number(row.value.trim());
        if (row.value.trim() === '' || !Number.isFinite(n)) throw new AttributeError(i, `“${row.value}” is not a number (attribute “${name}”).`);
        attributes[name] = n;
        break;
      }
      case 'list': attributes[name] = row.value.trim() === '' ? [] : row.value.split(',').map(element); break;
    }
  });
  return attributes;
}

/** Rows for attributes (from JSON): the type each value has. Throws an {@link AttributeError} for values rows cannot hold. */
export function attributesToRows(attributes: Record<string, Json>): AttributeRow[] {
  return Object.entries(attributes).filter(([name]) => name !== 'key').map(([name, value]) => {
    if (typeof value === 'string') return { name, type: 'text', value };
    if (typeof value === 'number') return { name, type: 'number', value: String(value) };
    if (typeof value === 'boolean') return { name, type: 'boolean', value: String(value) };
    if (Array.isArray(value) && value.every((v) => ['string', 'number', 'boolean'].includes(typeof v) && !String(v).includes(','))) {
      return { name, type: 'list', value: value.map(String).join(', ') };
    }
    throw new AttributeError(-1, `“${name}” cannot be shown as a row (attributes are text, numbers, booleans or lists of those).`);
  });
}

/** JSON text as attributes: an object, else an {@link AttributeError}. */
export function parseAttributes(json: string): Record<string, Json> {
  let parsed: unknown;
  try { parsed = JSON.parse(json.trim() || '{}'); } catch { parsed = undefined; }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AttributeError(-1, 'Attributes must be a JSON object, such as {"country": "NO", "beta": true}');
  }
  return parsed as Record<string, Json>;
}

// ---- the evaluator's steps in words ----

/** A whole number grouped by thousands with thin spaces that do not break: 4 211, 100 000. */
export function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
}

const quote = (v: Json | undefined) => (typeof v === 'string' ? `“${v}”` : JSON.stringify(v));
const list = (values: Json[] = []) => values.map(quote).join(', ');

const OPERATOR_WORDS: Record<string, [string, string]> = {
  in: ['is one of', 'is not one of'], startsWith: ['starts with', 'does not start with'],
  endsWith: ['ends with', 'does not end with'], contains: ['contains', 'does not contain'],
  matches: ['matches', 'does not match'], numberEq: ['equals', 'does not equal'], numberLt: ['is below', 'is not below'],
  numberLte: ['is at most', 'is not at most'], numberGt: ['is above', 'is not above'], numberGte: ['is at least', 'is not at least'],
  semverEq: ['is version', 'is not version'], semverLt: ['is a version before', 'is not a version before'],
  semverLte: ['is a version at most', 'is not a version at most'], semverGt: ['is a version after', 'is not a version after'],
  semverGte: ['is a version at least', 'is not a version at least'], before: ['is before', 'is not before'],
  after: ['is after', 'is not after'], inCidr: ['is in the range', 'is not in the range'],
};

/** The clause as configured, in words: "email ends with “@example.com”". */
export function clauseInWords(c: ExplainedClause): string {
  if (c.op === 'exists') return `${c.attribute} ${c.negate ? 'is missing' : 'is present'}`;
  if (c.op === 'segmentMatch') return `the context is ${c.negate ? 'not ' : ''}in segment ${list(c.values)}`;
  const words = OPERATOR_WORDS[c.op ?? ''];
  const verb = words ? words[c.negate ? 1 : 0] : `${c.negate ? 'not ' : ''}${c.op}`;
  return `${c.attribute} ${verb} ${list(c.values)}${c.caseInsensitive ? ' (ignoring case)' : ''}`;
}

function segmentInWords(s: ExplainedSegment): string {
  switch (s.membership) {
    case 'included': return `the context key is included in segment “${s.segment}”`;
    case 'excluded': return `the context key is excluded from segment “${s.segment}”`;
    case 'rule': return `segment “${s.segment}”’s rule ${(s.rule ?? 0) + 1} matches`;
    case 'none': return `the context is not in segment “${s.segment}” (not included by key, and none of its rules matches)`;
  }
}

/** Whether the clause held, and why: "yes (“NO”)", "no: the context has no email", "no: the context key is excluded …". */
export function clauseOutcome(c: ExplainedClause): string {
  const answer = c.matched ? 'yes' : 'no';
  if (c.unusable) return 'no: this clause cannot be evaluated (an operator or values the evaluator does not understand), so it never matches';
  if (c.op === 'segmentMatch') {
    const segments = c.segments ?? [];
    return segments.length === 0 ? `${answer}: no such segment in this environment` : `${answer}: ${segments.map(segmentInWords).join('; ')}`;
  }
  if (c.contextValue === undefined) return `${answer}: the context has no ${c.attribute}`;
  return `${answer}: the context’s ${c.attribute} is ${quote(c.contextValue)}`;
}

/** "Bucket 4 211 of 100 000 by accountId “acme” → true (0–10 000)". */
export function bucketInWords(b: ExplainedBucket, variations: Variation[]): string {
  if (b.value === undefined || b.bucket === undefined) {
    return `The context has no ${b.bucketBy} to be bucketed by, so it is not in the rollout.`;
  }
  return `Bucket ${grouped(b.bucket)} of ${grouped(b.total)} by ${b.bucketBy} ${quote(b.value)} → ${variationLabel(variations, b.variation ?? 0)}`
    + ` (${grouped(b.from ?? 0)}–${grouped(b.to ?? b.total)}).`;
}

const ruleName = (index: number, id?: string, description?: string) =>
  `Rule ${index + 1}${description ? ` “${description}”` : id ? ` “${id}”` : ''}`;

/** One sentence, with the clauses of a rule as sub-items. */
export interface Sentence { text: string; details: string[]; decided: boolean }

/** The evaluator's steps as sentences a product owner reads, in the order they were taken. */
export function explanationInWords(steps: ExplanationStep[], variations: Variation[]): Sentence[] {
  const serves = (served?: number) => (served === undefined ? 'the application’s default value' : variationLabel(variations, served));
  return steps.map((s): Sentence => {
    const decided = s.served !== undefined || (s.step === 'off' || s.step === 'fallthrough');
    switch (s.step) {
      case 'off':
        return { text: `The flag is off here: it serves ${serves(s.served)}.`, details: [], decided };
      case 'prerequisite': {
        const required = `needs to serve variation #${s.requiredVariation}`;
        const state = !s.found ? 'does not exist in this environment' : !s.on ? 'is off'
          : s.servedVariation === undefined ? 'serves no variation (the application’s default)' : `serves variation #${s.servedVariation}`;
        return s.met ? { text: `Prerequisite “${s.flag}” ${state}, as required.`, details: [], decided: false }
          : { text: `Prerequisite “${s.flag}” ${state} but ${required}: the flag serves ${serves(s.served)}.`, details: [], decided: true };
      }
      case 'targets':
        return s.matched ? { text: `The context key “${s.contextKey}” is targeted individually → ${serves(s.served)}.`, details: [], decided: true }
          : { text: `The context key “${s.contextKey}” is not among the individual targets.`, details: [], decided: false };
      case 'rule': {
        const details = s.clauses.map((c) => (c.attribute === undefined && c.op === undefined
          ? 'The rule has no conditions, so it never matches.'
          : `Clause ${c.index + 1}: ${clauseInWords(c)} — ${clauseOutcome(c)}.`));
        if (s.bucket) details.push(bucketInWords(s.bucket, variations));
        const name = ruleName(s.index, s.id, s.description);
        if (s.matched) return { text: `${name} matched → ${serves(s.served)}.`, details, decided: true };
        const failed = s.clauses.find((c) => !c.matched);
        const why = failed ? `clause ${failed.index + 1} failed` : 'the context is not in its rollout';
        return { text: `${name} did not match: ${why}.`, details, decided: false };
      }
      case 'fallthrough':
        return { text: `No target or rule matched: the default rule serves ${serves(s.served)}.`,
          details: s.bucket ? [bucketInWords(s.bucket, variations)] : [], decided: true };
    }
  });
}

/** The reason in a few words, for a table cell. */
export function reasonInWords(reason: Reason): string {
  switch (reason.kind) {
    case 'OFF': return 'Off';
    case 'TARGET_MATCH': return 'Targeted individually';
    case 'RULE_MATCH': return `${ruleName(reason.ruleIndex ?? 0, reason.ruleId ?? undefined)} matched${reason.inRollout ? ' (in rollout)' : ''}`;
    case 'PREREQUISITE_FAILED': return `Prerequisite “${reason.prerequisiteKey}” not met`;
    case 'FALLTHROUGH': return `Default rule${reason.inRollout ? ' (in rollout)' : ''}`;
    case 'ERROR': return `Error: ${reason.errorKind ?? 'unknown'}`;
  }
}
