import type { ComponentChildren } from 'preact';

/**
 * A viewer's pages: one sentence at the top says what they may do, instead of a tooltip on each
 * greyed control; the forms below show the values as text would (the `view-only` styles), still
 * unchangeable. Editors and admins get the page as it is.
 */
export function ViewOnly({ viewer, children }: { viewer: boolean; children: ComponentChildren }) {
  if (!viewer) return <>{children}</>;
  return (
    <div class="view-only">
      <p class="view-only-note" role="note">
        <strong>You can view; ask an editor or admin to change.</strong> Your role is viewer.
      </p>
      {children}
    </div>
  );
}
