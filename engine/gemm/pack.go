package gemm

// Packing blocks of A and B into the contiguous panels the micro-kernels read.

import "unsafe"

// as32 returns the first elements of dst and src as *float32 when T is
// float32; as64 the first element as *float64 when it is float64. The
// assembly packs are per type; the loops around them are generic.
func as32[T float](dst, src []T) (*float32, *float32, bool) {
	if unsafe.Sizeof(T(0)) != 4 {
		return nil, nil, false
	}
	return (*float32)(unsafe.Pointer(&dst[0])), (*float32)(unsafe.Pointer(&src[0])), true
}

func as64[T float](x []T) *float64 { return (*float64)(unsafe.Pointer(&x[0])) }

// packA copies op(A)[i0:i0+mc, p0:p0+kc] into micro-panels of mr rows: panel
// r holds, for each p, the mr values of column p, zero-padded past mc.
func packA[T float](dst []T, aT bool, a []T, lda, i0, p0, mc, kc, mr int, fast bool) {
	for ir := 0; ir < mc; ir += mr {
		mh := min(mr, mc-ir)
		panel := dst[ir*kc : ir*kc+kc*mr]
		if aT { // element (p, i) at a[(p0+p)·lda + i0+ir+i]
			fillPanel(panel, a[p0*lda+i0+ir:], lda, false, kc, mh, mr, fast)
		} else { // element (p, i) at a[(i0+ir+i)·lda + p0+p]
			fillPanel(panel, a[(i0+ir)*lda+p0:], lda, true, kc, mh, mr, fast)
		}
	}
}

// packB copies op(B)[p0:p0+kc, j0:j0+nc] into micro-panels of nr columns:
// panel q holds, for each p, the nr values of row p. A last, partial panel
// is laid out enr wide (the narrower kernel that takes it), zero-padded.
func packB[T float](dst []T, bT bool, b []T, ldb, p0, j0, kc, nc, nr, enr int, fast bool) {
	for jr := 0; jr < nc; jr += nr {
		nw, dw := nr, nr
		if nc-jr < nr {
			nw, dw = nc-jr, enr
		}
		panel := dst[jr*kc : jr*kc+kc*dw]
		if bT { // element (p, j) at b[(j0+jr+j)·ldb + p0+p]
			fillPanel(panel, b[(j0+jr)*ldb+p0:], ldb, true, kc, nw, dw, fast)
		} else { // element (p, j) at b[(p0+p)·ldb + j0+jr+j]
			fillPanel(panel, b[p0*ldb+j0+jr:], ldb, false, kc, nw, dw, fast)
		}
	}
}

// fillPanel writes dst[p·dw + j] for p < kc, j < dw: the source element
// (p, j) for j < w, zero beyond. The source holds (p, j) at src[p·ld + j],
// or at src[j·ld + p] when cols is set. fast uses the AVX copies.
func fillPanel[T float](dst, src []T, ld int, cols bool, kc, w, dw int, fast bool) {
	if w < dw {
		clear(dst[:kc*dw])
	}
	if !cols {
		if fast {
			if d, s, ok := as32(dst, src); ok {
				packCopy32(d, s, ld, kc, w, dw)
			} else {
				packCopy(as64(dst), as64(src), ld, kc, w, dw)
			}
			return
		}
		for p := range kc {
			copy(dst[p*dw:p*dw+w], src[p*ld:p*ld+w])
		}
		return
	}
	w4, k4 := 0, 0
	if d, s, ok := as32(dst, src); ok && fast && w >= 8 && kc >= 8 {
		w4, k4 = w&^7, kc&^7
		packTrans32(d, s, ld, k4, w4, dw)
	} else if !ok && fast && w >= 4 && kc >= 4 {
		w4, k4 = w&^3, kc&^3
		transposeBlock(unsafe.Slice(as64(dst), len(dst)), unsafe.Slice(as64(src), len(src)), ld, k4, w4, dw)
	}
	for j := range w {
		from := 0
		if j < w4 {
			from = k4 // the 4×4 (8×8) blocks did the rest of this row
		}
		row := src[j*ld : j*ld+kc]
		for p := from; p < kc; p++ {
			dst[p*dw+j] = row[p]
		}
	}
}

// transposeBlock is packTrans for w and kc multiples of 4: the 8×8 AVX-512
// transposes where the CPU has them (BenchmarkPack), 4×4 ones for the rest.
func transposeBlock(dst, src []float64, ld, kc, w, dw int) {
	w8, k8 := w&^7, kc&^7
	if !hasAVX512 || w8 == 0 || k8 == 0 {
		packTrans(&dst[0], &src[0], ld, kc, w, dw)
		return
	}
	packTrans8(&dst[0], &src[0], ld, k8, w8, dw)
	if k8 < kc { // the last 4 values of the first w8 rows
		packTrans(&dst[k8*dw], &src[k8], ld, kc-k8, w8, dw)
	}
	if w8 < w { // the last 4 rows, every value
		packTrans(&dst[w8], &src[w8*ld], ld, kc, w-w8, dw)
	}
}
