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
func (a activation) forward(z, out []float64) {
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
				v = eluAlpha * math.Expm1(v)
			}
			out[i] = v
		}
	case actGELU:
		for i, v := range z {
			out[i] = 0.5 * v * (1 + math.Erf(v/math.Sqrt2))
		}
	case actTanh:
		for i, v := range z {
			out[i] = math.Tanh(v)
		}
	case actSigmoid:
		for i, v := range z {
			out[i] = sigmoid(v)
		}
	}
}

// backward turns the gradient with respect to the output (d, in place) into
// the gradient with respect to z, given z and out = f(z).
func (a activation) backward(z, out, d []float64) {
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
		for i, v := range z {
			cdf := 0.5 * (1 + math.Erf(v/math.Sqrt2))
			d[i] *= cdf + v*invSqrt2Pi*math.Exp(-0.5*v*v)
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
