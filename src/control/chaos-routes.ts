/** The control API's chaos routes (`/api/chaos*`): scenarios, active faults, inject, remove, reset. */
import { LabError, describeValue } from '../errors.js';
import { parseChaosRequest } from '../chaos/index.js';
import type { ChaosInjected, ChaosRemoved, ChaosStatus } from '../chaos/index.js';
import type { Route } from './api.js';
import { objectBody, readJson, sendJson } from './http-util.js';

function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new LabError('LAB_CHAOS_BAD_VALUE', `the fault id in DELETE /api/chaos/{id} must be URL-encoded, received ${describeValue(raw)}; fix: encode it (toxic:postgres/lag is toxic%3Apostgres%2Flag)`);
  }
}

export const CHAOS_ROUTES: Array<[string, RegExp, Route]> = [
  ['GET', /^\/api\/chaos\/scenarios$/, (lab, _req, res) => sendJson(res, 200, { scenarios: lab.chaos.scenarios() })],
  ['POST', /^\/api\/chaos\/reset$/, async (lab, _req, res) => {
    const removed: ChaosRemoved = { removed: await lab.chaos.reset() };
    sendJson(res, 200, removed);
  }],
  ['GET', /^\/api\/chaos$/, async (lab, _req, res) => {
    const status: ChaosStatus = { faults: await lab.chaos.status() };
    sendJson(res, 200, status);
  }],
  ['POST', /^\/api\/chaos$/, async (lab, req, res) => {
    const injected: ChaosInjected = { fault: await lab.chaos.inject(parseChaosRequest(objectBody(await readJson(req), 'POST /api/chaos'))) };
    sendJson(res, 201, injected);
  }],
  ['DELETE', /^\/api\/chaos\/([^/]+)$/, async (lab, _req, res, [id]) => {
    const removed: ChaosRemoved = { removed: [await lab.chaos.remove(decodeId(id!))] };
    sendJson(res, 200, removed);
  }],
];
