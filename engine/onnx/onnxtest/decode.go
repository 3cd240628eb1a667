package onnxtest

// A reader of the ModelProto subset onnx.Encode writes: the structure test
// decodes the bytes with it (field numbers, wire types, shapes), and Read
// turns them back into an Export. It is not a general ONNX parser.

import (
	"encoding/binary"
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of onnx.proto (proto2) that the reader knows: the ones the
// encoder writes. They are typed here from onnx.proto, not shared with the
// encoder's proto.go, so that a wrong number there fails the structure test
// instead of being read back by the same mistake.
const (
	// ModelProto
	modelIRVersion     = 1
	modelProducerName  = 2
	modelProducerVer   = 3
	modelModelVersion  = 5
	modelDocString     = 6
	modelGraph         = 7
	modelOpsetImport   = 8
	modelMetadataProps = 14

	// OperatorSetIdProto
	opsetDomain  = 1
	opsetVersion = 2

	// StringStringEntryProto
	entryKey   = 1
	entryValue = 2

	// GraphProto
	graphNode        = 1
	graphName        = 2
	graphInitializer = 5
	graphInput       = 11
	graphOutput      = 12

	// NodeProto
	nodeInput     = 1
	nodeOutput    = 2
	nodeName      = 3
	nodeOpType    = 4
	nodeAttribute = 5

	// AttributeProto
	attrName = 1
	attrF    = 2
	attrI    = 3
	attrType = 20

	// AttributeProto.AttributeType
	attrTypeFloat = 1
	attrTypeInt   = 2

	// TensorProto
	tensorDims     = 1
	tensorDataType = 2
	tensorName     = 8
	tensorRawData  = 9

	// TensorProto.DataType
	dataTypeFloat = 1

	// ValueInfoProto
	valueName = 1
	valueType = 2

	// TypeProto, TypeProto.Tensor, TensorShapeProto.Dimension
	typeTensor     = 1
	tensorElemType = 1
	tensorShape    = 2
	dimValue       = 1
	dimParam       = 2
)

type field struct {
	num protowire.Number
	typ protowire.Type
	v   uint64 // varint and fixed32
	b   []byte // bytes
}

// fields splits one message into its fields; any malformed byte is an error.
func fields(b []byte) ([]field, error) {
	var out []field
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil, protowire.ParseError(n)
		}
		b = b[n:]
		f := field{num: num, typ: typ}
		switch typ {
		case protowire.VarintType:
			f.v, n = protowire.ConsumeVarint(b)
		case protowire.Fixed32Type:
			var v uint32
			v, n = protowire.ConsumeFixed32(b)
			f.v = uint64(v)
		case protowire.BytesType:
			f.b, n = protowire.ConsumeBytes(b)
		default:
			return nil, fmt.Errorf("field %d: unexpected wire type %d", num, typ)
		}
		if n < 0 {
			return nil, protowire.ParseError(n)
		}
		b = b[n:]
		out = append(out, f)
	}
	return out, nil
}

type decodedTensor struct {
	name  string
	dims  []int
	dtype int
	data  []float32
}

type decodedAttr struct {
	name string
	typ  int
	f    float32
	i    int64
}

type decodedNode struct {
	op, name string
	in, out  []string
	attrs    map[string]decodedAttr
}

type decodedValue struct {
	name     string
	elemType int
	dims     []string // dim_param or the dim_value as text
}

type decodedModel struct {
	ir           int64
	producer     string
	opsetDomain  string
	opset        int64
	graphName    string
	nodes        []decodedNode
	inits        map[string]decodedTensor
	inputs       []decodedValue
	outputs      []decodedValue
	meta         map[string]string
	unknownField []string
}

func decodeModel(b []byte) (*decodedModel, error) {
	fs, err := fields(b)
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	m := &decodedModel{inits: map[string]decodedTensor{}, meta: map[string]string{}}
	opsets := 0
	for _, f := range fs {
		switch f.num {
		case modelIRVersion:
			m.ir = int64(f.v)
		case modelProducerName:
			m.producer = string(f.b)
		case modelProducerVer, modelModelVersion, modelDocString:
		case modelOpsetImport:
			opsets++
			sub, err := fields(f.b)
			if err != nil {
				return nil, err
			}
			for _, s := range sub {
				switch s.num {
				case opsetDomain:
					m.opsetDomain = string(s.b)
				case opsetVersion:
					m.opset = int64(s.v)
				}
			}
		case modelMetadataProps:
			sub, err := fields(f.b)
			if err != nil {
				return nil, err
			}
			var k, v string
			for _, s := range sub {
				switch s.num {
				case entryKey:
					k = string(s.b)
				case entryValue:
					v = string(s.b)
				}
			}
			m.meta[k] = v
		case modelGraph:
			if err := m.decodeGraph(f.b); err != nil {
				return nil, err
			}
		default:
			m.unknownField = append(m.unknownField, fmt.Sprintf("model.%d", f.num))
		}
	}
	if opsets != 1 {
		return nil, fmt.Errorf("%d opset imports, want 1", opsets)
	}
	return m, nil
}

func (m *decodedModel) decodeGraph(b []byte) error {
	fs, err := fields(b)
	if err != nil {
		return fmt.Errorf("graph: %w", err)
	}
	for _, f := range fs {
		switch f.num {
		case graphName:
			m.graphName = string(f.b)
		case graphNode:
			n, err := decodeNode(f.b)
			if err != nil {
				return err
			}
			m.nodes = append(m.nodes, n)
		case graphInitializer:
			t, err := decodeTensor(f.b)
			if err != nil {
				return err
			}
			if _, dup := m.inits[t.name]; dup {
				return fmt.Errorf("initializer %q twice", t.name)
			}
			m.inits[t.name] = t
		case graphInput, graphOutput:
			v, err := decodeValue(f.b)
			if err != nil {
				return err
			}
			if f.num == graphInput {
				m.inputs = append(m.inputs, v)
			} else {
				m.outputs = append(m.outputs, v)
			}
		default:
			m.unknownField = append(m.unknownField, fmt.Sprintf("graph.%d", f.num))
		}
	}
	return nil
}

func decodeNode(b []byte) (decodedNode, error) {
	n := decodedNode{attrs: map[string]decodedAttr{}}
	fs, err := fields(b)
	if err != nil {
		return n, fmt.Errorf("node: %w", err)
	}
	for _, f := range fs {
		switch f.num {
		case nodeInput:
			n.in = append(n.in, string(f.b))
		case nodeOutput:
			n.out = append(n.out, string(f.b))
		case nodeName:
			n.name = string(f.b)
		case nodeOpType:
			n.op = string(f.b)
		case nodeAttribute:
			sub, err := fields(f.b)
			if err != nil {
				return n, err
			}
			var a decodedAttr
			for _, s := range sub {
				switch s.num {
				case attrName:
					a.name = string(s.b)
				case attrType:
					a.typ = int(s.v)
				case attrF:
					if s.typ != protowire.Fixed32Type {
						return n, fmt.Errorf("attribute f has wire type %d", s.typ)
					}
					a.f = math.Float32frombits(uint32(s.v))
				case attrI:
					a.i = int64(s.v)
				default:
					return n, fmt.Errorf("attribute field %d unexpected", s.num)
				}
			}
			n.attrs[a.name] = a
		default:
			return n, fmt.Errorf("node field %d unexpected", f.num)
		}
	}
	return n, nil
}

func decodeTensor(b []byte) (decodedTensor, error) {
	var t decodedTensor
	fs, err := fields(b)
	if err != nil {
		return t, fmt.Errorf("tensor: %w", err)
	}
	var raw []byte
	for _, f := range fs {
		switch f.num {
		case tensorDims:
			t.dims = append(t.dims, int(int64(f.v)))
		case tensorDataType:
			t.dtype = int(f.v)
		case tensorName:
			t.name = string(f.b)
		case tensorRawData:
			raw = f.b
		default:
			return t, fmt.Errorf("tensor field %d unexpected", f.num)
		}
	}
	if len(raw)%4 != 0 {
		return t, fmt.Errorf("tensor %s: raw_data of %d bytes", t.name, len(raw))
	}
	for i := 0; i < len(raw); i += 4 {
		t.data = append(t.data, math.Float32frombits(binary.LittleEndian.Uint32(raw[i:])))
	}
	want := 1
	for _, d := range t.dims {
		want *= d
	}
	if want != len(t.data) {
		return t, fmt.Errorf("tensor %s: dims %v but %d values", t.name, t.dims, len(t.data))
	}
	return t, nil
}

func decodeValue(b []byte) (decodedValue, error) {
	var v decodedValue
	fs, err := fields(b)
	if err != nil {
		return v, err
	}
	for _, f := range fs {
		switch f.num {
		case valueName:
			v.name = string(f.b)
		case valueType:
			tp, err := fields(f.b)
			if err != nil {
				return v, err
			}
			for _, t := range tp {
				if t.num != typeTensor {
					return v, fmt.Errorf("type field %d unexpected", t.num)
				}
				tt, err := fields(t.b)
				if err != nil {
					return v, err
				}
				for _, x := range tt {
					switch x.num {
					case tensorElemType:
						v.elemType = int(x.v)
					case tensorShape:
						dims, err := fields(x.b)
						if err != nil {
							return v, err
						}
						for _, d := range dims {
							dd, err := fields(d.b)
							if err != nil {
								return v, err
							}
							for _, y := range dd {
								switch y.num {
								case dimParam:
									v.dims = append(v.dims, string(y.b))
								case dimValue:
									v.dims = append(v.dims, fmt.Sprint(int64(y.v)))
								}
							}
						}
					}
				}
			}
		}
	}
	return v, nil
}
