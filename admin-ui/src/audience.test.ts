import { describe, expect, it } from 'vitest';
import type { FlagConfig, Variation } from './api';
import { audience, audienceChange } from './audience';

const bool: Variation[] = [{ value: true }, { value: false }];
const abc: Variation[] = [{ value: 'A' }, { value: 'B' }, { value: 'C', name: 'Control' }];
const segments = { staff: 'Staff', 'beta-testers': 'Beta testers' };

const rollout = (pctOn: number) => ({ rollout: { variations: [{ variation: 0, weight: pctOn * 1000 }, { variation: 1, weight: 100_000 - pctOn * 1000 }] } });
const on = (change: Partial<FlagConfig> = {}): FlagConfig => ({ on: true, offVariation: 1, fallthrough: { variation: 0 }, ...change });
const staffRule = { clauses: [{ attribute: 'key', op: 'segmentMatch' as const, values: ['staff'] }], serve: { variation: 0 } };
const nordics = { clauses: [{ attribute: 'country', op: 'in' as const, values: ['NO', 'SE'] }], serve: { variation: 0 } };
const short = (config: FlagConfig, variations = bool, extra = {}) => audience({ config, variations, segments, ...extra }).short;

describe('who gets a flag, in one line', () => {
  it('says Off when off, whatever the rules say', () => {
    expect(short({ ...on({ rules: [staffRule] }), on: false })).toBe('Off');
    expect(audience({ config: { on: false, offVariation: null, fallthrough: { variation: 0 } }, variations: bool }).sentence)
      .toBe('Off: everyone gets the application’s own default value.');
    expect(short({ on: false, offVariation: 0, fallthrough: { variation: 0 } })).toBe('Off (serves on)');
  });

  it('says everyone, no one or the share of a rollout', () => {
    expect(short(on())).toBe('On for everyone');
    expect(short(on({ fallthrough: { variation: 1 } }))).toBe('On for no one');
    expect(short(on({ fallthrough: rollout(10) }))).toBe('On for 10 %');
    expect(short(on({ fallthrough: rollout(12.5) }))).toBe('On for 12.5 %');
    expect(audience({ config: on({ fallthrough: rollout(10) }), variations: bool }).sentence)
      .toBe('On. Everyone: 10 % get on (sticky by context key), the rest off.');
  });

  it('finds "on" by value, not by position', () => {
    const flipped: Variation[] = [{ value: false }, { value: true }];
    expect(short({ on: true, offVariation: 0, fallthrough: { variation: 1 } }, flipped)).toBe('On for everyone');
    expect(short({ on: true, offVariation: 0, fallthrough: { rollout: { variations: [{ variation: 1, weight: 30_000 }, { variation: 0, weight: 70_000 }] } } }, flipped))
      .toBe('On for 30 %');
  });

  it('names a segment rule and the share for the others', () => {
    expect(short(on({ rules: [staffRule], fallthrough: rollout(25) }))).toBe('Staff → on; others 25 %');
    const full = audience({ config: on({ rules: [staffRule], fallthrough: rollout(25) }), variations: bool, segments }).sentence;
    expect(full).toBe('On. Rule 1: contexts in segment Staff get on. Everyone else: 25 % get on (sticky by context key), the rest off.');
  });

  it('says "only" when the rules serve on and everyone else off', () => {
    expect(short(on({ rules: [nordics], fallthrough: { variation: 1 } }))).toBe('NO, SE only');
    expect(short(on({ rules: [staffRule, nordics], fallthrough: { variation: 1 } }))).toBe('Staff, NO, SE only');
    expect(audience({ config: on({ rules: [nordics], fallthrough: { variation: 1 } }), variations: bool }).sentence)
      .toBe('On. Rule 1: contexts whose country is NO or SE get on. Everyone else: gets off.');
  });

  it('shows rules that serve off, negations and other operators', () => {
    const free = { clauses: [{ attribute: 'plan', op: 'in' as const, values: ['free'] }], serve: { variation: 1 } };
    expect(short(on({ rules: [free] }))).toBe('plan = free → off; others on');
    const notNordic = { clauses: [{ attribute: 'country', op: 'in' as const, values: ['NO', 'SE'], negate: true }], serve: { variation: 0 } };
    expect(short(on({ rules: [notNordic], fallthrough: { variation: 1 } }))).toBe('not NO, SE only');
    const acme = { clauses: [{ attribute: 'email', op: 'endsWith' as const, values: ['@acme.com'] },
      { attribute: 'version', op: 'semverGte' as const, values: ['1.4.0'] }], serve: rollout(50) };
    expect(short(on({ rules: [acme], fallthrough: { variation: 1 } }))).toBe('email ends with @acme.com & version ≥ 1.4.0 → 50 %; others off');
    expect(audience({ config: on({ rules: [acme, notNordic], fallthrough: { variation: 1 } }), variations: bool }).sentence)
      .toBe('On. Rule 1: contexts whose email ends with @acme.com and whose version ≥ 1.4.0: 50 % get on (sticky by context key), the rest off.'
        + ' Rule 2: contexts whose country is not one of NO, SE get on. Everyone else: gets off.');
    expect(short(on({ rules: [{ clauses: [{ attribute: 'beta', op: 'exists' }], serve: { variation: 0 } }], fallthrough: { variation: 1 } })))
      .toBe('has beta only');
    const many = { clauses: [{ attribute: 'country', op: 'in' as const, values: ['NO', 'SE', 'DK', 'FI', 'IS'] }], serve: { variation: 0 } };
    expect(short(on({ rules: [many], fallthrough: { variation: 1 } }))).toBe('NO, SE, DK +2 only');
  });

  it('names individual targets before the rules, as the evaluator reads them', () => {
    expect(short(on({ targets: [{ variation: 0, values: ['alice', 'bob'] }], fallthrough: { variation: 1 } }))).toBe('alice, bob only');
    expect(short(on({ targets: [{ variation: 0, values: ['a', 'b', 'c'] }, { variation: 1, values: ['mallory'] }], rules: [staffRule], fallthrough: rollout(5) })))
      .toBe('3 targeted keys → on; mallory → off; Staff → on; others 5 %');
    expect(audience({ config: on({ targets: [{ variation: 0, values: ['alice'] }] }), variations: bool }).sentence)
      .toBe('On. Context key alice gets on. Everyone else: gets on.');
  });

  it('shows every share of a rollout over more than two variations', () => {
    const split = { rollout: { variations: [{ variation: 0, weight: 50_000 }, { variation: 1, weight: 50_000 }, { variation: 2, weight: 0 }] } };
    expect(short({ on: true, offVariation: 2, fallthrough: split }, abc)).toBe('A 50 % · B 50 %');
    expect(audience({ config: { on: true, offVariation: 2, fallthrough: split }, variations: abc }).sentence)
      .toBe('On. Everyone: gets A (50 %) and B (50 %), sticky by context key.');
    expect(short({ on: true, offVariation: 2, fallthrough: { variation: 2 } }, abc)).toBe('Serves Control');
    expect(short({ on: true, offVariation: 2, rules: [staffRule], fallthrough: { variation: 2 } }, abc)).toBe('Staff → A; others Control');
    expect(short({ on: false, offVariation: 2, fallthrough: { variation: 0 } }, abc)).toBe('Off');
  });

  it('names the release that sets the share', () => {
    const release = { service: 'checkout', version: '1.4.2', state: 'running' };
    expect(short(on({ fallthrough: rollout(10) }), bool, { release })).toBe('Released by checkout 1.4.2: 10 %');
    expect(short(on(), bool, { release })).toBe('Released by checkout 1.4.2: 100 %');
    expect(short(on({ fallthrough: rollout(10) }), bool, { release: { ...release, state: 'paused' } })).toBe('Released by checkout 1.4.2 (paused): 10 %');
    expect(short(on({ rules: [staffRule], fallthrough: rollout(10) }), bool, { release })).toBe('Released by checkout 1.4.2: Staff → on; others 10 %');
    expect(short({ on: false, offVariation: 1, fallthrough: { variation: 0 } }, bool, { release })).toBe('Off');
  });

  it('puts prerequisites first', () => {
    const config = on({ prerequisites: [{ flag: 'new-cart', variation: 0 }], fallthrough: rollout(10) });
    expect(short(config, bool, { flags: { 'new-cart': bool } })).toBe('Needs new-cart; On for 10 %');
    expect(short(config, bool, { flags: { 'new-cart': abc } })).toBe('Needs new-cart = A; On for 10 %');
    expect(audience({ config, variations: bool, flags: { 'new-cart': bool } }).sentence)
      .toBe('On. Only where flag new-cart serves on; elsewhere everyone gets off. Everyone: 10 % get on (sticky by context key), the rest off.');
  });

  it('uses a segment key when the segment is unknown', () => {
    expect(audience({ config: on({ rules: [staffRule], fallthrough: { variation: 1 } }), variations: bool }).short).toBe('staff only');
  });
});

describe('what a change does to who gets a flag', () => {
  const change = (before: FlagConfig, after: FlagConfig, variations = bool) => audienceChange(before, after, { variations, segments });

  it('gives the summaries before and after', () => {
    const c = change(on({ fallthrough: rollout(5) }), on({ fallthrough: rollout(25) }));
    expect([c.before.short, c.after.short]).toEqual(['On for 5 %', 'On for 25 %']);
    expect(c.widening).toEqual(['The default rule serves on to 25 % instead of 5 %.']);
  });

  it('does not warn when the audience narrows', () => {
    expect(change(on({ fallthrough: rollout(25) }), on({ fallthrough: rollout(5) })).widening).toEqual([]);
    expect(change(on({ rules: [staffRule], fallthrough: rollout(25) }), on({ fallthrough: rollout(25) })).widening).toEqual([]);
    expect(change(on(), { ...on(), on: false }).widening).toEqual([]);
    expect(change(on({ targets: [{ variation: 0, values: ['a', 'b'] }], fallthrough: { variation: 1 } }),
      on({ targets: [{ variation: 0, values: ['a'] }], fallthrough: { variation: 1 } })).widening).toEqual([]);
    const fewer = { ...nordics, clauses: [{ ...nordics.clauses[0], values: ['NO'] }] };
    expect(change(on({ rules: [nordics], fallthrough: { variation: 1 } }), on({ rules: [fewer], fallthrough: { variation: 1 } })).widening).toEqual([]);
  });

  it('warns when a rule is added while the default rule serves on to everyone', () => {
    const before: FlagConfig = { on: false, offVariation: 1, fallthrough: { variation: 0 } };
    const c = change(before, on({ rules: [staffRule] }));
    expect(c.after.short).toBe('Staff → on; others on');
    expect(c.widening).toEqual(['It turns the flag on: Staff → on; others on.',
      'Rule 1 (Staff) is added, but the default rule serves on to everyone: everyone gets it, not only Staff.']);
  });

  it('says once that turning on gives the flag to its audience', () => {
    const before: FlagConfig = { on: false, offVariation: 1, fallthrough: { variation: 0 } };
    expect(change(before, on({ rules: [staffRule], targets: [{ variation: 0, values: ['alice'] }], fallthrough: { variation: 1 } })).widening)
      .toEqual(['It turns the flag on: alice, Staff only.']);
    expect(change(before, on({ fallthrough: { variation: 1 } })).widening).toEqual([]);
  });

  it('warns for an added rule, target, widened condition or removed prerequisite', () => {
    const base = on({ fallthrough: { variation: 1 } });
    expect(change(base, on({ rules: [nordics], fallthrough: { variation: 1 } })).widening).toEqual(['Rule 1 is added: NO, SE → on.']);
    expect(change(base, on({ targets: [{ variation: 0, values: ['alice'] }], fallthrough: { variation: 1 } })).widening)
      .toEqual(['1 context key is targeted to get on: alice.']);
    const more = { ...nordics, clauses: [{ ...nordics.clauses[0], values: ['NO', 'SE', 'DK'] }] };
    expect(change(on({ rules: [nordics], fallthrough: { variation: 1 } }), on({ rules: [more], fallthrough: { variation: 1 } })).widening)
      .toEqual(['Rule 1 now matches more contexts: NO, SE, DK.']);
    const needs = on({ prerequisites: [{ flag: 'new-cart', variation: 0 }] });
    expect(change(needs, on()).widening).toEqual(['No longer needs new-cart.']);
    const offRule = { ...nordics, serve: { variation: 1 } };
    expect(change(on({ rules: [offRule], fallthrough: rollout(50) }), on({ fallthrough: rollout(50) })).widening)
      .toEqual(['Rule 1 (NO, SE) is removed: those contexts get the default rule, 50 %.']);
    expect(change(on({ rules: [{ ...staffRule, serve: rollout(10) }], fallthrough: { variation: 1 } }),
      on({ rules: [{ ...staffRule, serve: rollout(40) }], fallthrough: { variation: 1 } })).widening)
      .toEqual(['Rule 1 (Staff) serves on to 40 % instead of 10 %.']);
  });

  it('counts anything but the off variation as "on" for other kinds of flags', () => {
    const c = change({ on: true, offVariation: 2, fallthrough: { variation: 2 } }, { on: true, offVariation: 2, fallthrough: { variation: 0 } }, abc);
    expect(c.widening).toEqual(['The default rule serves a variation other than the off one to 100 % instead of 0 %.']);
  });
});
