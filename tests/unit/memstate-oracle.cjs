// memstate-oracle.cjs - test_fsrs_memstate's cases through fsrs-rs (the npm
// binding @open-spaced-repetition/binding): reads "W w0 .. w20", then one
// line per case, "C init G 0 0 0 r1 dt1 ..." (the first grade makes the
// state) or "C sm2 0 EASE IVL D r1 dt1 ..." (memoryStateFromSM2 at
// retention 0.9, D replacing the difficulty when > 0), and prints the
// stability and difficulty after the grades, one case a line. The binding
// has no memoryState: fsrs-rs's memory_state is this chain of nextStates.
'use strict';
const B = require('@open-spaced-repetition/binding');
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter(Boolean);
let fsrs = null;
const pick = (n, g) => [n.again, n.hard, n.good, n.easy][g - 1].memory;
for (const line of lines) {
  const f = line.split(/\s+/);
  if (f[0] === 'W') {
    fsrs = new B.FSRSBinding(f.slice(1).map(Number));
    continue;
  }
  let m;
  if (f[1] === 'init') {
    m = pick(fsrs.nextStates(null, 0.9, 0), Number(f[2]));
  } else {
    m = fsrs.memoryStateFromSM2(Number(f[3]), Number(f[4]), 0.9);
    if (Number(f[5]) > 0)
      m = new B.BindingMemoryState(m.stability, Number(f[5]));
  }
  for (let i = 6; i + 1 < f.length; i += 2)
    m = pick(fsrs.nextStates(m, 0.9, Number(f[i + 1])), Number(f[i]));
  console.log(m.stability.toFixed(9), m.difficulty.toFixed(9));
}
