import { useStdout } from 'ink';
import { useEffect, useState } from 'react';
import type { ScreenSize } from './trace-screen.js';

/**
 * The terminal's size, following its resizes. One line less than the terminal has: Ink redraws
 * a frame as tall as the screen by clearing the whole terminal, which flickers; one line shorter
 * it rewrites only what changed.
 */
export function useScreenSize(): ScreenSize {
  const { stdout } = useStdout();
  const read = (): ScreenSize => ({ columns: stdout.columns || 80, rows: Math.max(3, (stdout.rows || 24) - 1) });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
