package engine

import "math"

// softmaxCrossEntropy is softmax fused with cross-entropy. Per row it uses
// log-sum-exp around the row maximum, so no exp overflows and no log of zero
// is taken. It returns the summed loss and the number of rows whose largest
// logit is the labelled class. If grad has rows it receives
// inv·(softmax(z) − onehot(y)): with inv = 1/batch rows, the gradient of the
// batch's mean loss even when z is one shard of the batch.
//
// The float32 form sums the loss in float64 (each row's exps too, so that
// the normaliser rounds once) and writes its gradient in float32.
func softmaxCrossEntropy[T, Y float](z general[T], y general[Y], grad general[T], inv float64) (sum float64, correct int) {
	for i := 0; i < z.Rows; i++ {
		row := z.Data[i*z.Stride : i*z.Stride+z.Cols]
		label := int(y.Data[i*y.Stride])
		mx, arg := row[0], 0
		for j, v := range row {
			if v > mx {
				mx, arg = v, j
			}
		}
		if arg == label {
			correct++
		}
		s := 0.0
		if grad.Rows > 0 {
			g := grad.Data[i*grad.Stride : i*grad.Stride+grad.Cols]
			for j, v := range row {
				e := math.Exp(float64(v - mx))
				g[j] = T(e)
				s += e
			}
			k := T(inv / s)
			for j := range g {
				g[j] *= k
			}
			g[label] -= T(inv)
		} else {
			for _, v := range row {
				s += math.Exp(float64(v - mx))
			}
		}
		sum += float64(mx) + math.Log(s) - float64(row[label])
	}
	return sum, correct
}

// softmaxRows turns each row of logits into probabilities in place.
func softmaxRows[T float](z general[T]) {
	for i := 0; i < z.Rows; i++ {
		row := z.Data[i*z.Stride : i*z.Stride+z.Cols]
		mx := row[0]
		for _, v := range row {
			mx = max(mx, v)
		}
		s := 0.0
		for j, v := range row {
			e := math.Exp(float64(v - mx))
			row[j] = T(e)
			s += e
		}
		inv := T(1 / s)
		for j := range row {
			row[j] *= inv
		}
	}
}
