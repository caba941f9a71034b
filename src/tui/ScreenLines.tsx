import { Box, Text } from 'ink';
import type { ScreenSize } from './trace-screen.js';

/**
 * A full screen of ready-made lines (the screens are computed as plain strings by list-screen.ts
 * and trace-screen.ts, already fitted and sanitised): one Text per line, cut at the edge rather
 * than wrapped, and an empty line kept as a blank row.
 */
export function ScreenLines({ lines, size }: { lines: readonly string[]; size: ScreenSize }) {
  return (
    <Box flexDirection="column" width={size.columns} height={size.rows}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate">
          {line === '' ? ' ' : line}
        </Text>
      ))}
    </Box>
  );
}
