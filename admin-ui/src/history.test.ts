import { describe, expect, it } from 'vitest';
import type { AuditEvent, Variation } from './api';
import { ACTION_LABELS, actorName, clauseText, configChanges, durationText, tell, timeWithZone, TOLD_ACTIONS } from './history';

/**
 * Every action the server writes to the audit log, found in its sources: the dotted lower-case
 * string literals (`"flag.off"`), less metric and file names. A new action on the server fails the
 * test below until this module tells it in words.
 */
function actionsTheServerWrites(): string[] {
  const sources = import.meta.glob<string>('../../server/src/main/java/**/*.java', { query: '?raw', import: 'default', eager: true });
  const found = new Set<string>();
  for (const text of Object.values(sources)) {
    for (const m of text.matchAll(/"([a-z]+(?:\.[a-z]+)+)"/g)) found.add(m[1]);
  }
  // actions are named after what they act on; other dotted literals (file names, field paths such as
  // "metric.event") are not actions
  return [...found].filter((s) => /^(project|environment|flag|segment|token|user|deployment|webhook)\./.test(s)
    && !/\.(conf|ya?ml|json|properties|xml|sql|html|js|css|txt|md)$/.test(s)).sort();
}

const BOOLEAN: Variation[] = [{ value: true }, { value: false }];
const at = '2026-12-08T13:05:00Z';
const event = (action: string, fields: Partial<AuditEvent>): AuditEvent => ({
  seq: 1, at, actor: 'user:ana@example.com', action, project: 'default', targetKind: action.split('.')[0], ...{ targetKey: 'k', ...fields },
});
const config = (fields: object) => ({ on: true, offVariation: 1, fallthrough: { variation: 0 }, ...fields });
const half = (p: number) => ({ rollout: { variations: [{ variation: 0, weight: p * 1000 }, { variation: 1, weight: 100_000 - p * 1000 }] } });
const deployment = { deploymentId: 12, deploymentName: 'checkout 1.4.2', environment: 'production', targetKey: '12' };

/** One event of every kind the server writes, and the sentences it must read as. */
const EXAMPLES: [AuditEvent, string, string[]][] = [
  [event('project.create', { after: { key: 'shop', name: 'Shop' } }), 'Project “Shop” created', []],
  [event('project.update', { before: { name: 'Shop' }, after: { name: 'Web shop' } }), 'Project renamed: “Shop” → “Web shop”', []],
  [event('environment.create', { after: { key: 'qa', name: 'QA', production: false } }), 'Environment “QA” added', []],
  [event('environment.update', { before: { name: 'Production', production: true, rollbackOnFailure: false },
    after: { name: 'Production', production: true, rollbackOnFailure: true } }),
  'Environment “Production” changed', ['Roll back deployments that fail: yes']],
  [event('flag.create', { targetKey: 'new-checkout', after: { key: 'new-checkout', name: 'New checkout' } }), 'Flag “New checkout” created', []],
  [event('flag.create', { ...deployment, targetKey: 'fast-pay', after: { name: 'fast-pay' }, environment: undefined }),
    'Flag “fast-pay” created, shipped dark by checkout 1.4.2', []],
  [event('flag.update', { before: { name: 'A', tags: ['x'], archived: false }, after: { name: 'B', tags: ['y'], archived: false } }),
    'Flag “B” changed', ['Renamed: “A” → “B”', 'Tags: + y; − x']],
  [event('flag.update', { before: { name: 'Old', archived: false }, after: { name: 'Old', archived: true }, comment: 'done' }),
    'Flag “Old” archived — “done”', []],
  [event('flag.delete', { before: { name: 'Gone' } }), 'Flag “Gone” deleted', []],
  [event('flag.on', { environment: 'staging', before: config({ on: false }), after: config({}) }), 'Turned on in staging', []],
  [event('flag.off', { environment: 'production', comment: 'error rate up', before: config({}), after: config({ on: false }) }),
    'Turned off in production — “error rate up”', []],
  [event('flag.off', { ...deployment, targetKind: 'flag', targetKey: 'fast-pay', comment: 'rollback of checkout 1.4.2',
    before: config({}), after: config({ on: false }) }),
  'Turned off in production by the rollback of checkout 1.4.2 — “rollback of checkout 1.4.2”', []],
  [event('flag.config.update', { environment: 'production', before: config({ fallthrough: half(5) }), after: config({ fallthrough: half(25) }) }),
    'Targeting changed in production', ['Default rule: 5 % on → 25 % on']],
  [event('flag.config.update', { environment: 'production', before: config({}),
    after: config({ rules: [{ id: 'r1', clauses: [{ attribute: 'country', op: 'in', values: ['NO', 'SE'] }], serve: { variation: 0 } },
      { id: 'r2', clauses: [{ attribute: 'user', op: 'segmentMatch', values: ['staff'] }], serve: { variation: 0 } }] }) }),
  'Targeting changed in production', ['Rule 1 added: country is NO or SE → on', 'Rule 2 added: in segment staff → on']],
  [event('flag.release', { ...deployment, targetKind: 'flag', comment: 'release step 1 of 2: 10 %', actor: 'user:ana@example.com',
    before: config({ fallthrough: { variation: 1 } }), after: config({ fallthrough: half(10) }) }),
  'Released by checkout 1.4.2 in production', ['Default rule: off → 10 % on']],
  [event('flag.import', { after: { name: 'Imported' } }), 'Flag “Imported” imported from Unleash', []],
  [event('flag.import', { environment: 'development', before: undefined, after: { flag: { name: 'Imported' }, config: config({}) } }),
    'Imported from Unleash in development', ['Turned on', 'While off: the application’s default → off', 'Default rule: nothing → on']],
  [event('segment.create', { after: { key: 'staff', name: 'Staff' } }), 'Segment “Staff” created', []],
  [event('segment.update', { before: { name: 'Staff', description: 'a' }, after: { name: 'Employees', description: 'a' } }),
    'Segment “Employees” changed', ['Name: “Staff” → “Employees”']],
  [event('segment.delete', { before: { name: 'Staff' } }), 'Segment “Staff” deleted', []],
  [event('segment.config.update', { targetKey: 'staff', environment: 'production', before: { included: ['ana'] }, after: { included: ['ana', 'bo'], excluded: ['cy'] } }),
    'Segment “staff”: members changed in production', ['Included: + bo', 'Excluded: + cy']],
  [event('segment.import', { after: { name: 'Beta' } }), 'Segment “Beta” imported from Unleash', []],
  [event('token.create', { targetKey: '7', after: { name: 'ci', kind: 'pipeline', project: 'default', environments: ['production'] } }),
    'Pipeline token “ci” for default (production) created', []],
  [event('token.revoke', { targetKey: '7', before: { name: 'ci', kind: 'pipeline' }, after: { name: 'ci', kind: 'pipeline', revokedAt: at } }),
    'Pipeline token “ci” revoked', []],
  [event('user.create', { after: { email: 'bo@example.com', role: 'editor' } }), 'User bo@example.com added as editor', []],
  [event('user.update', { before: { email: 'bo@example.com', role: 'editor' }, after: { email: 'bo@example.com', role: 'admin' } }),
    'bo@example.com: editor → admin, and a new password', []],
  [event('user.role', { before: { email: 'bo@example.com', role: 'editor' }, after: { email: 'bo@example.com', role: 'viewer' } }),
    'bo@example.com: editor → viewer', []],
  [event('user.password', { before: { email: 'bo@example.com' }, after: { email: 'bo@example.com' } }), 'Password of bo@example.com changed', []],
  [event('user.delete', { before: { email: 'bo@example.com' } }), 'User bo@example.com removed', []],
  [event('deployment.create', { ...deployment, after: { flags: [{ key: 'fast-pay' }, { key: 'one-click' }] } }),
    'checkout 1.4.2 deployed in production, shipping 2 flags dark: fast-pay and one-click', []],
  [event('deployment.status', { ...deployment, before: { status: 'started' }, after: { status: 'failed' } }), 'checkout 1.4.2 failed in production', []],
  [event('deployment.release', { ...deployment, after: { steps: [{ percentage: 10 }, { percentage: 50, after: 'PT10M' }, { percentage: 100, after: 'PT1H' }] } }),
    'Release of checkout 1.4.2 started in production: 10 %, then 50 % after 10 min, then 100 % after 1 h', []],
  [event('deployment.release.step', { ...deployment, comment: 'release step 2 of 3: 50 %', after: { step: 2, of: 3, percentage: 50 } }),
    'checkout 1.4.2 released to 50 % in production (step 2 of 3)', []],
  [event('deployment.release.pause', { ...deployment, comment: 'looks odd' }), 'Release of checkout 1.4.2 paused in production — “looks odd”', []],
  [event('deployment.release.resume', { ...deployment }), 'Release of checkout 1.4.2 resumed in production', []],
  [event('deployment.rollback', { ...deployment, before: { status: 'succeeded' }, after: { status: 'rolled_back' } }),
    'checkout 1.4.2 rolled back in production', []],
  [event('deployment.guard.regression', { ...deployment, actor: 'policy:guard', comment: 'error per exposure rose 4.1× (95 % interval 2.3× to 7.0×)',
    after: { guard: { metric: { kind: 'rate', event: 'error' } }, action: 'rollback' } }),
  'A guard found a regression in checkout 1.4.2 in production: rolling it back — “error per exposure rose 4.1× (95 % interval 2.3× to 7.0×)”', []],
  [event('deployment.signal', { ...deployment, actor: 'pipeline:alertmanager', after: { alert: 'HighErrorRate', status: 'firing' } }),
    'Alert “HighErrorRate” firing for checkout 1.4.2 in production', []],
  [event('project.apply', { targetKey: 'default', after: { document: 'sha256:0123456789abcdef0123', summary: { create: 3, update: 2, unchanged: 40 } } }),
    'Document applied to the project: 3 created, 2 changed (sha256:0123456789ab…)', []],
  [event('webhook.create', { after: { name: '#releases', url: 'https://hooks.example.com/x' } }),
    'Webhook “#releases” added, sending to https://hooks.example.com/x', []],
  [event('webhook.update', { before: { name: '#releases' }, after: { name: '#releases' } }), 'Webhook “#releases” changed', []],
  [event('webhook.delete', { before: { name: '#releases' } }), 'Webhook “#releases” removed', []],
  [event('webhook.secret', { targetKey: '3' }), 'Webhook “#3”: a new signing secret', []],
];

describe('the history in words', () => {
  it('tells every action the server writes', () => {
    const written = actionsTheServerWrites();
    expect(written.length).toBeGreaterThan(25); // the scan found the server's sources
    expect(written.filter((a) => !TOLD_ACTIONS.includes(a))).toEqual([]);
    expect(written.filter((a) => !(a in ACTION_LABELS))).toEqual([]);
    expect(written.filter((a) => !EXAMPLES.some(([ev]) => ev.action === a))).toEqual([]);
  });

  it.each(EXAMPLES.map(([ev, headline, changes]) => [ev.action, ev, headline, changes] as const))('%s', (_, ev, headline, changes) => {
    const story = tell(ev, (flag) => (flag ? BOOLEAN : undefined));
    expect(story.headline).toBe(headline);
    expect(story.changes).toEqual(changes);
  });

  it('shows an action it does not know plainly', () => {
    expect(tell(event('guard.trip', { targetKind: 'flag', targetKey: 'x', environment: 'production' })).headline)
      .toBe('guard.trip on flag x in production');
  });
});

describe('the differences of a configuration', () => {
  it('names variations by name, on/off or value', () => {
    const colours: Variation[] = [{ value: 'blue' }, { value: 'green', name: 'Green' }];
    expect(configChanges(config({ fallthrough: { variation: 0 } }), config({ fallthrough: { variation: 1 } }), colours))
      .toEqual(['Default rule: “blue” → Green']);
    expect(configChanges(config({ fallthrough: { variation: 0 } }),
      config({ fallthrough: { rollout: { variations: [{ variation: 0, weight: 50_000 }, { variation: 1, weight: 50_000 }] } } }), colours))
      .toEqual(['Default rule: “blue” → 50 % “blue”, 50 % Green']);
  });

  it('tells rules changed, moved and removed, and individual targets', () => {
    const a = { id: 'a', clauses: [{ attribute: 'plan', op: 'in' as const, values: ['free'], negate: true }], serve: { variation: 0 } };
    const b = { id: 'b', clauses: [{ attribute: 'version', op: 'semverGte' as const, values: ['2.0.0'] }], serve: { variation: 1 } };
    const changed = { ...b, serve: { variation: 0 } };
    expect(configChanges(config({ rules: [a, b], targets: [{ variation: 0, values: ['ana'] }] }),
      config({ rules: [changed], targets: [{ variation: 0, values: ['bo'] }] }), BOOLEAN)).toEqual([
      'Individually on: + bo; − ana',
      'Rule 1 changed: version is at least version 2.0.0 → off ⇒ version is at least version 2.0.0 → on',
      'Rule 1 removed: plan is not free → on',
    ]);
    expect(configChanges(config({ rules: [a, b] }), config({ rules: [b, a] }), BOOLEAN))
      .toEqual(['Rule 2 moved to place 1: version is at least version 2.0.0 → off', 'Rule 1 moved to place 2: plan is not free → on']);
  });

  it('words conditions', () => {
    expect(clauseText({ attribute: 'email', op: 'endsWith', values: ['@example.com'], caseInsensitive: true })).toBe('email ends with @example.com (any case)');
    expect(clauseText({ attribute: 'beta', op: 'exists' })).toBe('beta is set');
    expect(clauseText({ attribute: 'user', op: 'segmentMatch', values: ['staff'], negate: true })).toBe('not in segment staff');
  });
});

describe('who and when', () => {
  it('names people and tokens, not ids', () => {
    expect(actorName('user:ana@example.com')).toBe('ana@example.com');
    expect(actorName('ci (pipeline token #7)')).toBe('pipeline token ‘ci’');
    expect(actorName('release bot (admin token #2)')).toBe('admin token ‘release bot’');
    expect(actorName('policy:rollback-on-failure')).toBe('policy: rollback on failure');
    expect(actorName('user:ana@example.com', 'deployment.release.step')).toBe('release plan (started by ana@example.com)');
  });

  it('tells the time with its zone', () => {
    const now = new Date('2026-12-09T00:00:00Z');
    expect(timeWithZone('2026-12-08T13:05:00Z', 'Europe/Oslo', now)).toBe('14:05 CET, 8 Dec');
    expect(timeWithZone('2026-12-08T13:05:00Z', 'UTC', now)).toBe('13:05 UTC, 8 Dec');
    expect(timeWithZone('2025-07-01T08:00:00Z', 'Europe/Oslo', now)).toBe('10:00 CEST, 1 Jul 2025');
  });

  it('tells durations', () => {
    expect(durationText('PT10M')).toBe('10 min');
    expect(durationText('PT1H30M')).toBe('1 h 30 min');
    expect(durationText('P1D')).toBe('1 day');
  });
});
