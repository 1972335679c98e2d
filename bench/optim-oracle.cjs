#!/usr/bin/env node
'use strict';
/*
 * optim-oracle.cjs - the FSRS optimizer's oracle: fsrs-rs 6.5.0 through
 * the npm package @open-spaced-repetition/binding 0.5.0 (found through
 * NODE_PATH). Reads the items lemma exported (fsrs_sim_export's format)
 * and lemma's fitted parameters, fits the same items with the binding's
 * computeParameters (same settings, timed; timeout 10 ms so its 500 ms
 * progress poll does not pad the time), and scores the defaults, the
 * binding's fit and lemma's fit with the binding's own evaluate, so the
 * scoring is not lemma's. Prints one JSON object.
 *
 *	node optim-oracle.cjs ITEMS LEMMA_PARAMS [EPOCHS]
 */
const fs = require('fs');
const B = require('@open-spaced-repetition/binding');

async function main() {
  const [itemsPath, paramsPath, epochsArg] = process.argv.slice(2);
  const epochs = Number(epochsArg || 5);
  const text = fs.readFileSync(itemsPath, 'utf8');
  let pos = text.indexOf('\n');
  const n = Number(text.slice(0, pos));
  const items = new Array(n);
  let cards = 0;
  while (pos + 1 < text.length) {
    const end = text.indexOf('\n', pos + 1);
    const line = text.slice(pos + 1, end < 0 ? text.length : end);
    pos = end < 0 ? text.length : end;
    if (line === '') continue;
    const [r, d, k] = line.split(';').map((s) => s.split(' ').map(Number));
    const reviews = r.map((x, i) => new B.FSRSBindingReview(x, d[i]));
    for (let j = 0; j < k.length; j++)
      if (k[j] >= 0) items[k[j]] = new B.FSRSBindingItem(reviews.slice(0, j + 1));
    cards++;
  }
  const lemmaW = fs.readFileSync(paramsPath, 'utf8').trim().split(/\s+/).map(Number);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const bindingW = await B.computeParameters(items, {
    enableShortTerm: true,
    numRelearningSteps: 1,
    trainingConfig: { numEpochs: epochs, batchSize: 512, seed: 2023, maxSeqLen: 256, learningRate: 0.04, gamma: 1 },
    timeout: 10,
  });
  const fitMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const fitCpuMs = (cpu.user + cpu.system) / 1000;
  const score = (w) => {
    const e = new B.FSRSBinding(w).evaluate(items);
    return { log_loss: e.logLoss, rmse_bins: e.rmseBins };
  };
  const out = {
    items: n,
    cards,
    epochs,
    binding_fit_ms: fitMs,
    binding_fit_cpu_ms: fitCpuMs,
    binding_params: bindingW,
    defaults: score(undefined),
    binding: score(bindingW),
    lemma: score(lemmaW),
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => { console.error(String(e)); process.exit(1); });
