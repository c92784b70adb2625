import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export const APP_NAME = 'eCRM console';

let firstScreen = true;
/**
 * Whether a screen that just opened should take the focus to its heading: yes for every screen
 * after the first, so that the browser's own start (Tab to the skip link) stays as it is on load.
 */
export function focusOnOpen(): boolean {
  const first = firstScreen;
  firstScreen = false;
  return !first;
}

/**
 * A screen's frame: sets document.title and renders the h1, which takes the focus when the screen
 * opens (except on page load) so that a screen reader announces the new screen and Tab starts from it.
 */
export function Page({ title, actions, children }: { title: string; actions?: ComponentChildren; children?: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${APP_NAME}`;
    if (focusOnOpen()) heading.current?.focus();
  }, [title]);
  return (
    <section class="page" aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {actions ? <div class="page-actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}
