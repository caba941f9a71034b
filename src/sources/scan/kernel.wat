;; The scan kernel as kernel.ts emits it, written out for reading (it is not assembled from here:
;; kernel.ts builds the same module in memory, specialised per needle set).
;;
;; This instance is for trace id 4bf92f3577b34da6a3ce929d0e0e4736, whose needles are
;;   "a3ce929d0e0e4736", "A3CE929D0E0E4736" (group 0: equal ignoring case) and
;;   "11803532876627986230"                   (group 1: its Datadog decimal).
;; needle-plan.ts picked the probe offsets 4, 13, 15; the probe bytes are
;;   group 0: '9' '7' '6'     group 1: '3' '7' '8'
;; (no case folding needed: all three probe bytes of group 0 are digits).
;; BLOCKS = 4 (64 bytes a step), PER_BRANCH = 2 (one branch per 32 bytes), MAX_STEPS = 63.

(module
  (import "env" "mem" (memory 1))
  (global $nl (export "nl") (mut i32) (i32.const 0))

  ;; 1 when a needle starts at $q and ends by $end. Each 16-byte piece of a needle is compared at
  ;; once: ((bytes ^ want) & care) is zero when all cared-for bytes agree.
  (func $verify (export "verify") (param $q i32) (param $end i32) (result i32)
    (block $miss0
      (br_if $miss0 (i32.gt_u (i32.add (local.get $q) (i32.const 16)) (local.get $end)))
      (br_if $miss0 (v128.any_true (v128.and
        (v128.xor (v128.load offset=0 (local.get $q)) (v128.const i8x16 0x61 0x33 0x63 0x65 0x39 0x32 0x39 0x64 0x30 0x65 0x30 0x65 0x34 0x37 0x33 0x36))
        (v128.const i8x16 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1))))
      (return (i32.const 1)))
    (block $miss1 ;; "A3CE929D0E0E4736": the same with upper-case bytes
      (br_if $miss1 (i32.gt_u (i32.add (local.get $q) (i32.const 16)) (local.get $end)))
      (br_if $miss1 (v128.any_true (v128.and
        (v128.xor (v128.load offset=0 (local.get $q)) (v128.const i8x16 0x41 0x33 0x43 0x45 0x39 0x32 0x39 0x44 0x30 0x45 0x30 0x45 0x34 0x37 0x33 0x36))
        (v128.const i8x16 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1))))
      (return (i32.const 1)))
    (block $miss2 ;; "11803532876627986230": 20 bytes, two pieces, the second caring for 4 bytes
      (br_if $miss2 (i32.gt_u (i32.add (local.get $q) (i32.const 20)) (local.get $end)))
      (br_if $miss2 (v128.any_true (v128.and
        (v128.xor (v128.load offset=0 (local.get $q)) (v128.const i8x16 0x31 0x31 0x38 0x30 0x33 0x35 0x33 0x32 0x38 0x37 0x36 0x36 0x32 0x37 0x39 0x38))
        (v128.const i8x16 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1))))
      (br_if $miss2 (v128.any_true (v128.and
        (v128.xor (v128.load offset=16 (local.get $q)) (v128.const i8x16 0x36 0x32 0x33 0x30 0 0 0 0 0 0 0 0 0 0 0 0))
        (v128.const i8x16 -1 -1 -1 -1 0 0 0 0 0 0 0 0 0 0 0 0))))
      (return (i32.const 1)))
    (i32.const 0))

  ;; The candidate mask of the 16 positions at $a (a macro in kernel.ts, inlined at each use):
  ;;   d0 = load(a+4)  d1 = load(a+13)  d2 = load(a+15)
  ;;   ( (d0=='9') & (d1=='7') & (d2=='6') ) | ( (d0=='3') & (d1=='7') & (d2=='8') )
  ;; with d1=='7' computed once, as both groups probe '7' at offset 13.

  ;; First verified match among the candidates of $blocks 16-byte blocks from $block, or -1.
  (func $firstIn (export "firstIn") (param $block i32) (param $blocks i32) (param $end i32) (result i32)
    (local $limit i32) (local $m i32) (local $q i32)
    (local.set $limit (i32.add (local.get $block) (i32.shl (local.get $blocks) (i32.const 4))))
    (loop $blocks
      (local.set $m (i8x16.bitmask (;candidate mask of $block;)))
      (block $done
        (loop $bits
          (br_if $done (i32.eqz (local.get $m)))
          (local.set $q (i32.add (local.get $block) (i32.ctz (local.get $m))))
          (if (i32.ge_u (local.get $q) (local.get $end)) (then (return (i32.const -1))))
          (if (call $verify (local.get $q) (local.get $end)) (then (return (local.get $q))))
          (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
          (br $bits)))
      (br_if $blocks (i32.lt_u (local.tee $block (i32.add (local.get $block) (i32.const 16))) (local.get $limit))))
    (i32.const -1))

  ;; Newlines in [$from, $to), a byte at a time (only for the bytes around a match).
  (func $count (export "count") (param $from i32) (param $to i32) (result i32)
    (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $from) (local.get $to)))
        (local.set $n (i32.add (local.get $n) (i32.eq (i32.load8_u (local.get $from)) (i32.const 10))))
        (local.set $from (i32.add (local.get $from) (i32.const 1)))
        (br $next)))
    (local.get $n))

  ;; First position in [$start, $end) where a needle starts (and ends by $end), or -1;
  ;; $nl := newlines before it (or in the whole region).
  (func $find (export "find") (param $start i32) (param $end i32) (result i32)
    (local $p i32) (local $lim i32) (local $tot i32) (local $r i32) (local $rest i32) (local $counted i32)
    (local $acc v128) (local $nlv v128) (local $mask v128) (local $c v128)
    (local.set $nlv (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))
    (local.set $p (local.get $start))

    (block $tail
      (loop $outer
        (br_if $tail (i32.gt_u (i32.add (local.get $p) (i32.const 64)) (local.get $end)))
        ;; lim = min(p + 64·62, end - 64): at most 63 steps, so no byte counter passes 4·63 = 252
        (local.set $lim (select (i32.add (local.get $p) (i32.const 3968)) (i32.sub (local.get $end) (i32.const 64))
                                (i32.lt_u (i32.add (local.get $p) (i32.const 3968)) (i32.sub (local.get $end) (i32.const 64)))))
        (block $cand (result i32)
          (loop $inner
            ;; block 0: count its newlines (a match lane is -1: subtracting adds 1)
            (local.set $acc (i8x16.sub (local.get $acc) (i8x16.eq (v128.load offset=0 (local.get $p)) (local.get $nlv))))
            (local.set $c (;candidate mask at p;))
            ;; block 1, then one branch for both: leave with 32 = bytes counted so far
            (local.set $acc (i8x16.sub (local.get $acc) (i8x16.eq (v128.load offset=16 (local.get $p)) (local.get $nlv))))
            (drop (br_if $cand (i32.const 32) (v128.any_true (v128.or (;candidate mask at p+16;) (local.get $c)))))
            ;; blocks 2 and 3 the same, leaving with 64
            (local.set $acc (i8x16.sub (local.get $acc) (i8x16.eq (v128.load offset=32 (local.get $p)) (local.get $nlv))))
            (local.set $c (;candidate mask at p+32;))
            (local.set $acc (i8x16.sub (local.get $acc) (i8x16.eq (v128.load offset=48 (local.get $p)) (local.get $nlv))))
            (drop (br_if $cand (i32.const 64) (v128.any_true (v128.or (;candidate mask at p+48;) (local.get $c)))))
            (br_if $inner (i32.le_u (local.tee $p (i32.add (local.get $p) (i32.const 64))) (local.get $lim))))
          ;; 63 steps done: add the byte counters into $tot (flush), start again
          (;flush: tot += sum of the 16 lanes of acc (extadd_pairwise twice, 4 extract_lane); acc = 0;)
          (br $outer))
        ;; a candidate in the 32 bytes before p + counted; acc counts newlines up to there
        (local.set $counted)
        (;flush;)
        (local.set $r (call $firstIn (i32.sub (i32.add (local.get $p) (local.get $counted)) (i32.const 32)) (i32.const 2) (local.get $end)))
        (if (i32.ge_s (local.get $r) (i32.const 0))
          (then
            (global.set $nl (i32.sub (local.get $tot) (call $count (local.get $r) (i32.add (local.get $p) (local.get $counted)))))
            (return (local.get $r))))
        (local.set $p (i32.add (local.get $p) (local.get $counted)))
        (br $outer)))

    ;; tail: 16 bytes a step, lanes at or past $end masked off
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $rest (i32.sub (local.get $end) (local.get $p)))
        (local.set $rest (select (i32.const 16) (local.get $rest) (i32.gt_u (local.get $rest) (i32.const 16))))
        (local.set $mask (i8x16.lt_u (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15) (i8x16.splat (local.get $rest))))
        (local.set $tot (i32.add (local.get $tot)
          (i32.popcnt (i8x16.bitmask (v128.and (i8x16.eq (v128.load (local.get $p)) (local.get $nlv)) (local.get $mask))))))
        (if (v128.any_true (v128.and (;candidate mask at p;) (local.get $mask)))
          (then
            (local.set $r (call $firstIn (local.get $p) (i32.const 1) (local.get $end)))
            (if (i32.ge_s (local.get $r) (i32.const 0))
              (then
                (global.set $nl (i32.sub (local.get $tot) (call $count (local.get $r) (i32.add (local.get $p) (local.get $rest)))))
                (return (local.get $r))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $step)))
    (global.set $nl (local.get $tot))
    (i32.const -1))
)
