// Runs workbench's exported ONNX models in ONNX Runtime (onnxruntime-node)
// and compares them with `workbench predict`. Used by .ci/onnx.sh.
//
//   node onnx_compare.js rows MODEL.json N            print N raw feature rows (JSON) around the scaler's mean
//   node onnx_compare.js compare MODEL.onnx ROWS.json PREDICT.json TOL
//
// ORT_DIR names the folder where onnxruntime-node is installed.
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

function fail(msg) {
  console.error('onnx_compare: ' + msg);
  process.exit(1);
}

function rows(modelJSON, n) {
  const m = JSON.parse(fs.readFileSync(modelJSON, 'utf8'));
  const f = m.features.length;
  const out = [];
  for (let i = 0; i < n; i++) {
    const r = [];
    for (let j = 0; j < f; j++) {
      // Deterministic spread of about ±2.5 standard deviations, so every
      // activation sees negative and positive inputs.
      const z = Math.sin(7 * i + 3 * j + 1) * 2.5;
      const mean = m.scaler ? m.scaler.mean[j] : 0;
      const std = m.scaler ? m.scaler.std[j] : 1;
      r.push(mean + z * std);
    }
    out.push(r);
  }
  process.stdout.write(JSON.stringify(out));
}

// predictions accepts what `workbench predict --json` prints: an object with
// "predictions", or an array of rows.
function predictions(file) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8'));
  const rows = Array.isArray(p) ? p : p.predictions;
  if (!Array.isArray(rows)) fail(file + ': no "predictions" array');
  return rows.map((r) => (Array.isArray(r) ? r : r.probabilities || r.outputs || r.values || fail(file + ': row is not an array')));
}

async function compare(model, rowsFile, predictFile, tol) {
  const ort = createRequire(path.join(process.env.ORT_DIR || '.', 'package.json'))('onnxruntime-node');
  const x = JSON.parse(fs.readFileSync(rowsFile, 'utf8'));
  const want = predictions(predictFile);
  const sess = await ort.InferenceSession.create(model);
  if (sess.inputNames.length !== 1 || sess.inputNames[0] !== 'input') fail(`${model}: inputs ${sess.inputNames}, want [input]`);
  if (sess.outputNames.length !== 1 || !['probabilities', 'output'].includes(sess.outputNames[0])) {
    fail(`${model}: outputs ${sess.outputNames}, want [probabilities] or [output]`);
  }
  const n = x.length, f = x[0].length;
  const data = Float32Array.from(x.flat());
  const res = await sess.run({ input: new ort.Tensor('float32', data, [n, f]) });
  const y = res[sess.outputNames[0]];
  const k = want[0].length;
  if (y.dims.length !== 2 || y.dims[0] !== n || y.dims[1] !== k) fail(`${model}: output dims [${y.dims}], want [${n},${k}]`);
  if (want.length !== n) fail(`${predictFile}: ${want.length} rows, want ${n}`);
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const g = y.data[i * k + j], w = want[i][j];
      const d = Math.abs(g - w);
      worst = Math.max(worst, d);
      if (!(d <= tol + tol * Math.abs(w))) {
        fail(`${path.basename(model)}: row ${i} col ${j}: onnxruntime ${g}, workbench predict ${w} (diff ${d.toExponential(2)} > ${tol} abs+rel)`);
      }
    }
  }
  console.log(`ok  ${path.basename(model).padEnd(28)} ${sess.outputNames[0].padEnd(13)} [${n}x${k}] max |diff| ${worst.toExponential(2)}`);
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'rows' && args.length === 2) rows(args[0], Number(args[1]));
else if (cmd === 'compare' && args.length === 4) compare(args[0], args[1], args[2], Number(args[3])).catch((e) => fail(String(e && e.message ? e.message : e)));
else fail('usage: onnx_compare.js rows MODEL.json N | compare MODEL.onnx ROWS.json PREDICT.json TOL');
