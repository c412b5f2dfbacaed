// The audit log in a product owner's words: every action the server records becomes a sentence
// ("Default rule: 5 % → 25 % on", "Turned off in production — “error rate up”"), with the
// differences between the state before and after told as changes, not JSON paths. Pure
// functions of the event (and, where known, the flag's variations), so they are unit-tested.
import type {
  AuditEvent, Clause, FlagConfig, Json, Prerequisite, Rollout, Rule, SegmentConfig, SegmentRule, Serve, Target, Variation,
} from './api';
import { count } from './plural';

/** One change as people read it: a headline, and the differences it made (possibly none). */
export interface Story { headline: string; changes: string[] }

/** How to name a flag's variations, when the flag is known (its definition is not in a config's event). */
export type VariationsOf = (flag: string) => Variation[] | undefined;

type Obj = Record<string, Json>;
type Teller = (ev: AuditEvent, variations: Variation[] | undefined) => Story;

const obj = (value: Json | undefined): Obj => (value && typeof value === 'object' && !Array.isArray(value) ? value : {});
const str = (value: Json | undefined): string | undefined => (typeof value === 'string' ? value : undefined);
const quoted = (text: string) => `“${text}”`;
const list = (items: string[]) => (items.length <= 1 ? items.join('')
  : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** How each action the server writes is told. A test checks this covers every one of them. */
export const ACTION_LABELS: Record<string, string> = {
  'project.create': 'Project created', 'project.update': 'Project renamed',
  'environment.create': 'Environment added', 'environment.update': 'Environment changed',
  'flag.create': 'Flag created', 'flag.update': 'Flag definition changed', 'flag.delete': 'Flag deleted',
  'flag.on': 'Turned on', 'flag.off': 'Turned off', 'flag.config.update': 'Targeting changed',
  'flag.release': 'Released by a deployment', 'flag.import': 'Flag imported',
  'segment.create': 'Segment created', 'segment.update': 'Segment renamed or described', 'segment.delete': 'Segment deleted',
  'segment.config.update': 'Segment members changed', 'segment.import': 'Segment imported',
  'token.create': 'Token created', 'token.revoke': 'Token revoked',
  'user.create': 'User added', 'user.update': 'User changed', 'user.role': 'Role changed',
  'user.password': 'Password changed', 'user.delete': 'User removed',
  'deployment.create': 'Deployed', 'deployment.status': 'Deployment reported', 'deployment.release': 'Release started',
  'deployment.release.step': 'Release step', 'deployment.release.pause': 'Release paused',
  'deployment.release.resume': 'Release resumed', 'deployment.rollback': 'Rolled back',
  'deployment.guard.regression': 'A guard found a regression', 'deployment.signal': 'Alert from monitoring',
  'webhook.create': 'Webhook added', 'webhook.update': 'Webhook changed', 'webhook.delete': 'Webhook removed',
  'webhook.secret': 'Webhook secret replaced', 'project.apply': 'Document applied',
};

/** The action filter's choices: whole groups first, then each action. */
export const ACTION_GROUPS: { value: string; label: string }[] = [
  { value: 'flag.*', label: 'Any flag change' }, { value: 'segment.*', label: 'Any segment change' },
  { value: 'deployment.*', label: 'Any deployment event' }, { value: 'deployment.release.*', label: 'Any release event' },
  { value: 'environment.*', label: 'Any environment change' }, { value: 'token.*', label: 'Any token change' },
  { value: 'user.*', label: 'Any user change' }, { value: 'project.*', label: 'Any project change' },
  { value: 'webhook.*', label: 'Any webhook change' },
];

// ---- who ----

/**
 * Who made a change, as people know them: a user's email, "pipeline token ‘ci’", "policy: rollback
 * on failure". A release's steps are made by its plan, in the name of whoever started it.
 */
export function actorName(actor: string, action?: string): string {
  let name = actor;
  const token = /^(.*) \((\w+) token #\d+\)$/.exec(actor);
  if (actor.startsWith('user:')) name = actor.slice('user:'.length);
  else if (token) name = `${token[2]} token ‘${token[1]}’`;
  else if (actor.startsWith('policy:')) name = `policy: ${actor.slice('policy:'.length).replace(/-/g, ' ')}`;
  else if (actor === 'system') name = 'Darklaunch itself';
  return action === 'deployment.release.step' || action === 'flag.release' ? `release plan (started by ${name})` : name;
}

// ---- when ----

/** "14:05 CET, 8 Dec" (the year too when it is not this one), in the reader's zone unless given one. */
export function timeWithZone(iso: string, timeZone?: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (isNaN(date.getTime())) return iso;
  const parts = (options: Intl.DateTimeFormatOptions) => Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone, ...options })
    .formatToParts(date).map((p) => [p.type, p.value]));
  const t = parts({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short', day: 'numeric', month: 'short', year: 'numeric' });
  const thisYear = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric' }).format(now);
  return `${t.hour}:${t.minute} ${t.timeZoneName}, ${t.day} ${t.month}${t.year === thisYear ? '' : ` ${t.year}`}`;
}

// ---- flags' configurations ----

/** A variation as people call it: its name, "on"/"off" for true/false, or its value. */
export function variationName(index: number | null | undefined, variations: Variation[] | undefined): string {
  if (index === null || index === undefined) return 'the application’s default';
  const v = variations?.[index];
  if (!v) return variations ? `variation ${index + 1}` : index === 0 ? 'on' : index === 1 ? 'off' : `variation ${index + 1}`;
  if (v.name) return v.name;
  if (v.value === true) return 'on';
  if (v.value === false) return 'off';
  return typeof v.value === 'string' ? quoted(v.value) : JSON.stringify(v.value);
}

function rolloutText(rollout: Rollout, variations: Variation[] | undefined): string {
  const total = rollout.total ?? 100_000;
  const shares = rollout.variations.filter((w) => w.weight > 0)
    .map((w) => ({ name: variationName(w.variation, variations), p: Math.round((w.weight / total) * 100_000) / 1000 }));
  if (shares.length === 0) return 'nobody';
  if (shares.length === 1) return shares[0].p === 100 ? shares[0].name : `${shares[0].p} % ${shares[0].name}`;
  const on = shares.find((s) => s.name === 'on');
  if (shares.length === 2 && on) return `${on.p} % on`;
  return shares.map((s) => `${s.p} % ${s.name}`).join(', ');
}

/** What a rule or the default serves: "on", "25 % on", "50 % “blue”, 50 % “green”". */
export function serveText(serve: Serve | undefined, variations: Variation[] | undefined): string {
  if (!serve) return 'nothing';
  if (serve.rollout) return rolloutText(serve.rollout, variations);
  return variationName(serve.variation, variations);
}

const OPERATOR_WORDS: Record<string, string> = {
  in: 'is', startsWith: 'starts with', endsWith: 'ends with', contains: 'contains', matches: 'matches',
  numberEq: '=', numberLt: '<', numberLte: '≤', numberGt: '>', numberGte: '≥',
  semverEq: 'is version', semverLt: 'is a version before', semverLte: 'is at most version', semverGt: 'is a version after',
  semverGte: 'is at least version', before: 'is before', after: 'is after', inCidr: 'is in network', segmentMatch: 'is in segment',
};

/** One condition: "country is NO or SE", "user is in segment staff", "plan is not free". */
export function clauseText(clause: Clause): string {
  const values = (clause.values ?? []).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  if (clause.op === 'exists') return `${clause.attribute} ${clause.negate ? 'is not set' : 'is set'}`;
  if (clause.op === 'segmentMatch') return `${clause.negate ? 'not in' : 'in'} segment ${list(values).replace(/ and /, ' or ')}`;
  let op = OPERATOR_WORDS[clause.op] ?? clause.op;
  if (clause.negate) op = op === 'is' ? 'is not' : `not ${op}`;
  const joined = values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
  return `${clause.attribute} ${op} ${joined}${clause.caseInsensitive ? ' (any case)' : ''}`;
}

const conditions = (clauses: Clause[]) => (clauses.length ? clauses.map(clauseText).join(' and ') : 'everyone');
const ruleText = (rule: Rule, variations: Variation[] | undefined) => `${conditions(rule.clauses)} → ${serveText(rule.serve, variations)}`;

function keysChanged(label: string, before: string[], after: string[]): string[] {
  const added = after.filter((k) => !before.includes(k));
  const removed = before.filter((k) => !after.includes(k));
  const parts = [...(added.length ? [`+ ${added.join(', ')}`] : []), ...(removed.length ? [`− ${removed.join(', ')}`] : [])];
  return parts.length ? [`${label}: ${parts.join('; ')}`] : [];
}

/** Rules matched by id where they have one, else by place; each told as added, removed, changed or moved. */
function rulesChanged<R extends { id?: string }>(before: R[], after: R[], text: (r: R) => string): string[] {
  const keyOf = (r: R, i: number) => r.id ?? `#${i}`;
  const beforeKeys = before.map(keyOf);
  const afterKeys = after.map(keyOf);
  const changes: string[] = [];
  after.forEach((rule, i) => {
    const j = beforeKeys.indexOf(afterKeys[i]);
    if (j < 0) changes.push(`Rule ${i + 1} added: ${text(rule)}`);
    else if (!same(before[j], rule)) changes.push(`Rule ${i + 1} changed: ${text(before[j])} ⇒ ${text(rule)}`);
    else if (i !== j) changes.push(`Rule ${j + 1} moved to place ${i + 1}: ${text(rule)}`);
  });
  before.forEach((rule, j) => {
    if (!afterKeys.includes(beforeKeys[j])) changes.push(`Rule ${j + 1} removed: ${text(rule)}`);
  });
  return changes;
}

/** What changed between two configurations of a flag in one environment, in product-owner words. */
export function configChanges(before: Partial<FlagConfig> | undefined, after: Partial<FlagConfig> | undefined,
  variations: Variation[] | undefined): string[] {
  const b = before ?? {};
  const a = after ?? {};
  const changes: string[] = [];
  if (!!b.on !== !!a.on) changes.push(a.on ? 'Turned on' : 'Turned off');
  if (!same(b.offVariation, a.offVariation)) {
    changes.push(`While off: ${variationName(b.offVariation, variations)} → ${variationName(a.offVariation, variations)}`);
  }
  const targets = (config: Partial<FlagConfig>) => config.targets ?? [];
  const indexes = new Set([...targets(b), ...targets(a)].map((t: Target) => t.variation));
  for (const index of indexes) {
    const of = (config: Partial<FlagConfig>) => targets(config).find((t) => t.variation === index)?.values ?? [];
    changes.push(...keysChanged(`Individually ${variationName(index, variations)}`, of(b), of(a)));
  }
  changes.push(...rulesChanged(b.rules ?? [], a.rules ?? [], (r) => ruleText(r, variations)));
  if (!same(b.fallthrough, a.fallthrough)) {
    changes.push(`Default rule: ${serveText(b.fallthrough, variations)} → ${serveText(a.fallthrough, variations)}`);
  }
  const prerequisite = (p: Prerequisite) => `${p.flag} serves ${variationName(p.variation, undefined)}`;
  changes.push(...keysChanged('Needs first', (b.prerequisites ?? []).map(prerequisite), (a.prerequisites ?? []).map(prerequisite)));
  if (!same(b.metadata, a.metadata)) changes.push('Metadata for applications changed');
  return changes;
}

/** What changed in a segment's members in one environment. */
export function segmentConfigChanges(before: SegmentConfig | undefined, after: SegmentConfig | undefined): string[] {
  const b = before ?? {};
  const a = after ?? {};
  return [
    ...keysChanged('Included', b.included ?? [], a.included ?? []),
    ...keysChanged('Excluded', b.excluded ?? [], a.excluded ?? []),
    ...rulesChanged<SegmentRule>(b.rules ?? [], a.rules ?? [], (r) => conditions(r.clauses)),
  ];
}

// ---- definitions ----

/** What changed in a flag's definition: name, description, variations, tags, owner, lifecycle, archive. */
function flagChanges(b: Obj, a: Obj): string[] {
  const changes: string[] = [];
  if (!same(b.name, a.name)) changes.push(`Renamed: ${quoted(str(b.name) ?? '')} → ${quoted(str(a.name) ?? '')}`);
  if (!same(b.description, a.description)) changes.push(a.description ? `Description: ${quoted(str(a.description) ?? '')}` : 'Description removed');
  if (!same(b.archived, a.archived)) changes.push(a.archived ? 'Archived' : 'Unarchived');
  if (!same(b.lifecycle, a.lifecycle)) changes.push(`Now ${str(a.lifecycle) ?? 'temporary'}`);
  if (!same(b.owner, a.owner)) changes.push(a.owner ? `Owner: ${str(a.owner)}` : 'No owner any more');
  if (!same(b.clientSide, a.clientSide)) changes.push(a.clientSide ? 'Web pages may now read it' : 'Web pages may no longer read it');
  const tags = (o: Obj) => (Array.isArray(o.tags) ? o.tags.map(String) : []);
  changes.push(...keysChanged('Tags', tags(b), tags(a)));
  if (!same(b.variations, a.variations)) {
    const names = (o: Obj) => (Array.isArray(o.variations) ? o.variations as unknown as Variation[] : []);
    changes.push(`Variations: ${names(b).map((_, i) => variationName(i, names(b))).join(', ')} → ${names(a).map((_, i) => variationName(i, names(a))).join(', ')}`);
  }
  return changes;
}

function fieldChanges(b: Obj, a: Obj, fields: [string, string][]): string[] {
  return fields.filter(([f]) => !same(b[f], a[f])).map(([f, label]) => {
    const value = a[f];
    if (typeof value === 'boolean') return `${label}: ${value ? 'yes' : 'no'}`;
    return `${label}: ${b[f] === undefined || b[f] === null ? '' : `${quoted(String(b[f]))} → `}${quoted(String(value ?? ''))}`;
  });
}

// ---- the sentences ----

const where = (ev: AuditEvent) => (ev.environment ? ` in ${ev.environment}` : '');
const deploymentTitle = (ev: AuditEvent) => ev.deploymentName ?? `deployment #${ev.deploymentId ?? ev.targetKey}`;
const nameOf = (ev: AuditEvent) => str(obj(ev.after).name) ?? str(obj(ev.before).name);
const flagTitle = (ev: AuditEvent) => `flag ${quoted(nameOf(ev) ?? ev.targetKey)}`;
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const just = (headline: string): Story => ({ headline, changes: [] });
const webhookTitle = (ev: AuditEvent) => `Webhook ${quoted(str(obj(ev.after).name) ?? str(obj(ev.before).name) ?? `#${ev.targetKey}`)}`;

function tokenTitle(ev: AuditEvent): string {
  const t = { ...obj(ev.before), ...obj(ev.after) };
  const scope = t.project ? ` for ${String(t.project)}${Array.isArray(t.environments) && t.environments.length ? ` (${t.environments.join(', ')})` : ''}` : '';
  return `${str(t.kind) ?? ''} token ${quoted(str(t.name) ?? `#${ev.targetKey}`)}${scope}`.trim();
}
const userTitle = (ev: AuditEvent) => str(obj(ev.after).email) ?? str(obj(ev.before).email) ?? `user #${ev.targetKey}`;

function planText(after: Json | undefined): string {
  const steps = Array.isArray(obj(after).steps) ? obj(after).steps as Obj[] : [];
  if (steps.length === 0) return 'to everyone at once';
  return steps.map((s) => `${String(s.percentage)} %${s.after ? ` after ${durationText(String(s.after))}` : s.at ? ` at ${timeWithZone(String(s.at))}` : ''}`).join(', then ');
}

/** "PT10M" → "10 min", "PT1H30M" → "1 h 30 min", "P1D" → "1 day". */
export function durationText(iso: string): string {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (!m) return iso;
  const parts = [m[1] && count(Number(m[1]), 'day'), m[2] && `${m[2]} h`, m[3] && `${m[3]} min`, m[4] && `${m[4]} s`].filter(Boolean);
  return parts.length ? parts.join(' ') : '0 s';
}

const configTeller = (verb: string): Teller => (ev, variations) => {
  const state = (value: Json | undefined) => {
    const o = obj(value);
    return ('config' in o ? obj(o.config) : o) as Partial<FlagConfig>;
  };
  const changes = configChanges(state(ev.before), state(ev.after), variations);
  return { headline: `${capital(verb)}${where(ev)}`, changes };
};

const TELLERS: Record<string, Teller> = {
  'project.create': (ev) => just(`Project ${quoted(nameOf(ev) ?? ev.targetKey)} created`),
  'project.update': (ev) => just(`Project renamed: ${quoted(str(obj(ev.before).name) ?? '')} → ${quoted(str(obj(ev.after).name) ?? '')}`),
  'environment.create': (ev) => just(`Environment ${quoted(nameOf(ev) ?? ev.targetKey)} added${obj(ev.after).production ? ' (production)' : ''}`),
  'environment.update': (ev) => ({
    headline: `Environment ${quoted(nameOf(ev) ?? ev.targetKey)} changed`,
    changes: fieldChanges(obj(ev.before), obj(ev.after), [['name', 'Name'], ['production', 'Production'],
      ['rollbackOnFailure', 'Roll back deployments that fail']]),
  }),
  'flag.create': (ev) => just(`${capital(flagTitle(ev))} created${ev.deploymentId != null ? `, shipped dark by ${deploymentTitle(ev)}` : ''}`),
  'flag.update': (ev) => {
    const changes = flagChanges(obj(ev.before), obj(ev.after));
    const archive = changes.length === 1 && (changes[0] === 'Archived' || changes[0] === 'Unarchived');
    return archive ? just(`${capital(flagTitle(ev))} ${changes[0].toLowerCase()}`) : { headline: `${capital(flagTitle(ev))} changed`, changes };
  },
  'flag.delete': (ev) => just(`${capital(flagTitle(ev))} deleted`),
  'flag.on': (ev) => just(`Turned on${where(ev)}`),
  'flag.off': (ev) => just(`Turned off${where(ev)}${ev.deploymentId != null ? ` by the rollback of ${deploymentTitle(ev)}` : ''}`),
  'flag.config.update': configTeller('targeting changed'),
  'flag.release': (ev, variations) => ({ ...configTeller('released')(ev, variations), headline: `Released by ${deploymentTitle(ev)}${where(ev)}` }),
  'flag.import': (ev, variations) => {
    if (ev.environment) return { ...configTeller('imported from Unleash')(ev, variations) };
    return ev.before === undefined || ev.before === null ? just(`${capital(flagTitle(ev))} imported from Unleash`)
      : { headline: `${capital(flagTitle(ev))} updated from Unleash`, changes: flagChanges(obj(ev.before), obj(ev.after)) };
  },
  'segment.create': (ev) => just(`Segment ${quoted(nameOf(ev) ?? ev.targetKey)} created`),
  'segment.update': (ev) => ({ headline: `Segment ${quoted(nameOf(ev) ?? ev.targetKey)} changed`,
    changes: fieldChanges(obj(ev.before), obj(ev.after), [['name', 'Name'], ['description', 'Description']]) }),
  'segment.delete': (ev) => just(`Segment ${quoted(nameOf(ev) ?? ev.targetKey)} deleted`),
  'segment.config.update': (ev) => ({ headline: `Segment ${quoted(ev.targetKey)}: members changed${where(ev)}`,
    changes: segmentConfigChanges(obj(ev.before) as SegmentConfig, obj(ev.after) as SegmentConfig) }),
  'segment.import': (ev) => {
    const state = (value: Json | undefined) => obj(obj(value).config) as SegmentConfig;
    return ev.environment
      ? { headline: `Segment ${quoted(ev.targetKey)} imported from Unleash${where(ev)}`, changes: segmentConfigChanges(state(ev.before), state(ev.after)) }
      : just(`Segment ${quoted(nameOf(ev) ?? ev.targetKey)} ${ev.before ? 'updated' : 'imported'} from Unleash`);
  },
  'token.create': (ev) => just(`${capital(tokenTitle(ev))} created`),
  'token.revoke': (ev) => just(`${capital(tokenTitle(ev))} revoked`),
  'user.create': (ev) => just(`User ${userTitle(ev)} added as ${str(obj(ev.after).role) ?? 'viewer'}`),
  'user.role': (ev) => just(`${userTitle(ev)}: ${str(obj(ev.before).role) ?? '?'} → ${str(obj(ev.after).role) ?? '?'}`),
  'user.password': (ev) => just(`Password of ${userTitle(ev)} changed`),
  'user.update': (ev) => just(`${userTitle(ev)}: ${str(obj(ev.before).role) ?? '?'} → ${str(obj(ev.after).role) ?? '?'}, and a new password`),
  'user.delete': (ev) => just(`User ${userTitle(ev)} removed`),
  'deployment.create': (ev) => {
    const flags = (Array.isArray(obj(ev.after).flags) ? obj(ev.after).flags as Obj[] : []).map((f) => String(f.key));
    return just(`${deploymentTitle(ev)} deployed${where(ev)}${flags.length ? `, shipping ${count(flags.length, 'flag')} dark: ${list(flags)}` : ''}`);
  },
  'deployment.status': (ev) => just(`${deploymentTitle(ev)} ${str(obj(ev.after).status)?.replace('_', ' ') ?? 'reported'}${where(ev)}`),
  'deployment.release': (ev) => just(`Release of ${deploymentTitle(ev)} started${where(ev)}: ${planText(ev.after)}`),
  'deployment.release.step': (ev) => {
    const a = obj(ev.after);
    return just(`${deploymentTitle(ev)} released to ${String(a.percentage)} %${where(ev)} (step ${String(a.step)} of ${String(a.of)})`);
  },
  'deployment.release.pause': (ev) => just(`Release of ${deploymentTitle(ev)} paused${where(ev)}`),
  'deployment.release.resume': (ev) => just(`Release of ${deploymentTitle(ev)} resumed${where(ev)}`),
  'deployment.rollback': (ev) => just(`${deploymentTitle(ev)} rolled back${where(ev)}`),
  'deployment.guard.regression': (ev) => just(`A guard found a regression in ${deploymentTitle(ev)}${where(ev)}: `
    + (str(obj(ev.after).action) === 'rollback' ? 'rolling it back' : 'pausing its release')),
  'project.apply': (ev) => {
    const a = obj(ev.after);
    const summary = obj(a.summary);
    const parts = [['create', 'created'], ['update', 'changed'], ['delete', 'deleted']]
      .filter(([k]) => Number(summary[k] ?? 0) > 0).map(([k, word]) => `${String(summary[k])} ${word}`);
    const document = str(a.document);
    return just(`Document applied to the project${parts.length ? `: ${parts.join(', ')}` : ', nothing to change'}`
      + (document ? ` (${document.slice(0, 19)}…)` : ''));
  },
  'webhook.create': (ev) => just(`${webhookTitle(ev)} added, sending to ${str(obj(ev.after).url) ?? 'its address'}`),
  'webhook.update': (ev) => just(`${webhookTitle(ev)} changed`),
  'webhook.delete': (ev) => just(`${webhookTitle(ev)} removed`),
  'webhook.secret': (ev) => just(`${webhookTitle(ev)}: a new signing secret`),
  'deployment.signal': (ev) => {
    const a = obj(ev.after);
    return just(`Alert ${quoted(str(a.alert) ?? 'unnamed')} ${str(a.status) === 'resolved' ? 'resolved' : 'firing'} for ${deploymentTitle(ev)}${where(ev)}`);
  },
};

/** The actions this module tells in words (a test compares them with what the server writes). */
export const TOLD_ACTIONS = Object.keys(TELLERS);

/**
 * An audit event as sentences. The comment is part of the headline ("Turned off in production —
 * “error rate up”"); an action this version does not know is still shown, plainly.
 */
export function tell(ev: AuditEvent, variationsOf?: VariationsOf): Story {
  const teller = TELLERS[ev.action];
  const variations = ev.targetKind === 'flag' ? variationsOf?.(ev.targetKey) : undefined;
  const story = teller ? teller(ev, variations) : just(`${ev.action} on ${ev.targetKind} ${ev.targetKey}${where(ev)}`);
  const comment = ev.comment && !isStepComment(ev) ? ` — ${quoted(ev.comment)}` : '';
  return { headline: story.headline + comment, changes: story.changes };
}

/** A release's own comments ("release step 2 of 3: 25 %") say what the sentence already says. */
const isStepComment = (ev: AuditEvent) => ev.action === 'deployment.release.step' || ev.action === 'flag.release';
