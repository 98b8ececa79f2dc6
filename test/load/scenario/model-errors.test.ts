import { test } from 'node:test';
import assert from 'node:assert/strict';
import { problemsOf } from './helpers.js';
import type { Case } from './helpers.js';

// Every message about the top level and the load model, exactly: key, expectation, what arrived, fix.
const CASES: Case[] = [
  [{ target: undefined }, "target is required, received nothing; fix: add \"target: http://127.0.0.1:8000\", or pass --target"],
  [{ target: 'ftp://h' }, "target must be an http:// or https:// base URL without query, received \"ftp://h\"; fix: write target: http://127.0.0.1:8000"],
  [{ target: 'http://h:1/?a=1' }, "target must be an http:// or https:// base URL without query, received \"http://h:1/?a=1\"; fix: write target: http://127.0.0.1:8000"],
  [{ timeout: 'soon' }, "timeout must be a duration such as 30s, received \"soon\"; fix: write a number with a unit: ms, s, m or h, such as 500ms, 10s, 2m or 1m30s"],
  [{ timeout: '0s' }, "timeout must be at least 1ms, received \"0s\"; fix: give a duration above zero, such as 1s"],
  [{ wat: 1 }, "wat is not a known key, received 1; fix: remove it; the keys here are name, target, timeout, tasks, thresholds, executor, vus, duration, stages, startVUs, rate, timeUnit, maxVUs, maxInFlight, startRate"],
  [{ tsks: [] }, "tsks is not a known key, received []; fix: did you mean tasks?"],
  [{ iterations: 10 }, "iterations is not a known key, received 10; fix: iterations are not supported; give a duration instead"],
  [{ vus: undefined, duration: undefined }, "the scenario must set a load model, received nothing; fix: add \"vus: 10\" and \"duration: 30s\" (closed model), \"stages: [...]\" (ramping users), or \"rate: 50\" and \"duration: 30s\" (open model)"],
  [{ executor: 'ramping-vu' }, "executor must be one of constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate, received \"ramping-vu\"; fix: did you mean ramping-vus?"],
  [{ executor: 'shared-iterations' }, "executor must be one of constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate, received \"shared-iterations\"; fix: use one of these; the iteration-based executors of k6 are not supported"],
  [{ rate: 5, executor: 'constant-vus' }, "rate does not apply to executor constant-vus, received 5; fix: remove it, or use executor constant-arrival-rate"],
  [{ executor: 'ramping-arrival-rate', vus: undefined, duration: undefined }, "stages is required by executor ramping-arrival-rate, received nothing; fix: add \"stages: [{ duration: 30s, target: 50 }]\""],
  [{ executor: 'constant-arrival-rate', vus: undefined, duration: undefined }, "rate is required by executor constant-arrival-rate, received nothing; fix: add \"rate: 50\"", "duration is required by executor constant-arrival-rate, received nothing; fix: add \"duration: 30s\""],
  [{ vus: 0 }, "vus must be a whole number of at least 1, received 0; fix: write a whole number such as 10"],
  [{ vus: 2.5 }, "vus must be a whole number of at least 1, received 2.5; fix: write a whole number such as 10"],
  [{ duration: 10 }, "duration must be a duration with its unit, such as 30s, received 10; fix: write the unit: \"10s\" for seconds or \"10ms\" for milliseconds"],
  [{ duration: 'fast' }, "duration must be a duration such as 30s, received \"fast\"; fix: write a number with a unit: ms, s, m or h, such as 500ms, 10s, 2m or 1m30s"],
  [{ duration: '0s' }, "duration must be at least 1ms, received \"0s\"; fix: give a duration above zero, such as 1s"],
  [{ duration: undefined, vus: undefined, stages: 'up' }, "stages must be a non-empty list of { duration, target }, received \"up\"; fix: write a list such as [{ duration: 30s, target: 50 }, { duration: 1m, target: 50 }]"],
  [{ duration: undefined, vus: undefined, stages: [] }, "stages must be a non-empty list of { duration, target }, received []; fix: write a list such as [{ duration: 30s, target: 50 }, { duration: 1m, target: 50 }]"],
  [{ duration: undefined, vus: undefined, stages: [5] }, "stages[0] must be { duration, target }, received 5; fix: write a list such as [{ duration: 30s, target: 50 }, { duration: 1m, target: 50 }]"],
  [{ duration: undefined, vus: undefined, stages: [{ target: 5 }, { duration: '1s' }] }, "stages[0].duration is required, received nothing; fix: add \"duration: 30s\"", "stages[1].target is required, received nothing; fix: add \"target: 50\""],
  [{ duration: undefined, vus: undefined, stages: [{ duration: '1s', target: 5, hold: true }] }, "stages[0].hold is not a known key, received true; fix: remove it; the keys here are duration, target"],
  [{ duration: undefined, vus: undefined, stages: [{ duration: '0s', target: 5 }] }, "stages must last longer than 0s in total, received [{\"duration\":\"0s\",\"target\":5}]; fix: give at least one stage a duration above zero"],
  [{ duration: undefined, vus: undefined, stages: [{ duration: '1s', target: 1.5 }] }, "stages[0].target must be a whole number of at least 0, received 1.5; fix: write a whole number such as 10"],
  [{ duration: undefined, vus: 1, startVUs: 2, stages: [{ duration: '1s', target: 5 }] }, "vus cannot be set beside startVUs (with stages, vus means startVUs, as in k6), received 1; fix: keep startVUs and remove vus"],
  [{ vus: undefined, rate: 5, maxVUs: 2, maxInFlight: 3 }, "maxInFlight cannot be set beside maxVUs (they are the same limit), received 3; fix: keep one of the two"],
  [{ vus: undefined, rate: 0 }, "rate must be a number above 0, received 0; fix: write a number such as 10"],
  [{ vus: undefined, rate: 5, timeUnit: 'each' }, "timeUnit must be a duration such as 30s, received \"each\"; fix: write a number with a unit: ms, s, m or h, such as 500ms, 10s, 2m or 1m30s"],
  [{ vus: undefined, rate: 5, maxVUs: 0 }, "maxVUs must be a whole number of at least 1, received 0; fix: write a whole number such as 10"],
  [{ vus: undefined, duration: undefined, startRate: -1, stages: [{ duration: '1s', target: -2 }] }, "startRate must be a number of at least 0, received -1; fix: write a number such as 10", "stages[0].target must be a number of at least 0, received -2; fix: write a number such as 10"],
];

test('each top-level and model problem has its exact message, and only it', () => {
  for (const [patch, ...lines] of CASES) assert.deepEqual(problemsOf(patch), lines, JSON.stringify(patch));
});
