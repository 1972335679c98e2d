// fsrs-replay.mjs - the ts-fsrs half of `make bench-fsrs`.
//
//   node fsrs-replay.mjs FILE MODULES_DIR [RUNS]
//
// Replays the reviews bench_fsrs wrote to FILE (card, rating, time) through
// ts-fsrs installed under MODULES_DIR (npm install --prefix DIR ts-fsrs),
// with the defaults lemma's compatibility mode uses: FSRS-6 default
// weights, retention 0.9, steps 1m 10m / 10m, short-term on, fuzz off.
// Prints "tsfsrs <median rev/s> <min> <max> <sum of S> <sum of due s>".
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [file, modules, runsArg] = process.argv.slice(2);
if (!file || !modules) {
  console.error('usage: node fsrs-replay.mjs FILE MODULES_DIR [RUNS]');
  process.exit(2);
}
const req = createRequire(resolve(modules) + '/');
const mod = await import(pathToFileURL(req.resolve('ts-fsrs')).href);
const lib = mod.fsrs ? mod : mod.default;
const { fsrs, createEmptyCard, generatorParameters } = lib;

const buf = readFileSync(file);
const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
if (Buffer.from(ab, 0, 7).toString() !== 'LFSRS01') {
  console.error(`${file}: not a bench_fsrs sequence`);
  process.exit(1);
}
const head = new Uint32Array(ab, 8, 2);
const n = head[0], ncards = head[1];
const card = new Uint32Array(ab, 16, n);
const rating = new Uint32Array(ab, 16 + 4 * n, n);
const time = new Float64Array(ab, 16 + 8 * n, n);

const f = fsrs(generatorParameters({
  enable_fuzz: false,
  enable_short_term: true,
  learning_steps: ['1m', '10m'],
  relearning_steps: ['10m'],
}));

function replay() {
  const cards = new Array(ncards);
  for (let c = 0; c < ncards; c++) cards[c] = createEmptyCard(new Date(time[c]));
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < n; k++) {
    const c = card[k];
    cards[c] = f.next(cards[c], new Date(time[k]), rating[k]).card;
  }
  const t1 = process.hrtime.bigint();
  let sumS = 0, sumDue = 0;
  for (let c = 0; c < ncards; c++) {
    sumS += cards[c].stability;
    sumDue += Math.floor(cards[c].due.getTime() / 1000);
  }
  return { secs: Number(t1 - t0) / 1e9, sumS, sumDue };
}

const runs = Number(runsArg || 5);
const rates = [];
let last;
for (let i = 0; i < runs; i++) {
  last = replay();
  rates.push(n / last.secs);
}
rates.sort((a, b) => a - b);
console.log(`tsfsrs ${rates[Math.floor(runs / 2)].toFixed(0)} ${rates[0].toFixed(0)} ` +
  `${rates[runs - 1].toFixed(0)} ${last.sumS.toFixed(6)} ${last.sumDue}`);
