// Serilog message templates (`@mt` when `@m` is absent): `Processed {OrderId} in {Elapsed:0.0} ms`.
// Holes are `{Name}`, `{@Name}` / `{$Name}` (destructure / stringify), with optional `,alignment`
// and `:format` (ignored); `{{` and `}}` are literal braces. A hole with no property stays as is.

const HOLE = /\{\{|\}\}|\{([@$]?)([A-Za-z0-9_]+)(?:,[^}:]*)?(?::[^}]*)?\}/g;

export function renderTemplate(template: string, props: Record<string, unknown>): string {
  return template.replace(HOLE, (whole, _op: string, name: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    if (name === undefined || !Object.hasOwn(props, name)) return whole;
    const v = props[name];
    return typeof v === 'string' ? v : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
  });
}
