package engine

import "math"

// activation is an elementwise non-linearity. The output layer's softmax is
// not one: it is fused with cross-entropy in loss_softmax.go.
type activation int

const (
	actLinear activation = iota
	actReLU
	actLeakyReLU
	actELU
	actGELU
	actTanh
	actSigmoid
)

const (
	leakySlope = 0.01
	eluAlpha   = 1.0
)

var activationNames = map[string]activation{
	"linear": actLinear, "relu": actReLU, "leaky_relu": actLeakyReLU, "elu": actELU,
	"gelu": actGELU, "tanh": actTanh, "sigmoid": actSigmoid,
}

func activationByName(name string) (activation, bool) {
	a, ok := activationNames[name]
	return a, ok
}

// heInit says whether the activation is relu-like, which wants He
// initialisation; the others get Glorot.
func (a activation) heInit() bool {
	return a == actReLU || a == actLeakyReLU || a == actELU || a == actGELU
}

// forward writes f(z) into out (which may alias z).
func (a activation) forward(z, out []float64) { actForward(a, z, out) }

// actForward writes f(z) into out (which may alias z). The float32 forms
// of the transcendental ones go through float64's math and round once.
func actForward[T float](a activation, z, out []T) {
	out = out[:len(z)]
	switch a {
	case actLinear:
		copy(out, z)
	case actReLU:
		relu(z, out)
	case actLeakyReLU:
		for i, v := range z {
			if v < 0 {
				v *= leakySlope
			}
			out[i] = v
		}
	case actELU:
		for i, v := range z {
			if v < 0 {
				v = eluAlpha * T(math.Expm1(float64(v)))
			}
			out[i] = v
		}
	case actGELU:
		for i, v := range z {
			out[i] = T(0.5 * float64(v) * (1 + math.Erf(float64(v)/math.Sqrt2)))
		}
	case actTanh:
		for i, v := range z {
			out[i] = T(math.Tanh(float64(v)))
		}
	case actSigmoid:
		for i, v := range z {
			out[i] = T(sigmoid(float64(v)))
		}
	}
}

// backward turns the gradient with respect to the output (d, in place) into
// the gradient with respect to z, given z and out = f(z).
func (a activation) backward(z, out, d []float64) { actBackward(a, z, out, d) }

// actBackward is backward for either compute type.
func actBackward[T float](a activation, z, out, d []T) {
	z, out = z[:len(d)], out[:len(d)]
	switch a {
	case actLinear:
	case actReLU:
		reluBack(z, d)
	case actLeakyReLU:
		for i, v := range z {
			if v < 0 {
				d[i] *= leakySlope
			}
		}
	case actELU:
		for i, v := range z {
			if v < 0 {
				d[i] *= out[i] + eluAlpha
			}
		}
	case actGELU:
		const invSqrt2Pi = 0.3989422804014327
		for i, zv := range z {
			v := float64(zv)
			cdf := 0.5 * (1 + math.Erf(v/math.Sqrt2))
			d[i] *= T(cdf + v*invSqrt2Pi*math.Exp(-0.5*v*v))
		}
	case actTanh:
		for i, y := range out {
			d[i] *= 1 - y*y
		}
	case actSigmoid:
		for i, y := range out {
			d[i] *= y * (1 - y)
		}
	}
}

// sigmoid never overflows: exp is only taken of a non-positive number.
func sigmoid(v float64) float64 {
	if v >= 0 {
		return 1 / (1 + math.Exp(-v))
	}
	e := math.Exp(v)
	return e / (1 + e)
}
