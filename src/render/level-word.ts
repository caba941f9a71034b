import type { Level } from '../types.js';
import { padEndToWidth } from './text-width.js';

/** A level as a fixed-width column word (`INFO `, `ERROR`); `-` when the line had none. */
export function levelWord(level: Level | null): string {
  return padEndToWidth(level ? level.toUpperCase() : '-', 5);
}
