// Words that agree with a count, for every sentence of the UI that has one. English plural
// categories come from the browser's Intl.PluralRules, not from a hand-written rule.
const rules = new Intl.PluralRules('en');

/** The form that agrees with n: plural(1, 'is', 'are') is "is", plural(2, 'is', 'are') is "are". */
export function plural(n: number, one: string, other: string): string {
  return rules.select(n) === 'one' ? one : other;
}

/** n and the noun that agrees with it: count(1, 'flag') is "1 flag", count(3, 'flag') is "3 flags". */
export function count(n: number, one: string, other: string = `${one}s`): string {
  return `${n} ${plural(n, one, other)}`;
}
