import type { Json } from '../api';

/** Flattens JSON into "path → value" (leaves only), e.g. config.rules[0].clauses[0].op → "in". */
export function flatten(value: Json | undefined, path = '', out = new Map<string, string>()): Map<string, string> {
  if (value === undefined) return out;
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(path, '[]');
    value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) out.set(path, '{}');
    entries.forEach(([k, v]) => flatten(v, path ? `${path}.${k}` : k, out));
  } else {
    out.set(path, JSON.stringify(value));
  }
  return out;
}

/** What changed between two states, one line per changed leaf; all text, never markup. */
export function Diff({ before, after }: { before?: Json; after?: Json }) {
  const a = flatten(before);
  const b = flatten(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])].filter((p) => a.get(p) !== b.get(p)).sort();
  if (paths.length === 0) return <p class="empty">No difference.</p>;
  return (
    <table class="diff">
      <thead><tr><th scope="col">Field</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
      <tbody>
        {paths.map((p) => (
          <tr>
            <th scope="row"><code>{p || '(value)'}</code></th>
            <td class="before">{a.has(p) ? <code>{a.get(p)}</code> : <span class="none">—</span>}</td>
            <td class="after">{b.has(p) ? <code>{b.get(p)}</code> : <span class="none">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
