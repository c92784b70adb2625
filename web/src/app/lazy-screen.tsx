import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ScreenProps } from './routes.tsx';

/**
 * A screen loaded on first use (dynamic import: its own chunk), so the first screen's JavaScript
 * carries none of the others. Use it in ROUTES: `component: lazyScreen(() => import('…'), 'CaseInboxScreen')`.
 */
export function lazyScreen<M extends Record<string, unknown>>(load: () => Promise<M>, exportName: keyof M & string): ComponentType<ScreenProps> {
  let cached: ComponentType<ScreenProps> | undefined;
  return function LazyScreen(props: ScreenProps) {
    const [screen, setScreen] = useState<ComponentType<ScreenProps> | undefined>(() => cached);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (cached) return;
      load().then(
        (module) => {
          cached = module[exportName] as ComponentType<ScreenProps>;
          setScreen(() => cached);
        },
        () => setFailed(true),
      );
    }, []);
    if (failed) return <p role="alert">This screen could not be loaded. Reload the page to try again.</p>;
    if (!screen) return <p role="status">Loading…</p>;
    const Screen = screen;
    return <Screen {...props} />;
  };
}
