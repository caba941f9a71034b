export interface PinoEntry {
  tUs: number;
  level: string;
  pid: number;
  hostname: string;
  bindings?: object;
  mixin?: object;
  fields?: object;
  msg: string;
}
export function pinoLine(e: PinoEntry): string;
export function zapLine(e: { tUs: number; level: string; caller: string; msg: string; fields?: object; stack?: string }): string;
export function structlogLine(e: { tUs: number; level: string; context?: object; event: string; fields?: object }): string;
export function zapSeconds(us: number): number;
export function isoMicros(tUs: number): string;
