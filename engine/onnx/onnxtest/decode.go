package onnxtest

// A reader of the ModelProto subset onnx.Encode writes: the structure test
// decodes the bytes with it (field numbers, wire types, shapes), and Read
// turns them back into an Export. It is not a general ONNX parser.

import (
	"encoding/binary"
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"

	"workbench/engine/onnx/internal/onnxpb"
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
		case onnxpb.ModelIRVersion:
			m.ir = int64(f.v)
		case onnxpb.ModelProducerName:
			m.producer = string(f.b)
		case onnxpb.ModelProducerVer, onnxpb.ModelModelVersion, onnxpb.ModelDocString:
		case onnxpb.ModelOpsetImport:
			opsets++
			sub, err := fields(f.b)
			if err != nil {
				return nil, err
			}
			for _, s := range sub {
				switch s.num {
				case onnxpb.OpsetDomain:
					m.opsetDomain = string(s.b)
				case onnxpb.OpsetVersion:
					m.opset = int64(s.v)
				}
			}
		case onnxpb.ModelMetadataProps:
			sub, err := fields(f.b)
			if err != nil {
				return nil, err
			}
			var k, v string
			for _, s := range sub {
				switch s.num {
				case onnxpb.EntryKey:
					k = string(s.b)
				case onnxpb.EntryValue:
					v = string(s.b)
				}
			}
			m.meta[k] = v
		case onnxpb.ModelGraph:
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
		case onnxpb.GraphName:
			m.graphName = string(f.b)
		case onnxpb.GraphNode:
			n, err := decodeNode(f.b)
			if err != nil {
				return err
			}
			m.nodes = append(m.nodes, n)
		case onnxpb.GraphInitializer:
			t, err := decodeTensor(f.b)
			if err != nil {
				return err
			}
			if _, dup := m.inits[t.name]; dup {
				return fmt.Errorf("initializer %q twice", t.name)
			}
			m.inits[t.name] = t
		case onnxpb.GraphInput, onnxpb.GraphOutput:
			v, err := decodeValue(f.b)
			if err != nil {
				return err
			}
			if f.num == onnxpb.GraphInput {
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
		case onnxpb.NodeInput:
			n.in = append(n.in, string(f.b))
		case onnxpb.NodeOutput:
			n.out = append(n.out, string(f.b))
		case onnxpb.NodeName:
			n.name = string(f.b)
		case onnxpb.NodeOpType:
			n.op = string(f.b)
		case onnxpb.NodeAttribute:
			sub, err := fields(f.b)
			if err != nil {
				return n, err
			}
			var a decodedAttr
			for _, s := range sub {
				switch s.num {
				case onnxpb.AttrName:
					a.name = string(s.b)
				case onnxpb.AttrType:
					a.typ = int(s.v)
				case onnxpb.AttrF:
					if s.typ != protowire.Fixed32Type {
						return n, fmt.Errorf("attribute f has wire type %d", s.typ)
					}
					a.f = math.Float32frombits(uint32(s.v))
				case onnxpb.AttrI:
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
		case onnxpb.TensorDims:
			t.dims = append(t.dims, int(int64(f.v)))
		case onnxpb.TensorDataType:
			t.dtype = int(f.v)
		case onnxpb.TensorName:
			t.name = string(f.b)
		case onnxpb.TensorRawData:
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
		case onnxpb.ValueName:
			v.name = string(f.b)
		case onnxpb.ValueType:
			tp, err := fields(f.b)
			if err != nil {
				return v, err
			}
			for _, t := range tp {
				if t.num != onnxpb.TypeTensor {
					return v, fmt.Errorf("type field %d unexpected", t.num)
				}
				tt, err := fields(t.b)
				if err != nil {
					return v, err
				}
				for _, x := range tt {
					switch x.num {
					case onnxpb.TensorElemType:
						v.elemType = int(x.v)
					case onnxpb.TensorShape:
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
								case onnxpb.DimParam:
									v.dims = append(v.dims, string(y.b))
								case onnxpb.DimValue:
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
