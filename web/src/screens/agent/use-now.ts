import { useEffect, useState } from 'preact/hooks';

/** The screen's clock, re-rendering every `intervalMs` so countdowns tick (cleared when the screen goes). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
