import type { Deployment, ReleaseGuard } from '../api';
import { ago, formatTime } from '../format';
import { guardChart, guardOutcome } from '../guardChart';

/**
 * One guard of a release: what it did (a headline and the server's sentence) and its live chart —
 * the value per arm, the worsening with its always-valid interval against the tolerance, the
 * sample so far against the minimum. The SVG is one image to assistive technology (its label
 * says what it shows); the same sentences follow as visually-hidden text.
 */
export function GuardCard({ guard, deployment, index }: { guard: ReleaseGuard; deployment: Deployment; index: number }) {
  const chart = guardChart(guard);
  const outcome = guardOutcome(guard, deployment);
  const id = `guard-${deployment.id}-${index}`;
  const i = chart.interval;
  return (
    <li class={`guard tone-${outcome.tone}`} data-guard={guard.name} data-verdict={chart.verdict}>
      <div class="guard-head">
        <h3 id={`${id}-title`}>Guard ‘{guard.name}’ <span class="guard-action">{guard.action === 'rollback' ? 'rolls back' : 'pauses'}</span></h3>
        <span class="guard-outcome">{outcome.headline}</span>
      </div>
      {guard.state?.summary && <p class="guard-summary">{guard.state.summary}</p>}
      <svg class="guard-chart" viewBox={`0 0 ${chart.width} ${chart.height}`} role="img" aria-label={chart.sentence}
        aria-describedby={`${id}-text`}>
        <text class="band-title" x={4} y={10}>Value per arm</text>
        {chart.arms.map((a) => (
          <g class={a.label === 'without' ? 'arm control' : 'arm treatment'} data-arm={a.label === 'without' ? 'control' : 'treatment'}>
            <text x={chart.plotLeft - 6} y={a.y + 4} text-anchor="end">{a.label}</text>
            <rect x={a.x} y={a.y - 8} width={Math.max(1, a.width)} height={16} rx={2} />
            <text class="value" x={a.x + a.width + 4} y={a.y + 4}>{a.text}</text>
          </g>
        ))}
        {chart.arms.length === 0 && <text class="none" x={chart.plotLeft} y={40}>no samples yet</text>}
        <text class="band-title" x={4} y={76}>Difference (worse →)</text>
        {i ? (
          <g class="difference">
            <rect class="regression-region" x={i.regionX} y={i.y - 24} width={Math.max(0, i.regionWidth)} height={40} />
            <text class="region-label" x={chart.plotRight - 3} y={i.y + 13} text-anchor="end">regression</text>
            <line class="zero" x1={i.zeroX} x2={i.zeroX} y1={i.y - 24} y2={i.y + 16} />
            <line class="threshold" data-threshold={i.toleranceText} x1={i.toleranceX} x2={i.toleranceX} y1={i.y - 28} y2={i.y + 20} />
            <text class="threshold-label" x={i.toleranceLabelX} y={i.y + 30} text-anchor={i.toleranceAnchor}>tolerated {i.toleranceText}</text>
            <line class={`interval${i.lowerOpen || i.upperOpen ? ' open' : ''}`} x1={i.x1} x2={i.x2} y1={i.y} y2={i.y} />
            {!i.lowerOpen && <line class="interval-end" x1={i.x1} x2={i.x1} y1={i.y - 6} y2={i.y + 6} />}
            {!i.upperOpen && <line class="interval-end" x1={i.x2} x2={i.x2} y1={i.y - 6} y2={i.y + 6} />}
            <circle class="estimate" cx={i.estimateX} cy={i.y} r={5} />
            <text class="value" x={Math.min(chart.plotRight, i.estimateX)} y={i.y - 10} text-anchor="middle">{i.estimateText}</text>
          </g>
        ) : <text class="none" x={chart.plotLeft} y={112}>no estimate yet</text>}
        <text class="band-title" x={4} y={152}>Sample per arm</text>
        {chart.samples.map((s) => (
          <g class="sample">
            <text x={chart.plotLeft - 6} y={s.y + 4} text-anchor="end">{s.label}</text>
            <rect class="track" x={s.x} y={s.y - 6} width={s.full} height={12} rx={2} />
            <rect class="fill" x={s.x} y={s.y - 6} width={s.width} height={12} rx={2} />
            <text class="value" x={s.x + s.full + 4} y={s.y + 4}>{s.text}</text>
          </g>
        ))}
      </svg>
      <div id={`${id}-text`} class="visually-hidden">{chart.lines.map((l) => <p>{l}</p>)}</div>
      <p class="hint guard-meta">
        {guard.step ? `From step ${guard.step}` : 'For the whole release'} · α {guard.alpha ?? 0.05} · at least {guard.minSample ?? 1000} per arm
        {guard.checkedAt && <> · looked <time dateTime={guard.checkedAt} title={formatTime(guard.checkedAt)}>{ago(guard.checkedAt)}</time></>}
      </p>
    </li>
  );
}
