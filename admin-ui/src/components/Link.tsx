import type { ComponentChildren } from 'preact';
import { navigate } from '../router';

/** An ordinary link (opens in a new tab with a modifier key) that navigates in place otherwise. */
export function Link({ href, children, class: className, ...rest }: { href: string; children: ComponentChildren; class?: string; 'aria-current'?: 'page' }) {
  return (
    <a href={href} class={className} {...rest} onClick={(ev) => {
      if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
      ev.preventDefault();
      navigate(href);
    }}>{children}</a>
  );
}
