;; WebAssembly SIMD (f32x4) kernels behind src/lora/gemm.ts: the Float32Array case of gemmNN, gemmTN and gemmNT.
;; Assembled by tools/lora/build-gemm-wasm.mjs into src/lora/gemm-wasm-bytes.ts (committed); the JS side is
;; src/lora/gemm-wasm.ts, which copies operands into this module's memory, calls a kernel and copies C back.
;;
;; All addresses and strides are in bytes. Only f32x4.mul + f32x4.add (no relaxed-SIMD FMA), and every output
;; element is summed in a fixed order, so results are bit-for-bit reproducible on every engine.
;;
;; The kernels compute whole tiles only. The caller rounds m and n up to the tile and gives C room for the rounded
;; shape; rows and columns past the real m × n read whatever lies in memory past the operands (the caller keeps
;; slack at the end of memory) and their results are discarded: SIMD lanes never mix, so those values cannot reach
;; a kept element. The shared dimension k is never rounded by the kernels: rr loops exactly k times, nt needs k a
;; multiple of 4 and the caller zero-pads it.
(module
  (memory (export "mem") 1)

  ;; rr: C(i, j) (+)= Σ_{p<k} A(i, p) · B(p, j) for i < m (a multiple of 4), j < n (a multiple of 8), with
  ;; A(i, p) at a + i·ai + p·ap (so both A and Aᵀ: gemmNN and gemmTN), B(p, j) at b + p·bld + 4j and C(i, j) at
  ;; c + i·cld + 4j. A 4 × 8 tile of C lives in eight f32x4 accumulators; per step of p it takes two vector loads
  ;; of B's row and four broadcast loads of A. Column blocks outermost, so one 8-column panel of B (k × 32 bytes)
  ;; stays in L1 while the rows of A stream past. acc ≠ 0 adds the tile to C, otherwise overwrites it.
  (func (export "rr")
    (param $m i32) (param $n i32) (param $k i32)
    (param $a i32) (param $ai i32) (param $ap i32)
    (param $b i32) (param $bld i32)
    (param $c i32) (param $cld i32) (param $acc i32)
    (local $i i32) (local $j i32) (local $p i32)
    (local $pa i32) (local $pb i32) (local $pc i32) (local $ai2 i32) (local $ai3 i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $y0 v128) (local $y1 v128) (local $x v128)
    (local.set $ai2 (i32.add (local.get $ai) (local.get $ai)))
    (local.set $ai3 (i32.add (local.get $ai2) (local.get $ai)))
    (local.set $j (i32.const 0))
    (block $jdone
      (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $i (i32.const 0))
        (block $idone
          (loop $iloop
            (br_if $idone (i32.ge_u (local.get $i) (local.get $m)))
            (local.set $c00 (v128.const i32x4 0 0 0 0))
            (local.set $c01 (v128.const i32x4 0 0 0 0))
            (local.set $c10 (v128.const i32x4 0 0 0 0))
            (local.set $c11 (v128.const i32x4 0 0 0 0))
            (local.set $c20 (v128.const i32x4 0 0 0 0))
            (local.set $c21 (v128.const i32x4 0 0 0 0))
            (local.set $c30 (v128.const i32x4 0 0 0 0))
            (local.set $c31 (v128.const i32x4 0 0 0 0))
            (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ai))))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $p (local.get $k))
            (block $pdone
              (loop $ploop
                (br_if $pdone (i32.eqz (local.get $p)))
                (local.set $y0 (v128.load (local.get $pb)))
                (local.set $y1 (v128.load offset=16 (local.get $pb)))
                (local.set $x (v128.load32_splat (local.get $pa)))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $y0))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $y1))))
                (local.set $x (v128.load32_splat (i32.add (local.get $pa) (local.get $ai))))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $y0))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $y1))))
                (local.set $x (v128.load32_splat (i32.add (local.get $pa) (local.get $ai2))))
                (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $y0))))
                (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $y1))))
                (local.set $x (v128.load32_splat (i32.add (local.get $pa) (local.get $ai3))))
                (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $y0))))
                (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $y1))))
                (local.set $pa (i32.add (local.get $pa) (local.get $ap)))
                (local.set $pb (i32.add (local.get $pb) (local.get $bld)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br $ploop)))
            (local.set $pc (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $i) (local.get $cld)) (i32.shl (local.get $j) (i32.const 2)))))
            (if (local.get $acc)
              (then
                (local.set $c00 (f32x4.add (v128.load (local.get $pc)) (local.get $c00)))
                (local.set $c01 (f32x4.add (v128.load offset=16 (local.get $pc)) (local.get $c01)))
                (local.set $pc (i32.add (local.get $pc) (local.get $cld)))
                (local.set $c10 (f32x4.add (v128.load (local.get $pc)) (local.get $c10)))
                (local.set $c11 (f32x4.add (v128.load offset=16 (local.get $pc)) (local.get $c11)))
                (local.set $pc (i32.add (local.get $pc) (local.get $cld)))
                (local.set $c20 (f32x4.add (v128.load (local.get $pc)) (local.get $c20)))
                (local.set $c21 (f32x4.add (v128.load offset=16 (local.get $pc)) (local.get $c21)))
                (local.set $pc (i32.add (local.get $pc) (local.get $cld)))
                (local.set $c30 (f32x4.add (v128.load (local.get $pc)) (local.get $c30)))
                (local.set $c31 (f32x4.add (v128.load offset=16 (local.get $pc)) (local.get $c31)))
                (local.set $pc (i32.sub (local.get $pc) (i32.mul (local.get $cld) (i32.const 3))))))
            (v128.store (local.get $pc) (local.get $c00))
            (v128.store offset=16 (local.get $pc) (local.get $c01))
            (local.set $pc (i32.add (local.get $pc) (local.get $cld)))
            (v128.store (local.get $pc) (local.get $c10))
            (v128.store offset=16 (local.get $pc) (local.get $c11))
            (local.set $pc (i32.add (local.get $pc) (local.get $cld)))
            (v128.store (local.get $pc) (local.get $c20))
            (v128.store offset=16 (local.get $pc) (local.get $c21))
            (local.set $pc (i32.add (local.get $pc) (local.get $cld)))
            (v128.store (local.get $pc) (local.get $c30))
            (v128.store offset=16 (local.get $pc) (local.get $c31))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $iloop)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $jloop))))

  ;; nt: C(i, j) (+)= Σ_{p<k} A(i, p) · B(j, p) for i < m (a multiple of 2), j < n (a multiple of 4), k a multiple
  ;; of 4; A(i, p) at a + i·ald + 4p, B(j, p) at b + j·bld + 4p, C(i, j) at c + i·cld + 4j. Dot products of rows:
  ;; a 2 × 4 tile keeps, per output, four partial sums (lanes p mod 4) in eight f32x4 accumulators, each step of
  ;; four p takes two vector loads of A and four of B, and a 4 × 4 transpose-add of shuffles folds the lanes at the
  ;; end. Column blocks outermost, so four rows of B (4k floats) stay in L1 while A's rows stream past.
  (func (export "nt")
    (param $m i32) (param $n i32) (param $k i32)
    (param $a i32) (param $ald i32)
    (param $b i32) (param $bld i32)
    (param $c i32) (param $cld i32) (param $acc i32)
    (local $i i32) (local $j i32) (local $q i32) (local $kb i32)
    (local $a0 i32) (local $a1 i32) (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32) (local $pc i32)
    (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c03 v128)
    (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128)
    (local $x0 v128) (local $x1 v128) (local $y v128) (local $t0 v128) (local $t1 v128)
    (local.set $kb (i32.shl (local.get $k) (i32.const 2)))
    (local.set $j (i32.const 0))
    (block $jdone
      (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $b0 (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $bld))))
        (local.set $b1 (i32.add (local.get $b0) (local.get $bld)))
        (local.set $b2 (i32.add (local.get $b1) (local.get $bld)))
        (local.set $b3 (i32.add (local.get $b2) (local.get $bld)))
        (local.set $i (i32.const 0))
        (block $idone
          (loop $iloop
            (br_if $idone (i32.ge_u (local.get $i) (local.get $m)))
            (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ald))))
            (local.set $a1 (i32.add (local.get $a0) (local.get $ald)))
            (local.set $c00 (v128.const i32x4 0 0 0 0))
            (local.set $c01 (v128.const i32x4 0 0 0 0))
            (local.set $c02 (v128.const i32x4 0 0 0 0))
            (local.set $c03 (v128.const i32x4 0 0 0 0))
            (local.set $c10 (v128.const i32x4 0 0 0 0))
            (local.set $c11 (v128.const i32x4 0 0 0 0))
            (local.set $c12 (v128.const i32x4 0 0 0 0))
            (local.set $c13 (v128.const i32x4 0 0 0 0))
            (local.set $q (i32.const 0))
            (block $qdone
              (loop $qloop
                (br_if $qdone (i32.ge_u (local.get $q) (local.get $kb)))
                (local.set $x0 (v128.load (i32.add (local.get $a0) (local.get $q))))
                (local.set $x1 (v128.load (i32.add (local.get $a1) (local.get $q))))
                (local.set $y (v128.load (i32.add (local.get $b0) (local.get $q))))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x1) (local.get $y))))
                (local.set $y (v128.load (i32.add (local.get $b1) (local.get $q))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x1) (local.get $y))))
                (local.set $y (v128.load (i32.add (local.get $b2) (local.get $q))))
                (local.set $c02 (f32x4.add (local.get $c02) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $c12 (f32x4.add (local.get $c12) (f32x4.mul (local.get $x1) (local.get $y))))
                (local.set $y (v128.load (i32.add (local.get $b3) (local.get $q))))
                (local.set $c03 (f32x4.add (local.get $c03) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $c13 (f32x4.add (local.get $c13) (f32x4.mul (local.get $x1) (local.get $y))))
                (local.set $q (i32.add (local.get $q) (i32.const 16)))
                (br $qloop)))
            ;; Row i: [Σc00, Σc01, Σc02, Σc03] by two rounds of pairwise lane sums.
            (local.set $t0 (f32x4.add
              (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c00) (local.get $c01))
              (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c00) (local.get $c01))))
            (local.set $t1 (f32x4.add
              (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c02) (local.get $c03))
              (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c02) (local.get $c03))))
            (local.set $c00 (f32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1))))
            ;; Row i + 1 likewise.
            (local.set $t0 (f32x4.add
              (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c10) (local.get $c11))
              (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c10) (local.get $c11))))
            (local.set $t1 (f32x4.add
              (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c12) (local.get $c13))
              (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c12) (local.get $c13))))
            (local.set $c10 (f32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1))))
            (local.set $pc (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $i) (local.get $cld)) (i32.shl (local.get $j) (i32.const 2)))))
            (if (local.get $acc)
              (then
                (local.set $c00 (f32x4.add (v128.load (local.get $pc)) (local.get $c00)))
                (local.set $c10 (f32x4.add (v128.load (i32.add (local.get $pc) (local.get $cld))) (local.get $c10)))))
            (v128.store (local.get $pc) (local.get $c00))
            (v128.store (i32.add (local.get $pc) (local.get $cld)) (local.get $c10))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $iloop)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $jloop)))))
