// Flat encoding for handing many small objects between threads: every string goes into one text
// and its length into a Float64Array with the numbers. Structured-cloning an object graph costs
// about as much as building it; one string and one transferable buffer cost next to nothing.
// Lengths, not separators, delimit the strings, so any text (NUL included) comes back as it was.

export interface Packed {
  text: string;
  numbers: Float64Array;
}

export class PackWriter {
  private parts: string[] = [];
  private numbers: Float64Array;
  private n = 0;
  /** Strings that repeat (services, span names) are written once and then referred to by index. */
  private readonly dictionary = new Map<string, number>();

  constructor(expectedNumbers = 1024) {
    this.numbers = new Float64Array(Math.max(16, expectedNumbers));
  }

  num(x: number): void {
    if (this.n === this.numbers.length) {
      const grown = new Float64Array(this.numbers.length * 2);
      grown.set(this.numbers);
      this.numbers = grown;
    }
    this.numbers[this.n++] = x;
  }

  str(s: string): void {
    this.parts.push(s);
    this.num(s.length);
  }

  /** A string that likely repeats: its index when seen before, else -1 and the string. */
  common(s: string): void {
    const index = this.dictionary.get(s);
    if (index !== undefined) return this.num(index);
    this.dictionary.set(s, this.dictionary.size);
    this.num(-1);
    this.str(s);
  }

  finish(): Packed {
    return { text: this.parts.join(''), numbers: this.numbers.slice(0, this.n) };
  }
}

export class PackReader {
  private pos = 0;
  private i = 0;
  private readonly dictionary: string[] = [];

  constructor(private readonly packed: Packed) {}

  get done(): boolean {
    return this.i >= this.packed.numbers.length;
  }

  num(): number {
    return this.packed.numbers[this.i++]!;
  }

  str(): string {
    const end = this.pos + this.packed.numbers[this.i++]!;
    const s = this.packed.text.slice(this.pos, end);
    this.pos = end;
    return s;
  }

  common(): string {
    const index = this.num();
    if (index >= 0) return this.dictionary[index]!;
    const s = this.str();
    this.dictionary.push(s);
    return s;
  }
}
