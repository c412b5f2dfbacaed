import { describe, expect, it } from 'vitest';
import type { FlagConfig } from '../api';
import { fromConfigDraft, moveRule, newRuleDraft, toConfigDraft } from './flagConfig';

const flag = { variations: [{ value: 'red' }, { value: 'green' }, { value: 'blue' }] };

/** A configuration using every part the editor shows, written as the server answers it. */
const full: FlagConfig = {
  on: true,
  offVariation: 1,
  targets: [{ variation: 0, values: ['alice', 'bob'] }, { variation: 2, values: ['carol'] }],
  rules: [
    {
      id: 'norway', description: 'Norway first',
      clauses: [{ attribute: 'country', op: 'in', values: ['NO'] }, { attribute: 'age', op: 'numberGte', values: [18], negate: true }],
      serve: { variation: 2 },
    },
    { clauses: [{ attribute: 'beta', op: 'exists' }], serve: { rollout: { variations: [{ variation: 0, weight: 25_000 }, { variation: 1, weight: 75_000 }], bucketBy: 'org' } } },
  ],
  fallthrough: { rollout: { variations: [{ variation: 0, weight: 50_000 }, { variation: 1, weight: 30_000 }, { variation: 2, weight: 20_000 }] } },
  prerequisites: [{ flag: 'new-checkout', variation: 0 }],
  metadata: { team: 'growth', priority: 2, experimental: true },
};

describe('a flag configuration as a draft and back', () => {
  it('comes back as it was', () => {
    expect(fromConfigDraft(toConfigDraft(flag, full))).toEqual(full);
  });

  it('is a fixed point after one round trip', () => {
    const once = fromConfigDraft(toConfigDraft(flag, full));
    expect(fromConfigDraft(toConfigDraft(flag, once))).toEqual(once);
    expect(toConfigDraft(flag, once)).toEqual(toConfigDraft(flag, full));
  });

  it('gives the empty parts of the smallest configuration as empty lists', () => {
    const smallest: FlagConfig = { on: false, offVariation: 0, fallthrough: { variation: 1 } };
    const draft = toConfigDraft(flag, smallest);
    expect(draft).toEqual({ on: false, offVariation: 0, targets: ['', '', ''], rules: [], fallthrough: { variation: 1 }, prerequisites: [] });
    expect(fromConfigDraft(draft)).toEqual({ ...smallest, targets: [], rules: [], prerequisites: [] });
  });

  it('keeps an off variation left empty: the application default', () => {
    const config: FlagConfig = { ...full, offVariation: null };
    expect(toConfigDraft(flag, config).offVariation).toBeNull();
    expect(fromConfigDraft(toConfigDraft(flag, config)).offVariation).toBeNull();
  });

  it('keeps the metadata it does not edit, and adds none where there was none', () => {
    const draft = toConfigDraft(flag, full);
    expect(fromConfigDraft({ ...draft, on: false }).metadata).toEqual({ team: 'growth', priority: 2, experimental: true });
    const without: FlagConfig = { ...full };
    delete without.metadata;
    expect(toConfigDraft(flag, without)).not.toHaveProperty('metadata');
    expect(fromConfigDraft(toConfigDraft(flag, without))).not.toHaveProperty('metadata');
  });

  it('keeps rollouts as they are, and their shares add up to 100 %', () => {
    const back = fromConfigDraft(toConfigDraft(flag, full));
    for (const serve of [back.fallthrough, ...back.rules!.map((r) => r.serve)]) {
      if (!serve.rollout) continue;
      expect(serve.rollout.variations.reduce((a, w) => a + w.weight, 0)).toBe(100_000);
    }
    expect(back.rules![1].serve.rollout!.bucketBy).toBe('org');
  });
});

describe('individual targets', () => {
  it('are one text per variation, keys one per line', () => {
    expect(toConfigDraft(flag, full).targets).toEqual(['alice\nbob', '', 'carol']);
  });

  it('take keys separated by lines, spaces or commas, and leave out variations without keys', () => {
    const draft = { ...toConfigDraft(flag, full), targets: ['  alice,bob\n\n dave ', '   ', 'carol'] };
    expect(fromConfigDraft(draft).targets).toEqual([{ variation: 0, values: ['alice', 'bob', 'dave'] }, { variation: 2, values: ['carol'] }]);
  });

  it('join the keys of several targets for one variation', () => {
    const config: FlagConfig = { ...full, targets: [{ variation: 1, values: ['a'] }, { variation: 1, values: ['b'] }] };
    expect(toConfigDraft(flag, config).targets).toEqual(['', 'a\nb', '']);
  });
});

describe('rules', () => {
  it('leave out an id and a description left blank, and trim them otherwise', () => {
    const draft = toConfigDraft(flag, full);
    draft.rules[0] = { ...draft.rules[0], id: '  ', description: '' };
    draft.rules[1] = { ...draft.rules[1], id: ' beta ', description: ' Beta testers ' };
    const rules = fromConfigDraft(draft).rules!;
    expect(rules[0]).not.toHaveProperty('id');
    expect(rules[0]).not.toHaveProperty('description');
    expect(rules[1]).toMatchObject({ id: 'beta', description: 'Beta testers' });
  });

  it('name the rule and condition whose value does not fit', () => {
    const draft = toConfigDraft(flag, full);
    draft.rules[0].clauses[1] = { ...draft.rules[0].clauses[1], text: 'eighteen' };
    expect(() => fromConfigDraft(draft)).toThrow('Rule 1, condition 2: “eighteen” is not a number');
  });

  it('start new with one empty condition, serving the first variation', () => {
    const rule = newRuleDraft();
    expect(rule).toMatchObject({ id: '', description: '', serve: { variation: 0 } });
    expect(rule.clauses).toHaveLength(1);
    const draft = { ...toConfigDraft(flag, full), rules: [rule] };
    expect(() => fromConfigDraft(draft)).toThrow('Rule 1, condition 1: give at least one value');
  });

  it('move up and down, keeping the others in order', () => {
    const rules = ['a', 'b', 'c'].map((id) => ({ ...newRuleDraft(), id }));
    expect(moveRule(rules, 2, -1).map((r) => r.id)).toEqual(['a', 'c', 'b']);
    expect(moveRule(rules, 0, 1).map((r) => r.id)).toEqual(['b', 'a', 'c']);
    expect(rules.map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });
});
