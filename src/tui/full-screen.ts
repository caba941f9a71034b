import { render } from 'ink';
import type { ReactElement } from 'react';

/** How the user left: `q` (or Esc), or Ctrl-C. */
export type Leave = 'quit' | 'interrupt';

const ALTERNATE_SCREEN_ON = '\u001b[?1049h';
const ALTERNATE_SCREEN_OFF = '\u001b[?1049l';
const CURSOR_ON = '\u001b[?25h';
const CLEAR_SCREEN = '\u001b[2J\u001b[H';

/**
 * Runs an Ink app on the alternate screen and gives the terminal back as it was: alternate
 * screen off, cursor shown, raw mode off, whether it ends by a key, an error or the process
 * exiting under it (a signal, process.exit elsewhere). `app` gets the function that ends it.
 */
export async function runFullScreen(app: (leave: (how: Leave) => void) => ReactElement): Promise<Leave> {
  const { stdout, stdin } = process;
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    if (stdin.isTTY) stdin.setRawMode(false);
    // A TTY write is synchronous, so this lands even from an 'exit' handler.
    stdout.write(ALTERNATE_SCREEN_OFF + CURSOR_ON);
  };
  const onTerminate = (signal: NodeJS.Signals) => {
    restore();
    process.exit(signal === 'SIGTERM' ? 143 : 129);
  };
  process.on('exit', restore);
  process.once('SIGTERM', onTerminate);
  process.once('SIGHUP', onTerminate);
  stdout.write(ALTERNATE_SCREEN_ON);
  let how: Leave = 'quit';
  // Ctrl-C is a key in raw mode: the view turns it into 'interrupt' rather than Ink exiting.
  const instance = render(
    app((h) => {
      how = h;
      instance.unmount();
    }),
    { exitOnCtrlC: false, patchConsole: false },
  );
  // A resize moves what is on the screen (a terminal that loses rows drops the top ones), so the
  // frame Ink erases is no longer where Ink thinks: start the next frame on a clean screen.
  const onResize = () => {
    stdout.write(CLEAR_SCREEN);
    instance.clear();
  };
  stdout.on('resize', onResize);
  try {
    await instance.waitUntilExit();
  } finally {
    stdout.off('resize', onResize);
    restore();
    process.off('exit', restore);
    process.off('SIGTERM', onTerminate);
    process.off('SIGHUP', onTerminate);
  }
  return how;
}
