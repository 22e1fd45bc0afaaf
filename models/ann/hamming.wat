;; The two loops of SignBitIndex that touch every code on every search, as WebAssembly: JavaScript has
;; no popcount, and its bit-twiddling version ran ~7x slower than i64.popcnt over 1M codes.
;; Compiled to hamming-wasm.ts by `npm run build:wasm`; models/ann/ann.test.ts checks the two agree.
;; All offsets are byte offsets into the module's own memory, laid out by SignBitIndex.
(module
  (memory (export "memory") 1)

  ;; For each of `count` codes of `words` i64 words at $codes: the Hamming distance to the query code
  ;; at $query, stored as u16 at $dist[slot], and counted in the u32 histogram at $hist[distance]
  ;; (which the caller zeroes first).
  (func (export "hamming") (param $codes i32) (param $count i32) (param $words i32) (param $query i32) (param $dist i32) (param $hist i32)
    (local $slot i32) (local $w i32) (local $d i64) (local $p i32) (local $h i32)
    (local.set $p (local.get $codes))
    (block $done
      (loop $slots
        (br_if $done (i32.ge_u (local.get $slot) (local.get $count)))
        (local.set $d (i64.const 0))
        (local.set $w (i32.const 0))
        (block $wdone
          (loop $ws
            (br_if $wdone (i32.ge_u (local.get $w) (local.get $words)))
            (local.set $d
              (i64.add (local.get $d)
                (i64.popcnt
                  (i64.xor
                    (i64.load (i32.add (local.get $p) (i32.shl (local.get $w) (i32.const 3))))
                    (i64.load (i32.add (local.get $query) (i32.shl (local.get $w) (i32.const 3))))))))
            (local.set $w (i32.add (local.get $w) (i32.const 1)))
            (br $ws)))
        (i32.store16 (i32.add (local.get $dist) (i32.shl (local.get $slot) (i32.const 1))) (i32.wrap_i64 (local.get $d)))
        (local.set $h (i32.add (local.get $hist) (i32.shl (i32.wrap_i64 (local.get $d)) (i32.const 2))))
        (i32.store (local.get $h) (i32.add (i32.load (local.get $h)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.shl (local.get $words) (i32.const 3))))
        (local.set $slot (i32.add (local.get $slot) (i32.const 1)))
        (br $slots))))

  ;; Writes the slots (u32, in slot order) whose distance in $dist lies in [lo, hi] to $out; returns
  ;; how many.
  (func (export "collect") (param $dist i32) (param $count i32) (param $lo i32) (param $hi i32) (param $out i32) (result i32)
    (local $slot i32) (local $n i32) (local $d i32)
    (block $done
      (loop $slots
        (br_if $done (i32.ge_u (local.get $slot) (local.get $count)))
        (local.set $d (i32.load16_u (i32.add (local.get $dist) (i32.shl (local.get $slot) (i32.const 1)))))
        (if (i32.and (i32.ge_u (local.get $d) (local.get $lo)) (i32.le_u (local.get $d) (local.get $hi)))
          (then
            (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))) (local.get $slot))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))))
        (local.set $slot (i32.add (local.get $slot) (i32.const 1)))
        (br $slots)))
    (local.get $n)))
