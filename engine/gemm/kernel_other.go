//go:build !amd64

package gemm

func asmVariants() []*variant { return nil }
