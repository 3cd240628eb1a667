//go:build !amd64

package gemm

func asmVariants() []*variant { return nil }

func asmVariants32() []*variant32 { return nil }

// The assembly packing routines exist only on amd64; no variant here sets
// asmPack, so these are never called.
func packCopy(dst, src *float64, ld, kc, w, dw int)    { panic("gemm: packCopy without assembly") }
func packTrans(dst, src *float64, ld, kc, w, dw int)   { panic("gemm: packTrans without assembly") }
func packTrans8(dst, src *float64, ld, kc, w, dw int)  { panic("gemm: packTrans8 without assembly") }
func packCopy32(dst, src *float32, ld, kc, w, dw int)  { panic("gemm: packCopy32 without assembly") }
func packTrans32(dst, src *float32, ld, kc, w, dw int) { panic("gemm: packTrans32 without assembly") }

const hasAVX512 = false
