import { test } from 'node:test';
import assert from 'node:assert/strict';
import { problemsOf, task } from './helpers.js';
import type { Case } from './helpers.js';

// Every message about tasks, templates, checks, think time and thresholds, exactly.
const CASES: Case[] = [
  [{ tasks: undefined }, "tasks is required, received nothing; fix: add tasks: [{ name: menu, method: GET, path: /menu }]"],
  [{ tasks: [] }, "tasks must be a non-empty list of tasks, received []; fix: write tasks: [{ name: menu, method: GET, path: /menu }]"],
  [{ tasks: ['GET /'] }, "tasks[0] must be a task such as { name: menu, method: GET, path: /menu }, received \"GET /\"; fix: write - { name: menu, method: GET, path: /menu }"],
  [task({ name: undefined }), "tasks[0].name is required, received nothing; fix: add \"name: menu\"; checks and thresholds name tasks"],
  [task({ name: '' }), "tasks[0].name must be a non-empty string, received \"\"; fix: write a string such as menu"],
  [task({ path: undefined }), "tasks[0].path is required, received nothing; fix: add \"path: /\""],
  [task({ path: 'menu' }), "tasks[0].path must start with / (it is appended to target), received \"menu\"; fix: write \"/menu\", and put the host in target"],
  [task({ path: 'http://h:1/menu' }), "tasks[0].path must start with / (it is appended to target), received \"http://h:1/menu\"; fix: write \"/menu\", and put the host in target"],
  [task({ url: '/menu' }), "tasks[0].url is not a known key, received \"/menu\"; fix: write path (relative to target)"],
  [task({ method: 'FETCH' }), "tasks[0].method must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, received \"FETCH\"; fix: write method: GET"],
  [task({ weight: 0 }), "tasks[0].weight must be a number above 0, received 0; fix: write a number such as 10"],
  [task({ headers: ['a'] }), "tasks[0].headers must be a map of header names to values, received [\"a\"]; fix: write { Idempotency-Key: '{{uuid}}' }"],
  [task({ headers: { 'Bad Name': 'x' } }), "tasks[0].headers[\"Bad Name\"] is not a valid header name, received \"Bad Name\"; fix: use letters, digits and dashes, such as X-Request-Id"],
  [task({ headers: { K: { '{ uuid }': null } } }), "tasks[0].headers.K must be a non-empty string, received {\"{ uuid }\":null}; fix: a template must be quoted in YAML: '{{uuid}}'"],
  [task({ headers: { K: '' } }), "tasks[0].headers.K must be a non-empty string, received \"\"; fix: write a string such as '{{uuid}}'"],
  [task({ path: '/{{randint 1 2}}' }), "tasks[0].path has a bad template: unknown template {{randint 1 2}}, received \"/{{randint 1 2}}\"; fix: use {{uuid}}, {{randomInt 1 8}}, {{vu}}, {{iteration}} or {{pick a|b|c}}"],
  [task({ path: '/{{randomInt 2 1}}' }), "tasks[0].path has a bad template: {{randomInt a b}} takes two whole numbers a <= b, received \"/{{randomInt 2 1}}\"; fix: use {{uuid}}, {{randomInt 1 8}}, {{vu}}, {{iteration}} or {{pick a|b|c}}"],
  [task({ path: '/{{uuid 4}}' }), "tasks[0].path has a bad template: {{uuid}} takes no arguments, received \"/{{uuid 4}}\"; fix: use {{uuid}}, {{randomInt 1 8}}, {{vu}}, {{iteration}} or {{pick a|b|c}}"],
  [task({ path: '/{{pick a||b}}' }), "tasks[0].path has a bad template: {{pick a|b|c}} takes choices separated by |, none empty, received \"/{{pick a||b}}\"; fix: use {{uuid}}, {{randomInt 1 8}}, {{vu}}, {{iteration}} or {{pick a|b|c}}"],
  [task({ body: { id: { '{ randomInt 1 8 }': null } } }), "tasks[0].body.id looks like an unquoted template, received {\"{ randomInt 1 8 }\":null}; fix: quote it: '{{randomInt 1 8}}'"],
  [task({ body: { a: '{{nope}}' } }), "tasks[0].body.a has a bad template: unknown template {{nope}}, received \"{{nope}}\"; fix: use {{uuid}}, {{randomInt 1 8}}, {{vu}}, {{iteration}} or {{pick a|b|c}}"],
  [task({ body: 1, json: 2 }), "tasks[0].json cannot be set beside body (json is another name for body), received 2; fix: keep one of the two"],
  [task({ check: 200 }), "tasks[0].check must be { status, body_includes }, received 200; fix: write check: { status: [200, 201], body_includes: \"ok\" }"],
  [task({ check: { bodyIncludes: 'x' } }), "tasks[0].check.bodyIncludes is not a known key, received \"x\"; fix: write body_includes"],
  [task({ check: { status: [200, 'ok'] } }), "tasks[0].check.status must be a status code or a list of them (100-599), received [200,\"ok\"]; fix: write status: [200, 201]"],
  [task({ check: { status: [] } }), "tasks[0].check.status must be a status code or a list of them (100-599), received []; fix: write status: [200, 201]"],
  [task({ check: { body_includes: '' } }), "tasks[0].check.body_includes must be a non-empty string, received \"\"; fix: write a string such as \"espresso\""],
  [task({ think: 'a while' }), "tasks[0].think must be a think time such as \"1s-3s\", received \"a while\"; fix: write a range \"1s-3s\", one duration \"2s\", or { min: 1s, max: 3s }"],
  [task({ think: '1-3' }), "tasks[0].think must be a think time such as \"1s-3s\", received \"1-3\"; fix: write a range \"1s-3s\", one duration \"2s\", or { min: 1s, max: 3s }; each end needs its unit"],
  [task({ think: 5 }), "tasks[0].think must be a think time such as \"1s-3s\", received 5; fix: write a range \"1s-3s\", one duration \"2s\", or { min: 1s, max: 3s }"],
  [task({ think: '3s-1s' }), "tasks[0].think must have min <= max, received \"3s-1s\"; fix: swap the two ends"],
  [task({ think: { min: '1s' } }), "tasks[0].think must have both min and max, received {\"min\":\"1s\"}; fix: write a range \"1s-3s\", one duration \"2s\", or { min: 1s, max: 3s }"],
  [task({ think: { min: '1s', max: 'x', avg: 1 } }), "tasks[0].think.max must be a duration such as 30s, received \"x\"; fix: write a number with a unit: ms, s, m or h, such as 500ms, 10s, 2m or 1m30s", "tasks[0].think.avg is not a known key, received 1; fix: remove it; the keys here are min, max"],
  [task({ record: 'yes' }), "tasks[0].record must be true or false, received \"yes\"; fix: write true or false, without quotes"],
  [{ tasks: [{ name: 'a', path: '/' }, { name: 'a', path: '/b' }] }, "tasks[1].name must be unique among the tasks, received \"a\"; fix: give this task another name"],
  [{ thresholds: ['p(95)<1'] }, "thresholds must be a map of metric to expressions, received [\"p(95)<1\"]; fix: write thresholds: { http_req_duration: ['p(95)<250'] }"],
  [{ thresholds: { http_req_durations: ['p(95)<1'] } }, "thresholds.http_req_durations is not a known threshold metric, received \"http_req_durations\"; fix: did you mean http_req_duration? write one of http_req_duration, http_req_failed, http_reqs, optionally with {task:<name>}"],
  [{ thresholds: { latency: ['p(95)<1'] } }, "thresholds.latency is not a known threshold metric, received \"latency\"; fix: write one of http_req_duration, http_req_failed, http_reqs, optionally with {task:<name>}"],
  [{ thresholds: { 'http_req_duration{url:/}': ['p(95)<1'] } }, "thresholds[\"http_req_duration{url:/}\"] filters on tag \"url\", but only {task:<name>} is supported, received \"http_req_duration{url:/}\"; fix: write http_req_duration{task:<name>}"],
  [{ thresholds: { 'http_req_duration{task:nope}': ['p(95)<1'] } }, "thresholds[\"http_req_duration{task:nope}\"] names task \"nope\", which is not among the tasks, received \"http_req_duration{task:nope}\"; fix: use one of root"],
  [{ thresholds: { http_req_duration: ['p95<1'] } }, "thresholds.http_req_duration[0] must be an expression such as p(95)<250, received \"p95<1\"; fix: write one of p(95)<250, avg<250, min<250, max<250, med<250"],
  [{ thresholds: { http_req_duration: ['rate<1'] } }, "thresholds.http_req_duration[0] uses rate, which http_req_duration does not have, received \"rate<1\"; fix: write one of p(95)<250, avg<250, min<250, max<250, med<250"],
  [{ thresholds: { http_req_duration: ['p(75)<1'] } }, "thresholds.http_req_duration[0] asks for p(75), but the summary holds p(50), p(90), p(95), p(99), p(99.9), received \"p(75)<1\"; fix: use one of those percentiles"],
  [{ thresholds: { http_req_failed: ['avg<1'] } }, "thresholds.http_req_failed[0] uses avg, which http_req_failed does not have, received \"avg<1\"; fix: write rate<0.01"],
  [{ thresholds: { http_reqs: ['p(95)<1'] } }, "thresholds.http_reqs[0] uses p(...), which http_reqs does not have, received \"p(95)<1\"; fix: write one of count>100, rate>100"],
  [{ thresholds: { http_req_duration: [] } }, "thresholds.http_req_duration must list at least one expression, received []; fix: write ['p(95)<250']"],
  [{ thresholds: { http_req_duration: [{ threshold: 'p(95)<1', abortOnFail: true }] } }, "thresholds.http_req_duration[0].abortOnFail is not supported, received true; fix: write only { threshold: \"p(95)<250\" }, or the expression alone"],
  [{ thresholds: { http_req_duration: 5 } }, "thresholds.http_req_duration must be an expression such as p(95)<250, received 5; fix: write one of p(95)<250, avg<250, min<250, max<250, med<250"],
];

test('each task and threshold problem has its exact message, and only it', () => {
  for (const [patch, ...lines] of CASES) assert.deepEqual(problemsOf(patch), lines, JSON.stringify(patch));
});
