import type { Audience } from '../audience';

/**
 * Who gets a flag in one environment: the one-line summary as a link, the full sentence as its
 * hover text (title) and as its accessible description, which keyboard focus also shows beside it
 * (a title shows for the mouse only).
 */
export function AudienceLink({ audience, href, label, id }: { audience: Audience; href: string; label: string; id: string }) {
  return (
    <span class="audience-wrap">
      <a class="audience" href={href} title={audience.sentence} aria-label={`${label}: ${audience.short}`} aria-describedby={id}>{audience.short}</a>
      <span id={id} class="audience-tip">{audience.sentence}</span>
    </span>
  );
}

/** Segment names by key, for summaries. */
export const segmentNames = (segments: { key: string; name: string }[] | undefined) =>
  Object.fromEntries((segments ?? []).map((s) => [s.key, s.name]));
